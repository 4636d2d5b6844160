"""Named cross-tenant reads of the indicators: counts, contingents, targets, roadmaps.

A municipality sums its schools and a region its municipalities, so these reads cross
tenants on purpose. Each one says so in its name (`unscoped_`), filters by the ids of
the organisations it is given, and returns numbers — never a participant, never a name
of a person. Each is one query whatever the number of schools.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.models import Contingent, Target
from monitoring.indicators.selectors import queries
from monitoring.models import CampaignSchool
from registry.models import Pair
from roadmaps.models import Roadmap, RoadmapStatus
from roadmaps.selectors import unscoped_progress_matrix

# A municipal roadmap that was approved once: the current one or an archived version.
APPROVED_ONCE = (RoadmapStatus.APPROVED, RoadmapStatus.ARCHIVED)


def children_of(organization: Organization, *, kinds: Sequence[str]) -> list[Organization]:
    """Schools of a municipality, or municipalities of a region (organisations, not people)."""
    return list(
        Organization.objects.filter(parent=organization, kind__in=kinds).order_by(
            "short_name", "pk"
        )
    )


def schools_of(municipality: Organization) -> list[Organization]:
    return children_of(municipality, kinds=EDUCATIONAL_KINDS)


def unscoped_schools_of_region(region: Organization) -> list[Organization]:
    """The educational organisations two levels down, each with its `parent_id`."""
    return list(
        Organization.objects.filter(
            parent__parent=region,
            parent__kind=OrganizationKind.MUNICIPALITY,
            kind__in=EDUCATIONAL_KINDS,
        ).order_by("parent_id", "short_name", "pk")
    )


def count_schools_of_region(region: Organization) -> int:
    return Organization.objects.filter(
        parent__parent=region,
        parent__kind=OrganizationKind.MUNICIPALITY,
        kind__in=EDUCATIONAL_KINDS,
    ).count()


def unscoped_people_counts(
    school_ids: Sequence[int], years: Iterable[int]
) -> dict[tuple[int, int], dict[str, int]]:
    """Distinct participants in counted pairs per school and year, by indicator group."""
    # Raw SQL bypasses the scoped managers; the filter is the ids given here.
    return queries.people_counts(school_ids, years)


def unscoped_partner_mentoring(
    school_ids: Sequence[int], years: Iterable[int]
) -> dict[int, set[tuple[int, int]]]:
    """(school, partner) per year where a partner's representative was a mentor."""
    return queries.partner_mentoring(school_ids, years)


def unscoped_contingents(
    organization_ids: Sequence[int], years: Iterable[int]
) -> dict[tuple[int, int], Contingent]:
    """The entered contingents of these organisations for these years."""
    with unscoped_reads():
        rows = Contingent.objects.filter(organization_id__in=organization_ids, year__in=list(years))
        return {(c.organization_id, c.year): c for c in rows}


@dataclass(frozen=True)
class TargetValue:
    percent: Decimal
    # The year it was set for: an earlier year's target stays in force until replaced.
    year: int
    level: str  # "global", or the kind of the organisation that set it


@dataclass(frozen=True)
class Targets:
    """The target rows that apply to an organisation, resolved per indicator and year."""

    rows: tuple[tuple[str, int, int, Decimal, str], ...]  # indicator, year, rank, %, level

    def for_year(self, indicator: str, year: int) -> TargetValue | None:
        """The latest target set for this year or before; the nearest level wins a tie."""
        best = None
        for code, row_year, rank, percent, level in self.rows:
            if code != indicator or row_year > year:
                continue
            key = (row_year, rank)
            if best is None or key > best[0]:
                best = (key, TargetValue(percent=percent, year=row_year, level=level))
        return best[1] if best else None


def unscoped_targets(organization: Organization | None) -> Targets:
    """Global defaults and the overrides of the organisation's lineage (region, municipality);
    with no organisation, the global defaults alone.

    The global rows belong to no tenant, so this read lifts the scope; it returns
    percentages only.
    """
    lineage = organization.lineage() if organization is not None else []
    # Nearer levels rank higher: the municipality's own target beats the region's.
    rank = {org.pk: len(lineage) - i for i, org in enumerate(lineage)}
    kinds = {org.pk: org.kind for org in lineage}
    with unscoped_reads():
        rows = Target.objects.filter(
            Q(organization__isnull=True) | Q(organization_id__in=list(rank))
        ).values_list("indicator", "year", "percent", "organization_id")
        resolved = tuple(
            (code, year, rank.get(org_id, 0), percent, kinds.get(org_id, "global"))
            for code, year, percent, org_id in rows
        )
    return Targets(rows=resolved)


def unscoped_first_approvals(municipality_ids: Sequence[int]) -> dict[int, datetime.date]:
    """When each municipality first had an approved roadmap (its order's date, or else
    the start of the roadmap's period): the model was introduced there from then on."""
    if not municipality_ids:
        return {}
    with unscoped_reads():
        rows = (
            Roadmap.objects.filter(
                organization_id__in=municipality_ids,
                origin__isnull=True,
                status__in=APPROVED_ONCE,
            )
            .order_by()
            .values("organization_id")
            .annotate(first=Min(Coalesce("order_date", "period_start")))
        )
        return {r["organization_id"]: r["first"] for r in rows}


def unscoped_current_roadmap(municipality: Organization, year: int) -> Roadmap | None:
    """The municipal roadmap whose completion a report shows: one covering the year
    (approved before draft, the latest period first), else the latest approved, else
    the latest draft."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with unscoped_reads():
        roadmaps = Roadmap.objects.filter(organization=municipality, origin__isnull=True)
        covering = roadmaps.filter(
            status__in=(*APPROVED_ONCE, RoadmapStatus.DRAFT),
            period_start__lte=last,
            period_end__gte=first,
        )
        # "approved" < "archived" < "draft": the approved version of the year comes first.
        return (
            covering.order_by("status", "-period_start", "-version").first()
            or roadmaps.filter(status=RoadmapStatus.APPROVED).order_by("-period_start").first()
            or roadmaps.filter(status=RoadmapStatus.DRAFT).order_by("-pk").first()
        )


def unscoped_pairs_by_form(school_ids: Sequence[int], year: int) -> dict[tuple[int, str], int]:
    """{(school id, form name): pairs} of the pairs counted in the year (see `queries`)."""
    if not school_ids:
        return {}
    window = queries.Window(year)
    with unscoped_reads():
        rows = (
            Pair.objects.filter(organization_id__in=school_ids, status__in=queries.COUNTED_STATUSES)
            .filter(
                Q(starts_on__lte=window.last)
                | Q(starts_on__isnull=True, created_at__lt=window.next_start)
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=window.first))
            .order_by()
            .values("organization_id", "form__name", "form__ordering")
            .annotate(n=Count("pk"))
            .order_by("form__ordering", "form__name")
        )
        return {(r["organization_id"], r["form__name"]): r["n"] for r in rows}


def unscoped_roadmap_completion(
    roadmap: Roadmap, *, only: Sequence[int] | None = None
) -> list[tuple[str, int, int]]:
    """(school name, done, total) of the municipal roadmap's school duties: statuses only.

    Wraps the roadmaps app's matrix, which reads the schools' copies; the cascaded
    activities themselves are the municipality's rows, read here from whichever scope
    the caller is in (a school's report reads its municipality's roadmap).
    """
    with unscoped_reads():
        matrix = unscoped_progress_matrix(roadmap)
    return [
        (row.school.short_name, row.done, row.total)
        for row in matrix.rows
        if only is None or row.school.pk in only
    ]


def unscoped_campaign_schools(campaign_id: int) -> list[Organization]:
    """The schools a campaign covers (organisations, not people)."""
    with unscoped_reads():
        rows = CampaignSchool.objects.filter(campaign_id=campaign_id).values("organization_id")
        return list(Organization.objects.filter(pk__in=rows).order_by("short_name", "pk"))
