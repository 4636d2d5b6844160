"""Reads of an organisation's staff: memberships and open invitations (one query each)."""

from __future__ import annotations

from django.db.models import QuerySet

from mentorship.models import Invitation, Membership, Organization

__all__ = ["open_invitations_of", "staff_of"]


def staff_of(organization: Organization) -> QuerySet[Membership]:
    """The organisation's own memberships with their people, by role and surname."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )


def open_invitations_of(organization: Organization) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones too: they can be resent)."""
    return (
        Invitation.objects.of(organization)
        .open()
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
