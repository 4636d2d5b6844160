"""Reads of the core that span relations; each returns in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from mentorship.models import EDUCATIONAL_KINDS, Membership, Organization, Role


def schools_of(municipality: Organization) -> QuerySet[Organization]:
    """A municipality's educational organisations with their curators (two queries)."""
    curators = Membership.objects.filter(role=Role.CURATOR).select_related("user")
    return (
        Organization.objects.filter(parent=municipality, kind__in=EDUCATIONAL_KINDS)
        .prefetch_related(Prefetch("memberships", queryset=curators, to_attr="curator_memberships"))
        .order_by("short_name")
    )


def municipalities_of(region: Organization) -> QuerySet[Organization]:
    """A region's municipalities with their count of schools: aggregates, not people."""
    return (
        Organization.objects.filter(parent=region)
        .annotate(school_count=Count("children", filter=Q(children__kind__in=EDUCATIONAL_KINDS)))
        .order_by("short_name")
    )
