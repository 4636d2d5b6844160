"""Who may act in which organisation, and with which roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from mentorship.models import Membership, Organization, OrganizationKind, Role, User


@dataclass(frozen=True)
class TenantContext:
    """The organisation of this request and the roles the user holds there."""

    organization: Organization
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in Role.values if role in self.roles]

    @property
    def is_school(self) -> bool:
        return self.organization.is_educational

    @property
    def is_municipality(self) -> bool:
        return self.organization.kind == OrganizationKind.MUNICIPALITY

    @property
    def is_region(self) -> bool:
        return self.organization.kind == OrganizationKind.REGION


def load_organization(slug: str) -> Organization | None:
    # Two levels of parents are enough for region → municipality → school.
    return Organization.objects.select_related("parent__parent").filter(slug=slug).first()


def roles_in(user: User, organization: Organization) -> frozenset[str]:
    """Roles the user holds in this organisation: its own memberships and its ancestors'."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Role.values)
    lineage_ids = [org.pk for org in organization.lineage()]
    return frozenset(
        Membership.objects.filter(user=user, organization_id__in=lineage_ids).values_list(
            "role", flat=True
        )
    )


def organizations_of(user: User) -> list[Organization]:
    """The organisations the user can switch to: their memberships and what those cover.

    A membership at a municipality covers its schools, so they are listed under it.
    Regional memberships list municipalities only: schools are one click further.
    Closed organisations are not offered (their pages stay reachable by address).
    """
    if not user.is_authenticated:
        return []
    own = list(
        Organization.objects.open()
        .filter(memberships__user=user)
        .select_related("parent")
        .distinct()
        .order_by("kind", "short_name")
    )
    covered_parent_ids = [o.pk for o in own if not o.is_educational]
    covered = list(
        Organization.objects.open()
        .filter(parent_id__in=covered_parent_ids)
        .exclude(pk__in=[o.pk for o in own])
        .order_by("short_name")
    )
    return own + covered
