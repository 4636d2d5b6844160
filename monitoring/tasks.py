"""Monitoring tasks: invitation letters after a curator invites, and the daily reminder
scan. Arguments are ids; both are safe to run twice (see the services).

The services schedule these by name (`current_app.tasks[...]`), never importing this
module, which calls them; MonitoringConfig.ready imports it in every process."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from mentorship.models import Organization
from mentorship.tasks import tenant_task
from monitoring.services.ended import campaigns_announce_ended
from monitoring.services.mailing import invitations_send
from monitoring.services.reminders import send_campaign_reminders as remind


class RemindersNotDelivered(Exception):
    """Some letters failed; their claims were released, so a retry sends only those."""


@tenant_task(
    name="monitoring.send_invitation_emails",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def send_invitation_emails(school: Organization, campaign_id: int) -> int:
    """Mail the school's unsent invitations of the campaign (in the school's scope)."""
    return invitations_send(campaign_id, school.pk)


@shared_task(
    name="monitoring.send_campaign_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the reminder ledger skips whatever was already sent.
    autoretry_for=(Exception,),
    dont_autoretry_for=(ValueError,),
    retry_backoff=60,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def send_campaign_reminders(day_iso: str | None = None) -> dict:
    """Remind non-respondents on `day_iso` (YYYY-MM-DD; today in the portal's time zone)."""
    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    report = remind(day=day)
    if report.failed or report.deferred:
        raise RemindersNotDelivered(
            f"{report.failed} reminder(s) failed, {report.deferred} left on {day}"
        )
    return report.as_dict()


@shared_task(
    name="monitoring.announce_ended_campaigns",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to run twice: a roadmap activity already ticked is not ticked again.
    autoretry_for=(Exception,),
    dont_autoretry_for=(ValueError,),
    retry_backoff=60,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    max_retries=3,
)
def announce_ended_campaigns(day_iso: str | None = None) -> int:
    """«Campaign ended» for the campaigns whose last day was the day before `day_iso`."""
    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    return campaigns_announce_ended(day=day)


@shared_task(
    name="monitoring.send_waiting_letters",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the participants' letter ledger skips whatever was already sent.
    autoretry_for=(RemindersNotDelivered, OSError),
    retry_backoff=60,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def send_waiting_letters(day_iso: str | None = None) -> dict:
    """«A questionnaire is waiting»: once per invitation monitoring did not mail itself."""
    from monitoring.services.waiting import send_waiting_letters as send

    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    report = send(day=day)
    if report.failed or report.deferred:
        raise RemindersNotDelivered(f"{report.failed} letter(s) failed, {report.deferred} left")
    return report.as_dict()
