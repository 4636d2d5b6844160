"""Reads of the organisation tree; each returns in a fixed number of queries.

Closed organisations (merged, liquidated) are left out of every list here; they keep
their pages and rows, and `closed_children_of` lists them for those who may reopen one.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from mentorship.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
)

__all__ = [
    "STAFF_ROLES_BELOW",
    "children_with_staff",
    "closed_children_of",
]


# Whose names the organisations page shows beside each organisation one level down: the
# people who run it (and who its manager invites).
STAFF_ROLES_BELOW = {
    OrganizationKind.REGION: (Role.METHODIST, Role.DEPARTMENT),
    OrganizationKind.MUNICIPALITY: (Role.CURATOR,),
}


def children_with_staff(parent: Organization) -> list[Organization]:
    """The open organisations directly under `parent`, each with `staff` (memberships of
    the roles that run it) and `pending` (its open invitations to those roles): three
    queries, however many organisations."""
    roles = STAFF_ROLES_BELOW.get(OrganizationKind(parent.kind), ())
    members = (
        Membership.objects.filter(role__in=roles)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
    pending = Invitation.objects.open().filter(role__in=roles).order_by("created_at")
    return list(
        Organization.objects.open()
        .filter(parent=parent)
        .prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="staff"),
            Prefetch("invitations", queryset=pending, to_attr="pending"),
        )
        .order_by("short_name")
    )


def closed_children_of(parent: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(parent=parent, closed_at__isnull=False).order_by(
        "-closed_at"
    )
