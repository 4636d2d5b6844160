"""Reads of a user's notifications."""

from __future__ import annotations

from mentorship.models import User
from mentorship.notifications.models import Notification, NotificationQuerySet

# The bell shows "99+" beyond this: counting further would cost more and say nothing.
BELL_CAP = 99


def unread_count(user: User) -> int:
    """Unread notifications of the user, counted up to BELL_CAP + 1, in one query."""
    capped = Notification.objects.for_user(user).unread().order_by().values("pk")
    return capped[: BELL_CAP + 1].count()


def notifications_of(user: User) -> NotificationQuerySet:
    """The user's notifications, newest first."""
    return Notification.objects.for_user(user).select_related("organization")
