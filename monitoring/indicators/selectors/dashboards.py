"""The indicators of a school, a municipality or a region for a year, ready to publish.

Every dashboard is built the same way, in a fixed number of queries whatever the size of
the tree (see `counts.py`): the true values per school and year are computed and
summed upwards first (`values.py`), and only then published as `Figure`s, with small
counts hidden where the viewer is above the school.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization, OrganizationKind
from monitoring.indicators.definitions import (
    DEFINITIONS,
    FIRST_YEAR,
    SUPPRESSION_THRESHOLD,
    SURVEY_INDICATORS,
    TREND_YEARS,
    Definition,
    Indicator,
)
from monitoring.indicators.models import Contingent
from monitoring.indicators.selectors import cache, charts
from monitoring.indicators.selectors.counts import (
    TargetValue,
    count_schools_of_region,
    schools_of,
    unscoped_first_approvals,
    unscoped_schools_of_region,
    unscoped_targets,
)
from monitoring.indicators.selectors.figures import Figure, count_figure, protect_total
from monitoring.indicators.selectors.frozen import SubmittedFigures, unscoped_submitted
from monitoring.indicators.selectors.values import (
    MUNICIPAL_CODES,
    MUNICIPALITY,
    REGION,
    SCHOOL,
    SCHOOL_DENOMINATED,
    Value,
    aggregate,
    introduced,
    load,
    municipal_values,
    school_values,
)

# The columns of the per-unit tables, in the order of the target model's table.
UNIT_COLUMNS = (
    Indicator.PUPIL_MENTEES,
    Indicator.PUPIL_MENTORS,
    Indicator.YOUNG_SPECIALISTS,
    Indicator.YOUNG_TEACHERS,
    Indicator.COLLEGE_STUDENTS,
    Indicator.ENTERPRISES,
    *SURVEY_INDICATORS,
)

MET, NOT_MET, NO_TARGET, UNKNOWN = "met", "not_met", "no_target", "unknown"
# More people in pairs than the contingent holds: not an achievement but a wrong count.
CHECK = "check"
STATUS_LABELS = {
    MET: _("цель достигнута"),
    NOT_MET: _("ниже цели"),
    NO_TARGET: _("цель не задана"),
    UNKNOWN: _("не рассчитан"),
    CHECK: _("проверьте контингент"),
}


def default_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year


def year_choices(today: date | None = None) -> list[int]:
    return list(range(default_year(today) + 1, FIRST_YEAR - 1, -1))


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


@dataclass
class UnitRow:
    """A school in the municipal view, a municipality in the regional one.

    A municipality that has submitted the year (and not had it returned) shows its
    figures as submitted (`submitted_at` says when); its live figures are kept beside
    them only where they differ (`live`, `live_participants`, `live_introduced`), and
    never beside a hidden submitted figure, which the live one could give back.
    """

    organization: Organization
    figures: dict[str, Figure]
    participants: Figure
    has_contingent: bool
    codes: Sequence[str] = UNIT_COLUMNS
    introduced: bool | None = None
    submitted_at: datetime | None = None
    live: dict[str, Figure] = field(default_factory=dict)
    live_participants: Figure | None = None
    live_introduced: bool | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def cells(self) -> list[Figure]:
        """The figures in the order of the table's columns."""
        return [self.figures[code] for code in self.codes]

    @property
    def labelled_cells(self) -> list[tuple[Definition, Figure]]:
        return [(DEFINITIONS[code], self.figures[code]) for code in self.codes]

    @property
    def live_cells(self) -> list[tuple[Definition, Figure, Figure | None]]:
        """(definition, figure, the live figure where it is shown beside) per column."""
        return [(DEFINITIONS[c], self.figures[c], self.live.get(c)) for c in self.codes]


def live_beside(submitted: Figure, live: Figure) -> Figure | None:
    """The live figure to show beside a submitted one: only where they differ, and never
    beside a hidden submitted figure (an unchanged live count would give it back)."""
    if submitted.hidden or live == submitted:
        return None
    return live


def with_submitted(live: dict[str, Value], found: SubmittedFigures | None) -> dict[str, Value]:
    """A municipality's values of a year as the region reads them: as submitted where it
    has submitted the year; a code the snapshot lacks stays live."""
    if found is None:
        return live
    return {code: found.figures.values.get(code, value) for code, value in live.items()}


def unit_codes(survey_available: bool) -> tuple[str, ...]:
    # Without any questionnaire answers two columns of «нет ответов» only widen the table.
    return tuple(c for c in UNIT_COLUMNS if survey_available or c not in SURVEY_INDICATORS)


@dataclass
class Summary:
    """One indicator at the dashboard's own level, against its target, with the trend."""

    definition: Definition
    year: int
    figure: Figure
    target: TargetValue | None
    trend: list[tuple[int, Figure]]
    covered: int | None = None
    expected: int | None = None

    @property
    def status(self) -> str:
        share = self.figure.share
        if share is None:
            return UNKNOWN
        if self.figure.over_denominator:
            return CHECK
        if self.target is None:
            return NO_TARGET
        return MET if share >= self.target.percent else NOT_MET

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def target_carried(self) -> bool:
        return self.target is not None and self.target.year != self.year

    @property
    def partial_coverage(self) -> bool:
        return (
            self.covered is not None
            and self.expected is not None
            and (0 < self.covered < self.expected)
        )

    def sparkline(self) -> str:
        return charts.sparkline(
            [(y, f.share) for y, f in self.trend],
            target=self.target.percent if self.target else None,
        )


@dataclass
class Dashboard:
    organization: Organization
    level: str
    year: int
    exact: bool
    summaries: list[Summary]
    rows: list[UnitRow] = field(default_factory=list)
    columns: list[Definition] = field(default_factory=list)
    contingent: Contingent | None = None
    introduced: bool | None = None
    participants: Figure | None = None
    pupils_without_birth_date: int | None = None
    survey_available: bool = False

    @property
    def years(self) -> list[int]:
        return trend_years(self.year)

    @property
    def summary_by_code(self) -> dict[str, Summary]:
        return {s.definition.code: s for s in self.summaries}

    @property
    def total_cells(self) -> list[Figure | None]:
        """The level's own figures under the per-unit table, column by column."""
        by_code = self.summary_by_code
        return [by_code[d.code].figure if d.code in by_code else None for d in self.columns]

    def chart(self) -> str:
        return charts.target_bars(
            [
                (str(s.definition.label), s.figure.share, s.target.percent if s.target else None)
                for s in self.summaries
            ]
        )


def _publish(value: Value, definition: Definition, *, exact: bool) -> Figure:
    if definition.code in SURVEY_INDICATORS:
        return _survey_figure(value, exact=exact)
    figure = count_figure(
        value.numerator, value.denominator, suppress=not exact, people=definition.people
    )
    if not value.applicable:
        figure = Figure(
            numerator=figure.numerator,
            denominator=None,
            suppressed=figure.suppressed,
            applicable=False,
        )
    return figure


def _survey_figure(value: Value, *, exact: bool) -> Figure:
    # The questionnaires promise that only general figures are shown, the school's own
    # staff included: a share of fewer than 5 people's answers is hidden at every level.
    few = bool(value.denominator) and value.respondents < SUPPRESSION_THRESHOLD
    return Figure(
        numerator=None if few else value.numerator,
        denominator=value.denominator,
        suppressed=few,
        survey=True,
    )


def _publish_units(
    units: dict[int, dict[str, Value]],
    members_by_code: dict[str, list[int]],
    *,
    exact: bool,
) -> dict[int, dict[str, Figure]]:
    published: dict[int, dict[str, Figure]] = {u: {} for u in units}
    for definition in (DEFINITIONS[c] for c in UNIT_COLUMNS):
        code = definition.code
        for unit_id, values in units.items():
            published[unit_id][code] = _publish(values[code], definition, exact=exact)
        members = members_by_code.get(code, [])
        if exact or not definition.people or not members:
            continue
        protected = protect_total([(published[u][code], units[u][code].numerator) for u in members])
        for unit_id, figure in zip(members, protected, strict=True):
            published[unit_id][code] = figure
    return published


def _summaries(
    organization: Organization,
    year: int,
    by_year: dict[int, dict[str, Value]],
    *,
    exact: bool,
    codes: Sequence[str],
    coverage: dict[str, tuple[int, int]] | None = None,
) -> list[Summary]:
    targets = unscoped_targets(organization)
    result = []
    for code in codes:
        definition = DEFINITIONS[code]
        trend = [(y, _publish(by_year[y][code], definition, exact=exact)) for y in sorted(by_year)]
        covered, expected = (coverage or {}).get(code, (None, None))
        result.append(
            Summary(
                definition=definition,
                year=year,
                figure=dict(trend)[year],
                target=targets.for_year(code, year),
                trend=trend,
                covered=covered,
                expected=expected,
            )
        )
    return result


# --- The three dashboards -----------------------------------------------------------

SCHOOL_CODES = (*SCHOOL_DENOMINATED, Indicator.COLLEGE_STUDENTS, *SURVEY_INDICATORS)
REGIONAL_CODES = (Indicator.MUNICIPALITIES, *MUNICIPAL_CODES)


def school_dashboard(school: Organization, year: int, *, exact: bool) -> Dashboard:
    """A school's own indicators; `exact` for its own staff, suppressed for anyone above."""
    years = trend_years(year)
    data = load([school.pk], [], years)
    by_year = {y: school_values(school, y, data) for y in years}
    codes = [
        c for c in SCHOOL_CODES if c != Indicator.COLLEGE_STUDENTS or by_year[year][c].applicable
    ]
    counts = data.people.get((school.pk, year), {})
    participants = count_figure(counts.get("participants", 0), None, suppress=not exact)
    return Dashboard(
        organization=school,
        level=SCHOOL,
        year=year,
        exact=exact,
        summaries=_summaries(school, year, by_year, exact=exact, codes=codes),
        contingent=data.contingents.get((school.pk, year)),
        participants=participants,
        pupils_without_birth_date=counts.get("pupils_without_birth_date", 0) if exact else None,
        survey_available=data.survey_available,
    )


def unscoped_municipal_dashboard(municipality: Organization, year: int) -> Dashboard:
    """Each school and the municipality against the target, with the trend: counts and
    shares only, small counts hidden («<5»), including where a total would give them back."""
    years = trend_years(year)
    schools = schools_of(municipality)
    data = load([s.pk for s in schools], [municipality.pk], years)
    by_year: dict[int, dict[str, Value]] = {}
    for y in years:
        units, totals, members = municipal_values(municipality, schools, y, data)
        by_year[y] = totals
        if y == year:
            current_units, current_members = units, members
    published = _publish_units(current_units, current_members, exact=False)
    coverage = {
        code: (
            sum(current_units[s.pk][code].denominator is not None for s in schools),
            len(schools),
        )
        for code in SCHOOL_DENOMINATED
    }
    participants_by_school = {
        s.pk: data.people.get((s.pk, year), {}).get("participants", 0) for s in schools
    }
    participant_figures = protect_total(
        [(count_figure(n, None, suppress=True), n) for n in participants_by_school.values()]
    )
    codes = unit_codes(data.survey_available)
    rows = [
        UnitRow(
            organization=s,
            figures=published[s.pk],
            participants=participant_figures[i],
            has_contingent=(s.pk, year) in data.contingents,
            codes=codes,
        )
        for i, s in enumerate(schools)
    ]
    first_approval = unscoped_first_approvals([municipality.pk]).get(municipality.pk)
    return Dashboard(
        organization=municipality,
        level=MUNICIPALITY,
        year=year,
        exact=False,
        summaries=_summaries(
            municipality, year, by_year, exact=False, codes=MUNICIPAL_CODES, coverage=coverage
        ),
        rows=rows,
        columns=[DEFINITIONS[c] for c in codes],
        contingent=data.contingents.get((municipality.pk, year)),
        introduced=introduced(first_approval, sum(participants_by_school.values()), year),
        participants=count_figure(sum(participants_by_school.values()), None, suppress=True),
        survey_available=data.survey_available,
    )


def unscoped_regional_dashboard(region: Organization, year: int) -> Dashboard:
    """Municipalities of the region: counts and shares only, never a school or a person.
    A region-sized tree's dashboard is kept whole between requests (selectors/cache.py)."""
    if cache.enabled(count_schools_of_region(region)):
        return cache.whole(
            "region-dashboard",
            f"{region.pk}:{year}",
            trend_years(year),
            lambda: _regional_dashboard(region, year),
        )
    return _regional_dashboard(region, year)


def _regional_dashboard(region: Organization, year: int) -> Dashboard:
    years = trend_years(year)
    municipalities = list(
        Organization.objects.filter(parent=region, kind=OrganizationKind.MUNICIPALITY).order_by(
            "short_name", "pk"
        )
    )
    schools = unscoped_schools_of_region(region)
    schools_by_muni: dict[int, list[Organization]] = defaultdict(list)
    for school in schools:
        schools_by_muni[school.parent_id].append(school)
    data = load([s.pk for s in schools], [m.pk for m in municipalities], years)
    approvals = unscoped_first_approvals([m.pk for m in municipalities])
    # A municipality that has submitted a year counts in it as submitted: its row, and
    # the region's figures summed from the rows (one query for all the years).
    submitted = unscoped_submitted(municipalities, years)

    by_year: dict[int, dict[str, Value]] = {}
    live_units: dict[int, dict[str, Value]] = {}
    for y in years:
        units: dict[int, dict[str, Value]] = {}
        introduced_count = 0
        for m in municipalities:
            own_schools = schools_by_muni[m.pk]
            _u, totals, _m = municipal_values(m, own_schools, y, data)
            found = submitted.get((m.pk, y))
            units[m.pk] = with_submitted(totals, found)
            if y == year:
                live_units[m.pk] = totals
            if found is not None:
                introduced_count += found.figures.introduced
                continue
            people = sum(data.people.get((s.pk, y), {}).get("participants", 0) for s in own_schools)
            introduced_count += introduced(approvals.get(m.pk), people, y)
        region_totals: dict[str, Value] = {}
        members: dict[str, list[int]] = {}
        for code in MUNICIPAL_CODES:
            region_totals[code], members[code] = aggregate(
                code, {u: v[code] for u, v in units.items()}, level=REGION
            )
        region_totals[Indicator.MUNICIPALITIES] = Value(
            introduced_count, len(municipalities) or None
        )
        by_year[y] = region_totals
        if y == year:
            current_units, current_members = units, members

    published = _publish_units(current_units, current_members, exact=False)
    codes = unit_codes(data.survey_available)
    rows = []
    shown_people: list[int] = []
    for m in municipalities:
        people = sum(
            data.people.get((s.pk, year), {}).get("participants", 0) for s in schools_by_muni[m.pk]
        )
        row = UnitRow(
            organization=m,
            figures=published[m.pk],
            participants=count_figure(people, None, suppress=True),
            has_contingent=(m.pk, year) in data.contingents,
            codes=codes,
            introduced=introduced(approvals.get(m.pk), people, year),
        )
        found = submitted.get((m.pk, year))
        if found is not None:
            _beside_submitted(row, found, live_units[m.pk])
        rows.append(row)
        shown_people.append(found.figures.participants if found is not None else people)
    # The roll-up shows a total under the same counts: hidden the same way here, or
    # the two pages side by side would give a hidden municipality's count back.
    protected = protect_total(
        [(row.participants, n) for row, n in zip(rows, shown_people, strict=True)]
    )
    for row, figure in zip(rows, protected, strict=True):
        row.participants = figure
        if figure.hidden:
            row.live_participants = None
    return Dashboard(
        organization=region,
        level=REGION,
        year=year,
        exact=False,
        summaries=_summaries(region, year, by_year, exact=False, codes=REGIONAL_CODES),
        rows=rows,
        columns=[DEFINITIONS[c] for c in codes],
        survey_available=data.survey_available,
    )


def _beside_submitted(row: UnitRow, found: SubmittedFigures, live: dict[str, Value]) -> None:
    """Turn a live row into the submitted one, with the live figures that differ beside.

    The live figures are published alone (small counts hidden), not protected against
    a total: the page shows no live total they would add up to.
    """
    live_participants = row.participants
    row.submitted_at = found.submitted_at
    row.participants = count_figure(found.figures.participants, None, suppress=True)
    row.live_participants = live_beside(row.participants, live_participants)
    row.live_introduced, row.introduced = row.introduced, found.figures.introduced
    if row.live_introduced == row.introduced:
        row.live_introduced = None
    for code in row.codes:
        shown = live_beside(row.figures[code], _publish(live[code], DEFINITIONS[code], exact=False))
        if shown is not None:
            row.live[code] = shown


def unscoped_dashboard(organization: Organization, year: int, *, exact: bool) -> Dashboard:
    """The dashboard of the organisation's own level. `exact` counts only at a school (for
    its own staff); above the school the named cross-tenant dashboards hide small counts."""
    if organization.is_educational:
        return school_dashboard(organization, year, exact=exact)
    if organization.kind == OrganizationKind.MUNICIPALITY:
        return unscoped_municipal_dashboard(organization, year)
    return unscoped_regional_dashboard(organization, year)
