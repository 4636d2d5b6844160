"""Writes to a user's notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from mentorship.models import User
from mentorship.notifications.models import Notification


class NewNotification(NamedTuple):
    user_id: int
    organization_id: int | None
    title: str
    body: str
    url: str


def notifications_create_many(rows: Iterable[NewNotification]) -> int:
    """Store many notifications in one INSERT over column arrays; returns how many.

    A morning reminder run writes tens of thousands of rows. bulk_create would build a
    model instance and prepare every field of each in Python, which took seconds of the
    run's 10-second budget; this builds five arrays and lets PostgreSQL unnest them.
    """
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        # The embedded SQLite has no arrays to unnest; its runs are small.
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                user_id=row.user_id,
                organization_id=row.organization_id,
                title=row.title,
                body=row.body,
                url=row.url,
                created_at=now,
            )
            for row in rows
        )
        return len(rows)
    meta = Notification._meta
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(meta.get_field(name).column)
        for name in ("user", "organization", "title", "body", "url", "created_at")
    )
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608 - names from _meta only
        "SELECT u, o, t, b, l, %s FROM unnest("
        "%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[]) AS r(u, o, t, b, l)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *(list(column) for column in zip(*rows, strict=True))])
    return len(rows)


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
