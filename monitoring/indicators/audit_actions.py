"""Russian names of the indicators' audit actions (read by mentorship.audit)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "indicators.contingent_save": _("Сохранение контингента"),
    "indicators.targets_save": _("Сохранение целевых значений"),
}
