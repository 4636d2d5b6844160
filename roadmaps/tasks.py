"""Roadmap tasks. Beat triggers a database scan each morning; no ETA tasks per reminder
(Redis would redeliver those after its visibility timeout, see STACK-NOTES)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

SOFT_TIME_LIMIT = 600  # seconds; the scan takes seconds, the rest is the mail server
HARD_TIME_LIMIT = 660


class RemindersNotDelivered(Exception):
    """Some e-mails failed; their claims were released, so a retry sends only those."""


@shared_task(
    name="roadmaps.send_deadline_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the delivery ledger skips whatever was already sent.
    autoretry_for=(Exception,),
    # A malformed date will not parse any better on a retry.
    dont_autoretry_for=(ValueError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def send_deadline_reminders(day_iso: str | None = None) -> dict:
    """Send the reminders of `day_iso` (YYYY-MM-DD; today in the portal's time zone)."""
    from roadmaps.services.reminders import send_reminders

    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    report = send_reminders(day=day)
    if report.failed_users:
        raise RemindersNotDelivered(f"{report.failed_users} digest(s) failed on {day}")
    return report.as_dict()
