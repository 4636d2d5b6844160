"""The region's own reads: its campaigns' response rates by municipality and school, the
roll-up matrix of its municipalities, and the hooks to the other helpers' work. A
municipality that has submitted the year shows there its submitted counts, live beside.

Every function here is a named cross-tenant read (`unscoped_`): it filters by the
region's own tree and returns counts of people (under 5 hidden, as the indicators do:
`count_figure` and `protect_total`) and statuses of organisations, never a person.
Each one runs a fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.selectors import cache, queries
from monitoring.indicators.selectors.counts import APPROVED_ONCE, count_schools_of_region
from monitoring.indicators.selectors.dashboards import live_beside
from monitoring.indicators.selectors.figures import Figure, count_figure, protect_total
from monitoring.indicators.selectors.oversight import submitted_figures
from monitoring.indicators.selectors.values import load
from monitoring.models import Campaign, CampaignSchool, Invitation
from registry.models import Pair
from roadmaps.models import Activity, ActivityStatus, Roadmap

# --- Hooks to work of the other helpers of issue 17 ------------------------------------


def unscoped_submitted_figures(region: Organization, year: int) -> dict[int, Any]:
    """The municipalities of the region that submitted the year (and were not returned),
    {municipality id: their frozen figures}: monitoring/indicators/selectors/oversight.py."""
    return submitted_figures(region, year)


def unscoped_best_practices_passed_up(region: Organization, year: int) -> list:
    """The practices the region's municipalities passed up to the regional bank in the
    year (monitoring's bank of best practices), newest first, with their municipality."""
    from monitoring.selectors.practices import practices_passed_to_region

    return [
        practice
        for practice in practices_passed_to_region(region)
        if timezone.localtime(practice.passed_to_region_at).year == year
    ]


# --- Response rates --------------------------------------------------------------------


def _rate(responded: int, invited: int) -> Decimal | None:
    if not invited:
        return None
    return (Decimal(100) * responded / invited).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RateCell:
    """Invited and responded at a school, a municipality or the region, published."""

    organization: Organization
    invited_count: int
    responded_count: int
    invited: Figure = field(init=False)
    responded: Figure = field(init=False)
    schools: int = 0

    def __post_init__(self) -> None:
        self.invited = count_figure(self.invited_count, None, suppress=True)
        self.responded = count_figure(self.responded_count, None, suppress=True)

    @property
    def rate(self) -> Decimal | None:
        """Hidden with either count: a rate and a shown count give the other back."""
        if self.invited.hidden or self.responded.hidden:
            return None
        return _rate(self.responded_count, self.invited_count)


def _protect(cells: list[RateCell]) -> None:
    """A total is shown under the cells: one hidden cell alone would be given back."""
    for attr in ("invited", "responded"):
        figures = protect_total([(getattr(c, attr), getattr(c, f"{attr}_count")) for c in cells])
        for cell, figure in zip(cells, figures, strict=True):
            setattr(cell, attr, figure)


@dataclass
class RegionalCampaignRates:
    campaign: Campaign
    total: RateCell
    municipalities: list[RateCell]
    # The schools of one municipality, when asked for.
    schools: list[RateCell] = field(default_factory=list)
    municipality: Organization | None = None


def _region_schools(region: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            parent__parent=region,
            parent__kind=OrganizationKind.MUNICIPALITY,
            kind__in=EDUCATIONAL_KINDS,
        )
        .select_related("parent")
        .order_by("parent__short_name", "parent_id", "short_name", "pk")
    )


def _invitation_counts(campaign_ids: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """{(campaign id, school id): (invited, responded)}; a revoked unanswered link is not
    an invitation any more (the results pages count the same way)."""
    with unscoped_reads():
        rows = (
            Invitation.objects.filter(campaign_id__in=campaign_ids)
            .values("campaign_id", "organization_id")
            .annotate(
                invited=Count(
                    "pk", filter=Q(revoked_at__isnull=True) | Q(responded_at__isnull=False)
                ),
                responded=Count("pk", filter=Q(responded_at__isnull=False)),
            )
            .order_by()
        )
        return {
            (r["campaign_id"], r["organization_id"]): (r["invited"], r["responded"]) for r in rows
        }


def _municipal_cells(
    schools: list[Organization], counts: dict[int, tuple[int, int]]
) -> tuple[list[RateCell], dict[int, list[RateCell]]]:
    by_municipality: dict[int, list[RateCell]] = defaultdict(list)
    municipalities: dict[int, Organization] = {}
    for school in schools:
        invited, responded = counts.get(school.pk, (0, 0))
        by_municipality[school.parent_id].append(RateCell(school, invited, responded))
        municipalities[school.parent_id] = school.parent
    cells = []
    for municipality_id, rows in by_municipality.items():
        cell = RateCell(
            municipalities[municipality_id],
            sum(r.invited_count for r in rows),
            sum(r.responded_count for r in rows),
            schools=len(rows),
        )
        cells.append(cell)
    cells.sort(key=lambda c: (c.organization.short_name, c.organization.pk))
    return cells, by_municipality


def unscoped_regional_campaign_rates(
    region: Organization, campaign: Campaign, *, municipality_id: int | None = None
) -> RegionalCampaignRates:
    """Response rates of a regional campaign by municipality, and by school for one
    municipality when `municipality_id` is given (three queries)."""
    covered = set()
    with unscoped_reads():
        covered = set(
            CampaignSchool.objects.filter(campaign=campaign).values_list(
                "organization_id", flat=True
            )
        )
    schools = [s for s in _region_schools(region) if s.pk in covered]
    counts = {
        school_id: value
        for (_c, school_id), value in _invitation_counts([campaign.pk]).items()
        if school_id in covered
    }
    municipalities, by_municipality = _municipal_cells(schools, counts)
    _protect(municipalities)
    total = RateCell(
        region,
        sum(c.invited_count for c in municipalities),
        sum(c.responded_count for c in municipalities),
        schools=len(schools),
    )
    result = RegionalCampaignRates(campaign=campaign, total=total, municipalities=municipalities)
    if municipality_id is not None:
        rows = by_municipality.get(municipality_id, [])
        _protect(rows)
        result.schools = rows
        result.municipality = rows[0].organization.parent if rows else None
    return result


def regional_campaigns_of_year(year: int) -> list[Campaign]:
    """The region's own campaigns starting in the year (in the region's tenant scope)."""
    return list(
        Campaign.objects.filter(starts_on__year=year, purpose="monitoring")
        .select_related("mentor_questionnaire", "mentee_questionnaire")
        .order_by("starts_on", "pk")
    )


# --- The roll-up matrix ----------------------------------------------------------------


@dataclass
class RollupRow:
    """A municipality of the roll-up. Where it has submitted the year (`submitted_at`),
    its people and organisations are the submitted counts, the live ones beside them
    where they differ; pairs, roadmap and campaign are not part of a submission and
    stay live."""

    municipality: Organization
    schools: int
    active_schools: int
    participants: Figure
    pairs: Figure
    roadmap: Roadmap | None
    roadmap_done: int
    roadmap_total: int
    campaign: RateCell | None
    submitted_at: datetime.datetime | None = None
    live_participants: Figure | None = None
    live_schools: int | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def roadmap_percent(self) -> int | None:
        return round(100 * self.roadmap_done / self.roadmap_total) if self.roadmap_total else None


@dataclass
class Rollup:
    region: Organization
    year: int
    rows: list[RollupRow]
    campaign: Campaign | None
    schools: int
    active_schools: int
    participants: Figure
    pairs: Figure

    @property
    def roadmap_done(self) -> int:
        return sum(r.roadmap_done for r in self.rows)

    @property
    def roadmap_total(self) -> int:
        return sum(r.roadmap_total for r in self.rows)

    @property
    def roadmap_percent(self) -> int | None:
        total = self.roadmap_total
        return round(100 * self.roadmap_done / total) if total else None

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.rows)


def _pairs_per_school(school_ids: list[int], year: int) -> dict[int, int]:
    window = queries.Window(year)
    with unscoped_reads():
        rows = (
            Pair.objects.filter(organization_id__in=school_ids, status__in=queries.COUNTED_STATUSES)
            .filter(
                Q(starts_on__lte=window.last)
                | Q(starts_on__isnull=True, created_at__lt=window.next_start)
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=window.first))
            .values("organization_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {r["organization_id"]: r["n"] for r in rows}


def unscoped_current_roadmaps(municipality_ids: list[int], year: int) -> dict[int, Roadmap]:
    """Each municipality's roadmap of the year: approved before draft, latest period first
    (the rule of `counts.unscoped_current_roadmap`, for all of them in one query)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with unscoped_reads():
        rows = (
            Roadmap.objects.filter(
                organization_id__in=municipality_ids,
                origin__isnull=True,
                status__in=(*APPROVED_ONCE, "draft"),
                period_start__lte=last,
                period_end__gte=first,
            )
            .order_by("organization_id", "status", "-period_start", "-version")
            .only("pk", "organization_id", "title", "status", "period_start", "period_end")
        )
        found: dict[int, Roadmap] = {}
        for roadmap in rows:
            found.setdefault(roadmap.organization_id, roadmap)
        return found


def unscoped_roadmap_done(roadmap_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{roadmap id: (done, total)} of the schools' copies of its school duties."""
    if not roadmap_ids:
        return {}
    with unscoped_reads():
        rows = (
            Activity.objects.filter(origin__roadmap_id__in=roadmap_ids)
            .values("origin__roadmap_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActivityStatus.DONE)))
            .order_by()
        )
        return {r["origin__roadmap_id"]: (r["done"], r["total"]) for r in rows}


def unscoped_regional_rollup(region: Organization, year: int) -> Rollup:
    """Municipalities × what the region follows: schools working, people and pairs, the
    roadmap's school duties done, the latest regional campaign's response, submission.
    Nine queries whatever the size of the region; a region-sized tree's roll-up is kept
    whole between requests (selectors/cache.py)."""
    if cache.enabled(count_schools_of_region(region)):
        return cache.whole(
            "region-rollup", f"{region.pk}:{year}", [year], lambda: _rollup(region, year)
        )
    return _rollup(region, year)


def _rollup(region: Organization, year: int) -> Rollup:
    municipalities = list(
        Organization.objects.filter(parent=region, kind=OrganizationKind.MUNICIPALITY).order_by(
            "short_name", "pk"
        )
    )
    schools = _region_schools(region)
    school_ids = [s.pk for s in schools]
    # Both kept between requests for a region-sized tree (selectors/cache.py).
    people = load(school_ids, [], [year]).people
    pairs = cache.yearly(
        "pairs",
        school_ids,
        [year],
        lambda years: {y: _pairs_per_school(school_ids, y) for y in years},
    )[year]
    roadmaps = unscoped_current_roadmaps([m.pk for m in municipalities], year)
    done = unscoped_roadmap_done([r.pk for r in roadmaps.values()])
    with unscoped_reads():
        campaign = (
            Campaign.objects.filter(organization=region, starts_on__year=year, purpose="monitoring")
            .order_by("-starts_on", "-pk")
            .first()
        )
    rates: dict[int, RateCell] = {}
    if campaign is not None:
        counts = {s: v for (_c, s), v in _invitation_counts([campaign.pk]).items()}
        cells, _by = _municipal_cells(schools, counts)
        _protect(cells)
        rates = {c.organization.pk: c for c in cells}
    submitted = unscoped_submitted_figures(region, year)
    by_municipality: dict[int, list[int]] = defaultdict(list)
    for school in schools:
        by_municipality[school.parent_id].append(school.pk)
    raw_people, raw_pairs, rows, live_people = [], [], [], {}
    for m in municipalities:
        ids = by_municipality.get(m.pk, [])
        n_people = sum(people.get((s, year), {}).get("participants", 0) for s in ids)
        n_schools = len(ids)
        found = submitted.get(m.pk)
        if found is not None:
            live_people[m.pk] = n_people
            n_people, n_schools = found.figures.participants, found.figures.schools
        n_pairs = sum(pairs.get(s, 0) for s in ids)
        raw_people.append(n_people)
        raw_pairs.append(n_pairs)
        roadmap = roadmaps.get(m.pk)
        d, t = done.get(roadmap.pk, (0, 0)) if roadmap else (0, 0)
        rows.append(
            RollupRow(
                municipality=m,
                schools=n_schools,
                active_schools=sum(1 for s in ids if pairs.get(s)),
                participants=count_figure(n_people, None, suppress=True),
                pairs=count_figure(n_pairs, None, suppress=True),
                roadmap=roadmap,
                roadmap_done=d,
                roadmap_total=t,
                campaign=rates.get(m.pk),
                submitted_at=found.submitted_at if found is not None else None,
                live_schools=len(ids) if found is not None and len(ids) != n_schools else None,
            )
        )
    for attr, raw in (("participants", raw_people), ("pairs", raw_pairs)):
        protected = protect_total([(getattr(r, attr), n) for r, n in zip(rows, raw, strict=True)])
        for row, figure in zip(rows, protected, strict=True):
            setattr(row, attr, figure)
    # Live people beside a submitted count: published alone, as no live total is shown.
    for row in rows:
        if row.municipality.pk in live_people:
            live = count_figure(live_people[row.municipality.pk], None, suppress=True)
            row.live_participants = live_beside(row.participants, live)
    return Rollup(
        region=region,
        year=year,
        rows=rows,
        campaign=campaign,
        schools=sum(r.schools for r in rows),
        active_schools=sum(r.active_schools for r in rows),
        participants=count_figure(sum(raw_people), None, suppress=True),
        pairs=count_figure(sum(raw_pairs), None, suppress=True),
    )
