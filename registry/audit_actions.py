"""Russian names of the registry's audit actions (read by mentorship.audit)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # A person's own log (registry/services/subject_rights.py) shows these too: reads are
    # named apart from changes because "who saw my data" is asked first.
    "participant.view": _("Просмотр карточки"),
    "participant.create": _("Внесение в реестр"),
    "participant.update": _("Изменение данных"),
    "participant.mentor_profile": _("Анкета наставника"),
    "participant.need": _("Запись потребности наставляемого"),
    "participant.assessment": _("Входная оценка"),
    "participant.depersonalize": _("Обезличивание (уничтожение данных)"),
    "consent.record": _("Внесено согласие"),
    "consent.withdraw": _("Согласие отозвано"),
    "consent.scan_download": _("Скачивание скана согласия"),
    "mentor_base.view": _("Просмотр в муниципальной базе наставников"),
    "subject.access_log": _("Просмотр журнала доступа"),
    "subject.export": _("Выгрузка всех данных по запросу"),
    "registry.import": _("Загрузка реестра из файла"),
    "registry.export": _("Выгрузка реестра в Excel"),
    "group_meeting.create": _("Групповая встреча"),
    "group_meeting.invite": _("Приглашение на групповую встречу"),
    "group_meeting.attendance": _("Отметка присутствия на групповой встрече"),
    "preference.record": _("Выбор после групповой встречи"),
    "intake.accept": _("Анкета кандидата принята в реестр"),
    "partner.create": _("Добавление организации-партнёра"),
    "partner.update": _("Изменение организации-партнёра"),
    "partner.delete": _("Удаление организации-партнёра"),
    "programme.create": _("Создание программы наставничества"),
    "programme.update": _("Изменение программы наставничества"),
    "programme.close": _("Закрытие программы наставничества"),
    "programme.reopen": _("Возобновление программы наставничества"),
    "pair.propose": _("Предложение пары"),
    "pair.update": _("Изменение пары"),
    "pair.transition": _("Смена статуса пары"),
    "pair.approve": _("Утверждение пары приказом"),
    "pair.suspend": _("Приостановка пары"),
    "pair.resume": _("Возобновление пары"),
    "meeting.log": _("Запись встречи"),
    "plan.save": _("Сохранение плана развития"),
}
