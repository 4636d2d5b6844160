"""Reminders to non-respondents: once per invitation every N days, never doubled."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from mentorship.celery import app as celery_app
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import InvitationReminder
from monitoring.services.reminders import KIND, send_campaign_reminders
from tests.monitoring.conftest import invitations

pytestmark = pytest.mark.django_db


def _mentor(cast):
    return invitations(cast.school, role="mentor")[0]


def test_non_respondents_are_reminded_once_per_interval(cast, campaign, invited):
    mentor = _mentor(cast)
    sent_on = timezone.localtime(mentor.sent_at).date()
    mail.outbox.clear()
    # Too soon after the invitation (every 3 days).
    assert send_campaign_reminders(day=sent_on + timedelta(days=2)).sent == 0
    day = sent_on + timedelta(days=3)
    report = send_campaign_reminders(day=day)
    assert report.sent == 1 and len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.subject.startswith("Напоминание") and f"/q/{mentor.token}/" in letter.body
    # The same day again: skipped, nothing sent twice.
    again = send_campaign_reminders(day=day)
    assert (again.sent, len(mail.outbox)) == (0, 1)
    # The next days: within the interval of the last reminder.
    assert send_campaign_reminders(day=day + timedelta(days=1)).sent == 0
    assert send_campaign_reminders(day=day + timedelta(days=3)).sent == 1
    with tenant_scope(cast.school):
        rows = list(InvitationReminder.objects.values_list("due_on", "sent_at"))
    assert sorted(d for d, _s in rows) == [day, day + timedelta(days=3)]
    assert all(s is not None for _d, s in rows)


def test_respondents_sheet_links_and_closed_campaigns_are_not_reminded(cast, campaign, invited):
    mentor = _mentor(cast)
    day = timezone.localtime(mentor.sent_at).date() + timedelta(days=5)
    with tenant_scope(cast.school):
        mentor.responded_at = timezone.now()
        mentor.save(update_fields=["responded_at"])
    # The pupil was on the printed sheet: no address to remind.
    assert send_campaign_reminders(day=day).sent == 0
    with tenant_scope(cast.school):
        mentor.responded_at = None
        mentor.save(update_fields=["responded_at"])
    campaign.closed_at = timezone.now()
    campaign.save()
    assert send_campaign_reminders(day=day).sent == 0
    campaign.closed_at = None
    campaign.save()
    assert send_campaign_reminders(day=campaign.ends_on + timedelta(days=1)).sent == 0


def test_a_failed_letter_is_released_for_the_next_run(cast, campaign, invited, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    day = timezone.localtime(_mentor(cast).sent_at).date() + timedelta(days=3)
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: 0)
    assert send_campaign_reminders(day=day).failed == 1
    with tenant_scope(cast.school):
        assert not InvitationReminder.objects.exists()
    monkeypatch.undo()
    assert send_campaign_reminders(day=day).sent == 1


def test_command_and_beat_entry(cast, campaign, invited, capsys, settings):
    day = timezone.localtime(_mentor(cast).sent_at).date() + timedelta(days=3)
    call_command("send_campaign_reminders", "--date", day.isoformat())
    call_command("send_campaign_reminders", "--date", day.isoformat())
    out = capsys.readouterr().out
    assert "писем отправлено: 1" in out and "пропущено (уже отправлено): 0" in out
    assert len([m for m in mail.outbox if m.subject.startswith("Напоминание")]) == 1
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_campaign_reminders", "--date", "23.11.2026")
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-campaign-reminders"]
    assert entry["task"] == "monitoring.send_campaign_reminders"
    import monitoring.tasks  # noqa: F401 - what the worker's autodiscovery imports

    task = celery_app.tasks["monitoring.send_campaign_reminders"]
    assert task.apply(args=[day.isoformat()]).get()["sent"] == 0  # already reminded today


def test_a_campaign_reminder_claim_left_by_a_dead_run_is_sent_once_its_lease_ends(
    cast, campaign, invited
):
    mentor = _mentor(cast)
    day = timezone.localtime(mentor.sent_at).date() + timedelta(days=3)
    with tenant_scope(cast.school):
        InvitationReminder.objects.create(
            organization=cast.school,
            invitation=mentor,
            due_on=day,
            kind=KIND,
            run_id=uuid.uuid4(),
            lease_until=timezone.now() + timedelta(minutes=5),
        )  # ...and the run died before its letter
    mail.outbox.clear()

    assert send_campaign_reminders(day=day).skipped == 1
    assert mail.outbox == []
    with tenant_scope(cast.school):
        InvitationReminder.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert send_campaign_reminders(day=day).sent == 1
    assert send_campaign_reminders(day=day).sent == 0
    assert len(mail.outbox) == 1
    with tenant_scope(cast.school):
        (row,) = InvitationReminder.objects.all()
    assert row.sent_at is not None
