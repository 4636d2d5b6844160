"""Russian names of the indicators' audit actions (read by mentorship.audit)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "indicators.contingent_save": _("Сохранение контингента"),
    "indicators.targets_save": _("Сохранение целевых значений"),
    "indicators.submission_submit": _("Отчёт сдан в регион"),
    "indicators.submission_return": _("Отчёт возвращён регионом на доработку"),
    "indicators.review_open": _("Замечание региона"),
    "indicators.review_comment": _("Ответ в обсуждении замечания"),
}
