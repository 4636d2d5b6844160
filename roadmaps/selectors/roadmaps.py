"""Reads of one roadmap: its content in roadmap order, the municipal plan's school duties."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from roadmaps.models import Activity, Roadmap, Section


def roadmap_with_content(roadmap: Roadmap) -> list[Section]:
    """Sections with their activities, sub-activities and assignees (five queries)."""
    children = Activity.objects.order_by("position", "pk").prefetch_related("responsible_users")
    top = (
        Activity.objects.filter(parent__isnull=True)
        .order_by("position", "pk")
        .prefetch_related(
            "responsible_users",
            Prefetch("children", queryset=children, to_attr="subitems"),
        )
    )
    return list(
        roadmap.sections.order_by("position", "pk").prefetch_related(
            Prefetch("activities", queryset=top, to_attr="top_activities")
        )
    )


def unscoped_school_copy_count(roadmap: Roadmap) -> int:
    """How many schools (municipalities, for a regional roadmap) hold its duties (a count,
    no content)."""
    with unscoped_reads():
        return Roadmap.objects.filter(origin=roadmap).count()


def cascaded_activities(roadmap: Roadmap) -> list[Activity]:
    """The municipal activities that every school must carry out, in roadmap order."""
    return list(
        roadmap.activities.filter(Q(for_every_school=True) | Q(section__for_every_school=True))
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )


def schools_of(municipality: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(parent=municipality, kind__in=EDUCATIONAL_KINDS).order_by("pk")
    )


def units_below(organization: Organization) -> list[Organization]:
    """Whom a roadmap's «for every organisation below» duties reach: a municipality's
    schools, a region's municipalities (one query)."""
    if organization.kind == OrganizationKind.REGION:
        return list(
            Organization.objects.filter(
                parent=organization, kind=OrganizationKind.MUNICIPALITY
            ).order_by("short_name", "pk")
        )
    return schools_of(organization)


def _same_title(title: str) -> str:
    return " ".join(title.lower().replace("ё", "е").split())


def matching_roadmaps(
    organization: Organization,
    *,
    title: str,
    period_start: date,
    period_end: date,
    order_number: str = "",
) -> list[Roadmap]:
    """The organisation's own roadmaps that look like this one: the same title (case and
    spaces aside) and period, and no different approving order."""
    candidates = Roadmap.objects.filter(
        organization=organization,
        origin__isnull=True,
        period_start=period_start,
        period_end=period_end,
    ).order_by("-pk")
    wanted = _same_title(title)
    return [
        r
        for r in candidates
        if _same_title(r.title) == wanted
        and not (order_number and r.order_number and r.order_number != order_number)
    ]
