"""Every consent rule of 152-ФЗ as the registry applies it."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import ConsentState, Participant
from registry.services.consent import (
    can_process,
    consent_record,
    consent_withdraw,
    consent_withdrawn,
    refresh_consent_state,
)
from registry.tasks import depersonalize_due
from tests.factories import make_consented, make_participant

TEACHER = {
    "last_name": "Петрова",
    "first_name": "Анна",
    "patronymic": "Сергеевна",
    "birth_date": date(1985, 5, 2),
    "category": "teacher",
    "grade": None,
    "position": "Учитель математики",
    "experience_years": 15,
    "is_mentor": True,
    "is_mentee": False,
}


def record(participant, **kwargs):
    data = {
        "given_by": "parent",
        "giver_name": "Иванов П.С.",
        "giver_relation": "отец",
        "given_on": date(2026, 9, 1),
        "purposes": ["programme"],
    }
    data.update(kwargs)
    with tenant_scope(participant.organization):
        return consent_record(actor=None, participant=participant, **data)


def test_without_consent_a_person_cannot_be_processed(cast):
    pupil = make_participant(cast.school)
    assert pupil.consent_state == ConsentState.MISSING
    assert not can_process(pupil)


def test_parent_consent_for_a_minor_is_valid(cast):
    pupil = make_participant(cast.school)
    record(pupil)
    pupil.refresh_from_db()
    assert pupil.consent_state == ConsentState.VALID
    assert can_process(pupil)


def test_consent_given_by_a_minor_personally_is_not_valid(cast):
    pupil = make_participant(cast.school)
    consent = record(pupil, given_by="self", giver_name="", giver_relation="")
    pupil.refresh_from_db()
    assert consent.state() == ConsentState.INVALID
    assert pupil.consent_state == ConsentState.INVALID
    assert not can_process(pupil)


def test_an_adult_consents_personally(cast):
    teacher = make_participant(cast.school, **TEACHER)
    record(teacher, given_by="self", giver_name="", giver_relation="")
    teacher.refresh_from_db()
    assert teacher.consent_state == ConsentState.VALID


def test_parent_consent_needs_the_parents_name(cast):
    pupil = make_participant(cast.school)
    with pytest.raises(ValidationError) as error:
        record(pupil, giver_name="")
    assert "ФИО родителя" in str(error.value)


def test_consent_must_cover_the_programme(cast):
    pupil = make_participant(cast.school)
    with pytest.raises(ValidationError, match="участие в программе"):
        record(pupil, purposes=["publication"])


def test_consent_expires_after_its_term(cast):
    pupil = make_participant(cast.school)
    record(pupil, valid_until=date(2027, 6, 30))
    with tenant_scope(cast.school):
        assert refresh_consent_state(pupil, on=date(2027, 7, 1)) == ConsentState.EXPIRED
        assert not can_process(pupil, on=date(2027, 7, 1))
        assert can_process(pupil, on=date(2027, 6, 30))


def test_mentor_base_only_for_adult_mentors_who_agreed(cast):
    teacher = make_consented(cast.school, **TEACHER)
    assert teacher.in_mentor_base
    pupil_mentor = make_consented(
        cast.school, last_name="Смирнов", is_mentor=True, grade=10, birth_date=date(2010, 1, 1)
    )
    assert not pupil_mentor.in_mentor_base
    without = make_participant(cast.school, **{**TEACHER, "last_name": "Орлова"})
    record(without, given_by="self", giver_name="", giver_relation="", purposes=["programme"])
    without.refresh_from_db()
    assert not without.in_mentor_base


def test_withdrawal_stops_processing_notifies_and_schedules_depersonalisation(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.CONSENT_RETENTION_DAYS = 30
    pupil = make_consented(cast.school)
    received = []

    def receiver(sender, participant, actor, **kwargs):
        received.append(participant.pk)

    consent_withdrawn.connect(receiver)
    try:
        with tenant_scope(cast.school), django_capture_on_commit_callbacks(execute=True):
            consent = pupil.consents.get()
            consent_withdraw(
                actor=cast.curator,
                consent=consent,
                reason="Заявление родителя",
                withdrawn_on=date(2026, 11, 20),
            )
    finally:
        consent_withdrawn.disconnect(receiver)
    pupil.refresh_from_db()
    assert received == [pupil.pk]  # pairs and questionnaires hear about it
    assert pupil.consent_state == ConsentState.WITHDRAWN
    assert not can_process(pupil)
    assert pupil.depersonalize_after == date(2026, 12, 20)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["curator@a1.test"]
    assert "Отозвано согласие" in mail.outbox[0].subject
    assert "Иванова" not in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="consent.withdraw", object_id=str(pupil.pk)).exists()
    with tenant_scope(cast.school), pytest.raises(ValidationError, match="уже отозвано"):
        consent_withdraw(actor=cast.curator, consent=consent, reason="ещё раз")


def test_depersonalisation_runs_after_the_retention_term_and_keeps_the_audit(cast):
    pupil = make_consented(cast.school)
    with tenant_scope(cast.school):
        consent_withdraw(
            actor=cast.curator,
            consent=pupil.consents.get(),
            reason="Отзыв",
            withdrawn_on=date(2026, 10, 1),
        )
        pupil.refresh_from_db()
    assert depersonalize_due(str(pupil.depersonalize_after - timedelta(days=1))) == 0
    assert depersonalize_due(str(pupil.depersonalize_after)) == 1
    assert depersonalize_due(str(pupil.depersonalize_after)) == 0  # safe to run twice
    with tenant_scope(cast.school):
        gone = Participant.objects.get(pk=pupil.pk)
        consent = gone.consents.get()
    assert gone.depersonalized_at is not None
    assert "Иванова" not in gone.full_name and gone.birth_date is None
    assert consent.giver_name == ""
    assert gone.grade == 8  # counts by grade still add up
    actions = set(
        AuditEntry.objects.filter(object_id=str(pupil.pk)).values_list("action", flat=True)
    )
    assert {
        "participant.create",
        "consent.record",
        "consent.withdraw",
        "participant.depersonalize",
    } <= actions


def test_a_new_valid_consent_after_withdrawal_cancels_depersonalisation(cast):
    teacher = make_consented(cast.school, **TEACHER)
    with tenant_scope(cast.school):
        consent_withdraw(
            actor=None, consent=teacher.consents.get(), reason="x", withdrawn_on=date(2026, 10, 1)
        )
    record(teacher, given_by="self", giver_name="", giver_relation="", given_on=date(2026, 10, 5))
    teacher.refresh_from_db()
    assert teacher.consent_state == ConsentState.VALID
    assert depersonalize_due(str(date(2027, 1, 1))) == 0
