"""Reminders to non-respondents: at most once per invitation every N days.

The campaign says N (`remind_every_days`). On a given day an invitation is reminded if
its campaign is open, it was mailed, nobody answered, the link is not revoked, the
person may still be processed, and the last letter (the invitation or a reminder) is at
least N days old. Those go through the same claim → send → mark protocol as the portal's
reminder ledger (mentorship/notifications/ledger.py), in monitoring's own table because
the ledger's recipients are portal users and participants are not
(InvitationReminder, unique per invitation, day and kind). Running the command twice on
one day, or two overlapping runs, therefore sends each reminder once.

Pupils reached through the printed sheet have no address: the curator's campaign page
shows who has not answered yet.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import date

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

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
        last = dict(
            InvitationReminder.objects.filter(invitation_id__in=[i.pk for i in candidates])
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
    now = timezone.now()
    with unscoped_reads():
        # Committed before anything is sent, so a concurrent run sees the claims.
        with transaction.atomic(durable=True):
            InvitationReminder.objects.bulk_create(
                [
                    InvitationReminder(
                        organization_id=inv.organization_id,
                        invitation=inv,
                        due_on=day,
                        kind=KIND,
                        run_id=run_id,
                        claimed_at=now,
                    )
                    for inv in sorted(due, key=lambda i: i.pk)
                ],
                ignore_conflicts=True,
            )
        held = set(
            InvitationReminder.objects.filter(run_id=run_id).values_list("invitation_id", flat=True)
        )
    report.skipped = len(due) - len(held)
    sent: list[int] = []
    failed: list[int] = []
    with get_connection() as connection:
        for invitation in due:
            if invitation.pk not in held:
                continue
            try:
                message = invitation_message(invitation, reminder=True, connection=connection)
                ok = connection.send_messages([message])
            except Exception:
                logger.exception("Reminder for invitation %s failed", invitation.pk)
                ok = 0
            (sent if ok else failed).append(invitation.pk)
    with unscoped_reads():
        claims = InvitationReminder.objects.filter(run_id=run_id)
        # Failed ones are released so that the next run (or a retry) tries again.
        claims.filter(invitation_id__in=failed).delete()
        claims.filter(invitation_id__in=sent).update(sent_at=timezone.now())
    report.sent, report.failed = len(sent), len(failed)
    return report
