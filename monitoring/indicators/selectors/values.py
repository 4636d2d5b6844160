"""True values of the indicators, before anything is published.

The counts per school and year come from the queries (a fixed number whatever the size of
the tree), kept per school and year in the database between requests (`stored.py`), and
are summed upwards here; `dashboards.py` then publishes them as `Figure`s.

How a level's value is made from the level below (`aggregate`):
- pupils and teachers: over the units that entered the denominator (covered), so that a
  school without a contingent neither inflates nor deflates the share; with none
  covered, the numerator is everyone's and the share says «нет знаменателя»;
- college students: everyone in pairs over the municipality's own count of college
  students of the territory, or else over the colleges' own counts;
- enterprises: distinct partner organisations over the municipality's count of the
  enterprises of its territory (an enterprise mentoring in two schools is one);
- a region sums its municipalities by the covered rule for all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from mentorship.models import Organization, OrganizationKind
from monitoring.indicators.definitions import (
    DEFINITIONS,
    REGISTRY_INDICATORS,
    SURVEY_INDICATORS,
    Definition,
    Indicator,
)
from monitoring.indicators.models import Contingent
from monitoring.indicators.selectors import stored, survey
from monitoring.indicators.selectors.counts import (
    unscoped_contingents,
    unscoped_partner_mentoring,
    unscoped_people_counts,
)

SCHOOL = "school"
MUNICIPALITY = "municipality"
REGION = "region"

# Indicators whose denominator each school enters for itself.
SCHOOL_DENOMINATED = (
    Indicator.PUPIL_MENTEES,
    Indicator.PUPIL_MENTORS,
    Indicator.YOUNG_SPECIALISTS,
    Indicator.YOUNG_TEACHERS,
)

MUNICIPAL_CODES = (*REGISTRY_INDICATORS, *SURVEY_INDICATORS)


@dataclass(frozen=True, slots=True)
class Value:
    """A true value, never published as is: a count and its denominator."""

    numerator: int
    denominator: int | None
    applicable: bool = True
    # Satisfaction: how many people gave the answers (the threshold counts people).
    respondents: int = 0


@dataclass
class Data:
    """Everything the queries return for a set of schools and years."""

    people: dict[tuple[int, int], dict[str, int]]
    partners: dict[int, set[tuple[int, int]]]
    # {(school id, year): partners}, indexed once from `partners`.
    partners_at: dict[tuple[int, int], set[int]]
    contingents: dict[tuple[int, int], Contingent]
    satisfaction: dict[tuple[int, int], dict[str, tuple[int, int, int]]]
    survey_available: bool


def _counted(school_ids: list[int], years: list[int]) -> dict[tuple[int, int], stored.Counts]:
    """{(school id, year): Counts} of the three aggregate reads for every school and year
    given: one call of each whatever their number (`stored.counts` calls it for the
    schools and years whose stored rows are missing or stale)."""
    answers = survey.unscoped_satisfaction(school_ids, years)
    partners = unscoped_partner_mentoring(school_ids, years)
    people = unscoped_people_counts(school_ids, years)
    partners_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    for year, pairs in partners.items():
        for school_id, partner_id in pairs:
            partners_at[(school_id, year)].add(partner_id)
    return {
        (s, y): stored.Counts(
            people=people.get((s, y)),
            partners=frozenset(partners_at.get((s, y), ())),
            satisfaction=answers.counts.get((s, y), {}),
        )
        for s in school_ids
        for y in years
    }


def load(school_ids: list[int], other_ids: list[int], years: list[int]) -> Data:
    """The counts of these schools for these years (stored per school and year, see
    `selectors/stored.py`) and the contingents of these schools and `other_ids`."""
    parts = stored.counts(school_ids, years, _counted)
    people: dict[tuple[int, int], dict[str, int]] = {}
    satisfaction: dict[tuple[int, int], dict[str, tuple[int, int, int]]] = {}
    partners: dict[int, set[tuple[int, int]]] = {y: set() for y in years}
    partners_at: dict[tuple[int, int], set[int]] = {}
    for (school_id, year), part in parts.items():
        if part.people is not None:
            people[(school_id, year)] = part.people
        if part.satisfaction:
            satisfaction[(school_id, year)] = part.satisfaction
        if part.partners:
            partners[year].update((school_id, p) for p in part.partners)
            partners_at[(school_id, year)] = set(part.partners)
    return Data(
        people=people,
        partners=partners,
        partners_at=partners_at,
        contingents=unscoped_contingents(school_ids + other_ids, years),
        satisfaction=satisfaction,
        survey_available=bool(satisfaction),
    )


def denominator_of(contingent: Contingent | None, definition: Definition) -> int | None:
    if contingent is None or definition.denominator is None:
        return None
    return getattr(contingent, definition.denominator)


# Read once: a municipality's dashboard builds the values of 100 schools × 5 years.
_DENOMINATED = tuple((code, DEFINITIONS[code].denominator) for code in SCHOOL_DENOMINATED)
_COLLEGE = Indicator.COLLEGE_STUDENTS
_COLLEGE_FIELD = DEFINITIONS[_COLLEGE].denominator
_ENTERPRISES = Indicator.ENTERPRISES
_SURVEY = tuple(SURVEY_INDICATORS)
_NO_ANSWERS = (0, 0, 0)


def school_values(school: Organization, year: int, data: Data) -> dict[str, Value]:
    key = (school.pk, year)
    counts = data.people.get(key, {})
    contingent = data.contingents.get(key)
    values: dict[str, Value] = {}
    for code, field in _DENOMINATED:
        values[code] = Value(
            counts.get(code, 0),
            None if contingent is None or field is None else getattr(contingent, field),
        )
    college_den = None if contingent is None else getattr(contingent, _COLLEGE_FIELD)
    values[_COLLEGE] = Value(
        counts.get("college_students", 0),
        college_den,
        # Only a college has college students of its own; a school just hosts them.
        applicable=school.kind == OrganizationKind.COLLEGE or college_den is not None,
    )
    values[_ENTERPRISES] = Value(len(data.partners_at.get(key, ())), None, applicable=False)
    answers = data.satisfaction.get(key, {})
    available = data.survey_available
    for code in _SURVEY:
        positive, total, respondents = answers.get(code, _NO_ANSWERS)
        values[code] = Value(positive, total if available else None, respondents=respondents)
    return values


def aggregate(
    code: str,
    units: dict[int, Value],
    *,
    level: str,
    own: Contingent | None = None,
    distinct: int | None = None,
) -> tuple[Value, list[int]]:
    """The value one level up and the units whose counts make up its numerator."""
    definition = DEFINITIONS[code]
    all_ids = list(units)
    if code in SURVEY_INDICATORS:
        return Value(
            sum(v.numerator for v in units.values()),
            None
            if all(v.denominator is None for v in units.values())
            else sum(v.denominator or 0 for v in units.values()),
            respondents=sum(v.respondents for v in units.values()),
        ), all_ids
    if level == MUNICIPALITY and code == Indicator.ENTERPRISES:
        return Value(distinct or 0, denominator_of(own, definition)), []
    if level == MUNICIPALITY and code == Indicator.COLLEGE_STUDENTS:
        entered = [v.denominator for v in units.values() if v.denominator is not None]
        own_den = denominator_of(own, definition)
        den = own_den if own_den is not None else (sum(entered) if entered else None)
        return Value(sum(v.numerator for v in units.values()), den), all_ids
    covered = [u for u, v in units.items() if v.denominator is not None]
    members = covered or all_ids
    return Value(
        sum(units[u].numerator for u in members),
        sum(units[u].denominator or 0 for u in covered) if covered else None,
    ), members


def municipal_values(
    municipality: Organization,
    schools: list[Organization],
    year: int,
    data: Data,
) -> tuple[dict[int, dict[str, Value]], dict[str, Value], dict[str, list[int]]]:
    units = {s.pk: school_values(s, year, data) for s in schools}
    own = data.contingents.get((municipality.pk, year))
    school_ids = {s.pk for s in schools}
    distinct = len(
        set().union(*(data.partners_at.get((school_id, year), set()) for school_id in school_ids))
    )
    totals: dict[str, Value] = {}
    members: dict[str, list[int]] = {}
    for code in MUNICIPAL_CODES:
        totals[code], members[code] = aggregate(
            code,
            {u: values[code] for u, values in units.items()},
            level=MUNICIPALITY,
            own=own,
            distinct=distinct,
        )
    return units, totals, members


def introduced(first_approval: date | None, participants: int, year: int) -> bool:
    """Introduced in `year`: an approved municipal roadmap by its end, or pairs working."""
    return participants > 0 or (first_approval is not None and first_approval.year <= year)
