"""Letters to participants (issue 15, items 3 and 5): meeting planned, moved, cancelled,
the reminder the day before, pair approved. Single (the ledger), throttled (one letter of
a kind per item a day), to a minor's consenting parent, never to a withdrawn consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from registry.models import ParticipantLetter
from registry.services import letters
from registry.services.consent import consent_withdraw
from registry.services.schedule import meeting_cancel, meeting_plan, meeting_update
from registry.tasks import send_meeting_reminders
from tests.registry.calendar_makers import (
    MENTOR_EMAIL,
    PARENT_EMAIL,
    PUPIL_EMAIL,
    make_reachable_pair,
    people_of,
)


def at(days: int, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour))
    )


def recipients() -> list[str]:
    return sorted(address for letter in mail.outbox for address in letter.to)


@pytest.fixture
def pair(cast):
    return make_reachable_pair(cast.school)


def plan(pair, **overrides):
    data = {"starts_at": at(3), "topic": "Проект", "place": "Кабинет 21"}
    data.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(pair.organization):
        return meeting_plan(actor=None, pair=pair, **data)


def test_a_planned_meeting_is_mailed_to_the_mentor_and_the_pupils_parent(pair):
    mail.outbox.clear()
    meeting = plan(pair)
    assert recipients() == sorted([MENTOR_EMAIL, PARENT_EMAIL])
    assert PUPIL_EMAIL not in recipients()
    letter = next(m for m in mail.outbox if m.to == [PARENT_EMAIL])
    assert "Запланирована встреча" in letter.subject
    assert "Проект" in letter.body and "Кабинет 21" in letter.body
    # Sending again (a retried task) sends nothing twice.
    mail.outbox.clear()
    with tenant_scope(pair.organization):
        report = letters.send_meeting_letters(meeting.pk, "planned")
    assert report.sent == 0 and report.skipped == 2 and mail.outbox == []


def test_a_move_is_mailed_once_per_new_date_and_a_cancel_once(pair):
    meeting = plan(pair)
    mail.outbox.clear()
    with tenant_scope(pair.organization):
        for hour in (16, 17):
            with TestCase.captureOnCommitCallbacks(execute=True):
                meeting = meeting_update(
                    actor=None, meeting=meeting, starts_at=at(5, hour), topic="Проект", place="Зал"
                )
    # Two moves to the same day: one «moved» letter each.
    assert len(mail.outbox) == 2 and all("перенесена" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with tenant_scope(pair.organization):
        with TestCase.captureOnCommitCallbacks(execute=True):
            meeting_cancel(actor=None, meeting=meeting)
        with TestCase.captureOnCommitCallbacks(execute=True):
            meeting_cancel(actor=None, meeting=meeting)
    assert len(mail.outbox) == 2 and all("отменена" in m.subject for m in mail.outbox)


def test_no_letter_to_a_person_whose_consent_was_withdrawn(cast, pair):
    mentor, mentee = people_of(pair)
    with tenant_scope(cast.school):
        consent_withdraw(actor=None, consent=mentee.consents.get(), reason="просьба")
    with tenant_scope(cast.school):
        pair.refresh_from_db()
    # The pair is suspended: no meeting may be planned, and no letter goes anyway.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        plan(pair)
    # A meeting planned before the withdrawal: its reminder skips the parent.
    other = make_reachable_pair(cast.school, n=2)
    meeting = plan(other, starts_at=at(1))
    _m, other_mentee = people_of(other)
    with tenant_scope(cast.school):
        consent_withdraw(actor=None, consent=other_mentee.consents.get(), reason="просьба")
    mail.outbox.clear()
    send_meeting_reminders.apply(args=[timezone.localdate().isoformat()])
    assert recipients() == [MENTOR_EMAIL]
    with unscoped_reads():
        assert not ParticipantLetter.objects.filter(
            participant=other_mentee, object_id=meeting.pk, kind="reminder"
        ).exists()


def test_the_day_before_reminder_is_sent_once(cast, pair):
    tomorrow = plan(pair, starts_at=at(1, 10))
    plan(pair, starts_at=at(2, 10), topic="Послезавтра")
    mail.outbox.clear()
    today = timezone.localdate().isoformat()
    result = send_meeting_reminders.apply(args=[today]).get()
    assert result["sent"] == 2
    assert recipients() == sorted([MENTOR_EMAIL, PARENT_EMAIL])
    assert all("Завтра встреча" in m.subject for m in mail.outbox)
    assert all("Проект" in m.body for m in mail.outbox)
    mail.outbox.clear()
    again = send_meeting_reminders.apply(args=[today]).get()
    assert again["sent"] == 0 and mail.outbox == []
    with unscoped_reads():
        assert ParticipantLetter.objects.filter(object_id=tomorrow.pk, kind="reminder").count() == 2


def test_a_failed_letter_is_released_for_the_retry(pair, monkeypatch):
    meeting = plan(pair)
    with unscoped_reads():
        ParticipantLetter.objects.all().delete()
    calls = {"n": 0}
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("smtp down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    mail.outbox.clear()
    with tenant_scope(pair.organization):
        first = letters.send_meeting_letters(meeting.pk, "planned")
        assert (first.sent, first.failed) == (1, 1)
        second = letters.send_meeting_letters(meeting.pk, "planned")
    assert (second.sent, second.skipped) == (1, 1)
    assert len(mail.outbox) == 2


def test_pairs_approved_by_the_order_are_mailed(cast):
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        pair = make_reachable_pair(cast.school)
    assert recipients() == sorted([MENTOR_EMAIL, PARENT_EMAIL])
    assert all("утверждена" in m.subject for m in mail.outbox)
    mentor_letter = next(m for m in mail.outbox if m.to == [MENTOR_EMAIL])
    _mentor, mentee = people_of(pair)
    assert mentee.full_name in mentor_letter.body
    # Approving again (an order reissued) writes no second letter.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(cast.school):
        letters.send_pair_approved_letters([pair.pk])
    assert mail.outbox == []


def test_a_waiting_questionnaire_is_mailed_once_to_the_parent_and_never_after_withdrawal(cast):
    from monitoring.models import Invitation
    from monitoring.tasks import send_waiting_letters
    from tests.monitoring.makers import make_campaign, make_questionnaire

    pair = make_reachable_pair(cast.school)
    mentor, mentee = people_of(pair)
    other = make_reachable_pair(cast.school, n=2)
    _m, withdrawn = people_of(other)
    campaign = make_campaign(cast.school)
    questionnaire = make_questionnaire(cast.school)
    with tenant_scope(cast.school):
        for n, person in enumerate((mentee, withdrawn, mentor)):
            Invitation.objects.create(
                organization=cast.school,
                campaign=campaign,
                participant=person,
                questionnaire=questionnaire,
                role="mentee" if person != mentor else "mentor",
                token=f"{n}" * 40,
                # The mentor's went by e-mail through monitoring itself: not repeated.
                channel="print" if person != mentor else "email",
            )
        consent_withdraw(actor=None, consent=withdrawn.consents.get(), reason="просьба")
    mail.outbox.clear()
    today = timezone.localdate().isoformat()
    assert send_waiting_letters.apply(args=[today]).get()["sent"] == 1
    (letter,) = mail.outbox
    assert letter.to == [PARENT_EMAIL] and "/q/" + "0" * 40 + "/" in letter.body
    assert questionnaire.title in letter.subject
    mail.outbox.clear()
    assert send_waiting_letters.apply(args=[today]).get()["sent"] == 0
    assert mail.outbox == []
