"""Roadmap tasks. Beat triggers a database scan each morning; no ETA tasks per reminder
(Redis would redeliver those after its visibility timeout, see STACK-NOTES)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone


class RemindersNotDelivered(Exception):
    """Some e-mails failed or were left for lack of time; their claims were released, so a
    retry sends only those."""


@shared_task(
    name="roadmaps.send_deadline_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the delivery ledger skips whatever was already sent.
    autoretry_for=(Exception,),
    # A malformed date will not parse any better on a retry.
    dont_autoretry_for=(ValueError,),
    retry_backoff=60,
    # Below the broker's visibility timeout (see the settings' note on time limits).
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def send_deadline_reminders(day_iso: str | None = None) -> dict:
    """Send the reminders of `day_iso` (YYYY-MM-DD; today in the portal's time zone)."""
    from roadmaps.services.reminders import send_reminders

    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    report = send_reminders(day=day)
    if report.failed_users or report.deferred_users:
        raise RemindersNotDelivered(
            f"{report.failed_users} digest(s) failed, {report.deferred_users} left on {day}"
        )
    return report.as_dict()
