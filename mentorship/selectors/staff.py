"""Reads of an organisation's staff: memberships and pending invitations."""

from __future__ import annotations

from django.db.models import QuerySet

from mentorship.models import Membership, Organization


def staff_of(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
