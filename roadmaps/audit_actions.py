"""Russian names of the roadmaps' audit actions (read by mentorship.audit)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "roadmap.create": _("Создание дорожной карты"),
    "roadmap.copy": _("Копирование дорожной карты"),
    "roadmap.import": _("Загрузка дорожной карты из файла"),
    "roadmap.update": _("Изменение дорожной карты"),
    "roadmap.approve": _("Утверждение дорожной карты"),
    "roadmap.new_draft": _("Новая редакция дорожной карты"),
    "roadmap.cascade": _("Передача обязанностей ОО в школы"),
    "roadmap.relink_copies": _("Переход школьных копий на новую редакцию дорожной карты"),
    "activity.progress": _("Отметка о выполнении мероприятия"),
    "activity.auto_done": _("Автоматическая отметка о выполнении (событие портала)"),
    "activity.evidence_download": _("Скачивание подтверждения выполнения"),
}
