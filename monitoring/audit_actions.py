"""Russian names of the monitoring's audit actions (read by mentorship.audit)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "campaign.create": _("Создание кампании мониторинга"),
    "campaign.join": _("Присоединение школы к кампании мониторинга"),
    "campaign.close": _("Закрытие кампании мониторинга"),
    "campaign.invite": _("Приглашение участников к анкетированию"),
    "intake.send": _("Отправка анкет кандидатам"),
    "partner_choice.send": _("Отправка ссылок для выбора после групповой встречи"),
    "questionnaire.create": _("Создание анкеты"),
    "questionnaire.copy": _("Копирование анкеты"),
    "questionnaire.version": _("Новая версия анкеты"),
}
