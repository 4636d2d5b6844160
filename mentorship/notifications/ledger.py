"""The reminder delivery ledger: claim, send, mark sent — or release on failure.

Delivery is at-most-once. A run claims its rows in a committed transaction before it
sends anything; a concurrent run's insert of the same key does nothing and that run
skips it. If sending raises, the run releases (deletes) its unsent claims so the next
run retries them. A worker killed after sending but before marking leaves its claim in
place, so that reminder is never sent again: a lost reminder is better than a doubled
one, and a row whose `sent_at` stays empty shows where that happened.

The ledger spans every tenant by nature (one morning run for the whole region), so its
queries run unscoped here, in this one module, and touch only rows of the given run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import NamedTuple
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from mentorship.notifications.models import ReminderDelivery
from mentorship.tenancy.scoping import unscoped_reads


class DeliveryKey(NamedTuple):
    """What must never be sent twice: this reminder kind, for this item and due date, to
    this person."""

    recipient_id: int
    topic: str
    object_id: int
    due_on: date
    kind: str


_KEY_FIELDS = ("recipient_id", "topic", "object_id", "due_on", "kind")


def claim(wanted: Mapping[DeliveryKey, int], *, run_id: UUID) -> set[DeliveryKey]:
    """Claim the wanted deliveries (key → organisation id); return the keys this run holds.

    Keys held by another run, sent or in flight, are not returned. `durable=True`
    refuses to run inside an outer transaction: the claim must be committed before the
    caller sends, or a concurrent run could not see it.
    """
    now = timezone.now()
    # Sorted so that two overlapping runs lock the unique index in the same order and
    # one waits for the other instead of deadlocking.
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
        )
        for (recipient_id, topic, object_id, due_on, kind), organization_id in sorted(
            wanted.items()
        )
    ]
    with unscoped_reads():
        with transaction.atomic(durable=True):
            ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        held = ReminderDelivery.objects.filter(run_id=run_id).values_list(*_KEY_FIELDS)
        return {DeliveryKey(*row) for row in held}


def release(*, run_id: UUID, except_recipients: Collection[int]) -> int:
    """Delete this run's claims of everyone not listed (their mail was not sent)."""
    with unscoped_reads():
        deleted, _ = (
            ReminderDelivery.objects.filter(run_id=run_id, sent_at__isnull=True)
            .exclude(recipient_id__in=list(except_recipients))
            .delete()
        )
    return deleted


def mark_sent(*, run_id: UUID, recipients: Collection[int]) -> int:
    """Confirm this run's claims of these recipients as sent."""
    if not recipients:
        return 0
    with unscoped_reads():
        return ReminderDelivery.objects.filter(
            run_id=run_id, recipient_id__in=list(recipients)
        ).update(sent_at=timezone.now())
