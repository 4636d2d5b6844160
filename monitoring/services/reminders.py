"""Reminders to non-respondents: at most once per invitation every N days.

The campaign says N (`remind_every_days`). On a given day an invitation is reminded if
its campaign is open, it was mailed, nobody answered, the link is not revoked, the
person may still be processed, and the last letter (the invitation or a reminder) is at
least N days old. Those go through the same lease protocol as the portal's reminder
ledger (claim with a lease → send → mark each sent at once; see
mentorship/notifications/ledger.py), in monitoring's own table because the ledger's
recipients are portal users and participants are not (InvitationReminder, unique per
invitation, day and kind). Running the command twice on one day, or two overlapping
runs, therefore sends each reminder once, and a run killed mid-send leaves its unsent
claims to the next run once their lease ends.

Pupils reached through the printed sheet have no address: the curator's campaign page
shows who has not answered yet.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import date

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import get_connection
from django.db.models import Max, Q
from django.utils import timezone

from mentorship.notifications import ledger
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.models import Channel, Invitation, InvitationReminder
from monitoring.services.mailing import invitation_message
from registry.models import ConsentState

logger = logging.getLogger(__name__)

KIND = "nonrespondent"


@dataclass
class ReminderReport:
    day: date
    sent: int = 0
    skipped: int = 0  # already reminded today, or held by another run
    failed: int = 0  # mail raised: claim released, the next run retries
    deferred: int = 0  # not tried: the run's lease was running out; released too

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data


def unscoped_due_invitations(day: date) -> list[Invitation]:
    """Every school's invitations to remind on `day`: a cross-tenant scan by design,
    called only by this service; three queries whatever the number of schools."""
    with unscoped_reads():
        candidates = list(
            Invitation.objects.filter(
                campaign__starts_on__lte=day,
                campaign__ends_on__gte=day,
                campaign__closed_at__isnull=True,
                channel=Channel.EMAIL,
                sent_at__isnull=False,
                responded_at__isnull=True,
                revoked_at__isnull=True,
                participant__consent_state=ConsentState.VALID,
                participant__depersonalized_at__isnull=True,
            )
            .exclude(participant__email="")
            .select_related("campaign", "questionnaire", "participant", "organization")
        )
        # Letters that went: a claim never confirmed (its run died) is no reminder.
        last = dict(
            InvitationReminder.objects.filter(
                invitation_id__in=[i.pk for i in candidates], sent_at__isnull=False
            )
            .values("invitation_id")
            .annotate(last=Max("due_on"))
            .values_list("invitation_id", "last")
        )
    due = []
    for invitation in candidates:
        previous = last.get(invitation.pk) or timezone.localtime(invitation.sent_at).date()
        if (day - previous).days >= invitation.campaign.remind_every_days:
            due.append(invitation)
    return due


def send_campaign_reminders(*, day: date) -> ReminderReport:
    """Claim, send and confirm the day's reminders. Call outside any transaction."""
    report = ReminderReport(day=day)
    due = unscoped_due_invitations(day)
    if not due:
        return report
    run_id = uuid.uuid4()
    lease = ledger.Lease.start()
    now = timezone.now()
    claims = [
        InvitationReminder(
            organization_id=inv.organization_id,
            invitation=inv,
            due_on=day,
            kind=KIND,
            run_id=run_id,
            claimed_at=now,
            lease_until=lease.until,
        )
        for inv in sorted(due, key=lambda i: i.pk)
    ]
    stale = Q(invitation_id__in=[inv.pk for inv in due])
    held_rows = ledger.claim_rows(InvitationReminder, claims, run_id=run_id, stale=stale)
    with unscoped_reads():
        held = set(held_rows.values_list("invitation_id", flat=True))
    report.skipped = len(due) - len(held)
    mine = [invitation for invitation in due if invitation.pk in held]
    try:
        with get_connection() as connection:
            for position, invitation in enumerate(mine):
                if not lease.allows_another():
                    report.deferred = len(mine) - position
                    break
                try:
                    message = invitation_message(invitation, reminder=True, connection=connection)
                    ok = connection.send_messages([message])
                except SoftTimeLimitExceeded:
                    raise
                except Exception:
                    logger.exception("Reminder for invitation %s failed", invitation.pk)
                    ok = 0
                if ok:
                    # Confirmed right after its own letter, not after the loop.
                    ledger.mark_rows_sent(
                        InvitationReminder, run_id=run_id, invitation_id=invitation.pk
                    )
                    report.sent += 1
                else:
                    report.failed += 1
    finally:
        # Failed and untried ones are released so that the next run (or a retry) tries again.
        ledger.release_rows(InvitationReminder, run_id=run_id)
    return report
