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
    "practice.create": _("Создание практики наставничества"),
    "practice.update": _("Изменение практики наставничества"),
    "practice.file_delete": _("Удаление материала практики"),
    "practice.file_download": _("Скачивание материала практики"),
    "practice.submit": _("Отправка практики на рассмотрение"),
    "practice.accept": _("Практика принята в муниципальный банк"),
    "practice.return": _("Практика возвращена на доработку"),
    "practice.pass_to_region": _("Практика передана в региональный банк"),
}
