"""The reminder delivery ledger: claim with a lease, send, mark each sent at once.

The protocol, for every table built on `LeasedClaim` (the portal users' reminders here,
monitoring's reminders to participants):

1. **Claim.** In one committed transaction, a run deletes the unsent claims whose lease
   has run out (their run died: SIGKILL, a lost machine, a hard time limit) and inserts
   its own claims with a fresh lease, ON CONFLICT DO NOTHING. Whatever another run holds
   (lease running) or has sent is skipped. Committed before anything is sent, so a
   concurrent run sees the claims.
2. **Send and mark, one by one.** Right after each letter the run marks that claim sent,
   in its own short transaction. A worker killed after 9 of 33 letters leaves 9 marked
   and 24 claimed-unsent; once their lease ends, the next run (a rerun, the broker's
   redelivery, tomorrow's beat) takes the 24 over. The only window for a doubled letter
   is between the mail server's "accepted" and that one UPDATE.
3. **Release.** Whatever the run did not send (a refused letter, the time limit) it
   deletes at the end, so a retry may claim it at once.

A run stops sending before its own lease ends (`Lease.allows_another`), so a claim is
never taken over while its run still sends; the lease is as long as the reminder task
may live (its hard time limit, see mentorship/settings.py).

The ledger spans every tenant by nature (one morning run for the whole region), so its
queries run unscoped here, in this one module, and touch only rows of the given run
or expired unsent claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from mentorship.notifications.models import LeasedClaim, ReminderDelivery
from mentorship.tenancy.scoping import unscoped_reads


@dataclass(frozen=True)
class Lease:
    """How long a run's claims are its own, and whether there is time for one more letter."""

    until: datetime
    # A letter is started only if it can finish (or time out) before the lease ends.
    margin: timedelta

    @classmethod
    def start(cls, seconds: int | None = None) -> Lease:
        seconds = settings.REMINDER_LEASE_SECONDS if seconds is None else seconds
        margin = timedelta(seconds=min(settings.EMAIL_TIMEOUT or 60, seconds / 2))
        return cls(until=timezone.now() + timedelta(seconds=seconds), margin=margin)

    def allows_another(self) -> bool:
        return timezone.now() + self.margin < self.until


def claim_rows(
    model: type[LeasedClaim], rows: Iterable[LeasedClaim], *, run_id: UUID, stale: models.Q
) -> models.QuerySet:
    """Take over expired unsent claims matching `stale`, insert `rows`; return this run's.

    `durable=True` refuses to run inside an outer transaction: the claim must be
    committed before the caller sends. Expired rows are locked in primary-key order and
    rows inserted in key order (the caller sorts), so two overlapping runs wait for each
    other instead of deadlocking.
    """
    with unscoped_reads():
        with transaction.atomic(durable=True):
            expired = list(
                model.objects.filter(stale, sent_at__isnull=True, lease_until__lte=timezone.now())
                .order_by("pk")
                .select_for_update()
                .values_list("pk", flat=True)
            )
            if expired:
                model.objects.filter(pk__in=expired, sent_at__isnull=True).delete()
            model.objects.bulk_create(list(rows), ignore_conflicts=True)
        return model.objects.filter(run_id=run_id)


def mark_rows_sent(model: type[LeasedClaim], *, run_id: UUID, **which) -> int:
    """Confirm this run's unsent claims matching `which` as sent; returns how many."""
    with unscoped_reads():
        return model.objects.filter(run_id=run_id, sent_at__isnull=True, **which).update(
            sent_at=timezone.now()
        )


def release_rows(model: type[LeasedClaim], *, run_id: UUID) -> int:
    """Delete this run's claims that were not sent, so the next run may claim them."""
    with unscoped_reads():
        deleted, _ = model.objects.filter(run_id=run_id, sent_at__isnull=True).delete()
    return deleted


# --- the portal users' reminders (ReminderDelivery) --------------------------------------


class DeliveryKey(NamedTuple):
    """What must never be sent twice: this reminder kind, for this item and due date, to
    this person."""

    recipient_id: int
    topic: str
    object_id: int
    due_on: date
    kind: str


_KEY_FIELDS = ("recipient_id", "topic", "object_id", "due_on", "kind")


def claim(
    wanted: Mapping[DeliveryKey, int], *, run_id: UUID, lease: Lease | None = None
) -> set[DeliveryKey]:
    """Claim the wanted deliveries (key → organisation id); return the keys this run holds.

    Keys held by another run under a running lease, or sent, are not returned; unsent
    claims of the same topics whose lease has ended are taken over.
    """
    lease = lease or Lease.start()
    now = timezone.now()
    rows = [
        ReminderDelivery(
            recipient_id=recipient_id,
            topic=topic,
            object_id=object_id,
            due_on=due_on,
            kind=kind,
            organization_id=organization_id,
            run_id=run_id,
            claimed_at=now,
            lease_until=lease.until,
        )
        for (recipient_id, topic, object_id, due_on, kind), organization_id in sorted(
            wanted.items()
        )
    ]
    topics = {key.topic for key in wanted}
    held = claim_rows(ReminderDelivery, rows, run_id=run_id, stale=models.Q(topic__in=topics))
    with unscoped_reads():
        return {DeliveryKey(*row) for row in held.values_list(*_KEY_FIELDS)}


def mark_sent(*, run_id: UUID, recipient_id: int) -> int:
    """Confirm this run's claims of one recipient as sent, right after their letter."""
    return mark_rows_sent(ReminderDelivery, run_id=run_id, recipient_id=recipient_id)


def release(*, run_id: UUID) -> int:
    """Delete this run's unsent claims (their letters were not sent)."""
    return release_rows(ReminderDelivery, run_id=run_id)
