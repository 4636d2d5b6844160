"""The two aggregate reads over the registry that every indicator figure comes from.

Both are single SQL statements whatever the number of schools or years: people per
school and year, and (school, partner) pairs per year. They are plain SQL because the
shape that is fast — flags per participant first, then sums per school — is a GROUP BY
over a grouped subquery, which the ORM cannot say; COUNT(DISTINCT …) per school and
year instead sorts every group once per column. The SQL is portable between
PostgreSQL and SQLite (the embedded default) and takes every value as a parameter.

Callers are the named cross-tenant selectors in `counts.py`: these functions do not
lift the tenant scope themselves (raw SQL does not pass through the scoped managers),
they return numbers only, and only for the organisation ids they are given.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from monitoring.indicators.definitions import (
    AGE_DAY,
    YOUNG_SPECIALIST_MAX_YEARS,
    YOUNG_TEACHER_AGE,
)
from registry.models import Category, MemberRole, Pair, PairMember, PairStatus, Participant

# Pairs that were mentoring: approved by the school's order and after. A proposal is not
# mentoring yet, a rejected one never was; a suspended or finished pair was, for its dates.
COUNTED_STATUSES = (
    PairStatus.APPROVED,
    PairStatus.ACTIVE,
    PairStatus.SUSPENDED,
    PairStatus.COMPLETED,
    PairStatus.ENDED_EARLY,
)

# Per school and year: the columns `people_counts` returns.
PEOPLE_METRICS = (
    "participants",
    "pupil_mentees",
    "pupil_mentors",
    "college_students",
    "young_specialists",
    "young_teachers",
    "pupils_without_birth_date",  # the last (reporting) year only: 0 for the others
)


@dataclass(frozen=True)
class Window:
    """A reporting year, or one quarter of it (the federal form): pairs overlapping it,
    ages on 1 September of the year either way."""

    year: int
    quarter: int | None = None

    @property
    def first(self) -> datetime.date:
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return datetime.date(self.year, month, 1)

    @property
    def last(self) -> datetime.date:
        return self._next_day() - datetime.timedelta(days=1)

    def _next_day(self) -> datetime.date:
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year + 1, 1, 1)
        return datetime.date(self.year, 3 * self.quarter + 1, 1)

    @property
    def next_start(self) -> datetime.datetime:
        next_day = self._next_day()
        return timezone.make_aware(datetime.datetime(next_day.year, next_day.month, 1))

    def born_after_age(self, years: int) -> datetime.date:
        """Born after this day: younger than `years` on the age day."""
        month, day = AGE_DAY
        return datetime.date(self.year - years, month, day)


def _overlap(window: Window, params: list) -> str:
    # A pair without a start date started when it was entered; one without an end runs on.
    params += [window.last, window.next_start, window.first]
    return (
        "((pr.starts_on <= %s OR (pr.starts_on IS NULL AND pr.created_at < %s))"
        " AND (pr.ends_on IS NULL OR pr.ends_on >= %s))"
    )


def _in(values: Sequence, params: list) -> str:
    params += list(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _tables() -> dict[str, str]:
    # Table names from the models' _meta, placeholders for every value: the only text
    # put into the SQL is ours.
    return {
        "pm": PairMember._meta.db_table,
        "pr": Pair._meta.db_table,
        "p": Participant._meta.db_table,
    }


def _year_mask(windows: Sequence[Window], params: list) -> str:
    """An integer per pair: bit i set when it overlaps windows[i]. The date logic runs
    once per pair here instead of once per member, role and year."""
    return " + ".join(
        f"CASE WHEN {_overlap(w, params)} THEN {1 << i} ELSE 0 END" for i, w in enumerate(windows)
    )


def _fence() -> str:
    """Keeps the pairs' subquery from being merged into the next step, where the mask
    would be computed again inside every aggregate; the planner then also hashes the
    small side (the pairs), not the members."""
    return "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"


def _or_of(column: str, bits: int) -> str:
    """The OR of a mask over a group: BIT_OR on PostgreSQL (three small aggregates a
    participant, so the grouping stays in memory); SQLite, the embedded default, has no
    BIT_OR, and the MAX of each bit added up is the same number."""
    if connection.vendor == "postgresql":
        return f"BIT_OR({column})"
    return " + ".join(f"MAX({column} & {1 << i})" for i in range(bits))


@contextmanager
def _aggregate_cursor(schools: int) -> Iterator:
    """A cursor for one aggregate. Over a large tree (a region's 600,000 pairs), on
    PostgreSQL, with `work_mem` raised for this transaction only (`SET LOCAL`), so the
    pairs are hashed in memory instead of spilled to disk in batches (EXPLAIN ANALYZE:
    10.8 s with the default 4 MB, most of it temp files). A municipality's counts fit
    the default and keep their fixed number of queries."""
    if connection.vendor != "postgresql" or schools < settings.INDICATORS_CACHE_MIN_SCHOOLS:
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = %s", [settings.INDICATORS_WORK_MEM])
        yield cursor


def _windows(periods: Iterable[int | Window]) -> list[Window]:
    return [p if isinstance(p, Window) else Window(p) for p in periods]


def _metric_sums(
    window: Window, bit: int, params: list, *, reporting: bool, person: str = "p"
) -> list[str]:
    """The sums of PEOPLE_METRICS for one window, in their order: one row per participant
    `m` with role masks `m.a` (any role), `m.e` (mentee), `m.r` (mentor) and the person's
    `category`, `birth_date`, `experience_years` under the alias `person`. The one place the
    indicators' rules of who counts (ages on the age day, the young specialist's years)
    are written."""
    pupil, college, teacher = Category.PUPIL, Category.COLLEGE_STUDENT, Category.TEACHER
    params += [
        pupil.value,
        window.born_after_age(20),
        window.born_after_age(10),
        pupil.value,
        window.born_after_age(20),
        window.born_after_age(15),
        college.value,
        teacher.value,
        YOUNG_SPECIALIST_MAX_YEARS,
        teacher.value,
        window.born_after_age(YOUNG_TEACHER_AGE),
        *([pupil.value] if reporting else []),
    ]
    return [
        f"SUM(CASE WHEN (m.a & {bit}) <> 0 THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN (m.e & {bit}) <> 0 AND {person}.category = %s "
        f"AND {person}.birth_date > %s AND {person}.birth_date <= %s THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN (m.r & {bit}) <> 0 AND {person}.category = %s "
        f"AND {person}.birth_date > %s AND {person}.birth_date <= %s THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN (m.a & {bit}) <> 0 AND {person}.category = %s THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN (m.e & {bit}) <> 0 AND {person}.category = %s "
        f"AND {person}.experience_years <= %s THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN (m.e & {bit}) <> 0 AND {person}.category = %s "
        f"AND {person}.birth_date > %s THEN 1 ELSE 0 END)",
        # A data-quality hint for the school's own page: the reporting year only.
        f"SUM(CASE WHEN (m.a & {bit}) <> 0 AND {person}.category = %s "
        f"AND {person}.birth_date IS NULL THEN 1 ELSE 0 END)"
        if reporting
        else "0",
    ]


def people_counts(
    school_ids: Sequence[int], years: Iterable[int | Window]
) -> dict[tuple[int, int], dict[str, int]]:
    """{(school id, year): {metric: count}} of distinct participants in counted pairs.

    `years` are years, or `Window`s (a quarter for the federal form: keyed by its year).

    A participant counts once per school and year however many pairs they are in;
    depersonalised rows (consent withdrawn, data destroyed) are not counted. Three
    steps in one statement: a year mask per pair, the OR of the masks per participant
    and role, and sums per school with the participant's category and age.
    """
    windows = _windows(years)
    if not school_ids or not windows:
        return {}
    t = _tables()
    pair_params: list = []
    mask = _year_mask(windows, pair_params)
    schools_sql = _in(school_ids, pair_params)
    statuses_sql = _in([s.value for s in COUNTED_STATUSES], pair_params)
    # Pairs that touch none of the years are left out first.
    pair_params += [windows[-1].last, windows[-1].next_start, windows[0].first]
    pairs = (
        f"SELECT pr.id AS id, {mask} AS mask FROM {t['pr']} pr "  # noqa: S608 - see _tables
        f"WHERE pr.organization_id IN {schools_sql} AND pr.status IN {statuses_sql} "
        "AND (pr.starts_on <= %s OR (pr.starts_on IS NULL AND pr.created_at < %s)) "
        "AND (pr.ends_on IS NULL OR pr.ends_on >= %s)"
    )
    n = len(windows)
    role_mask = "CASE WHEN pm.role = %s THEN py.mask ELSE 0 END"
    mentee, mentor = _or_of(role_mask, n), _or_of(role_mask, n)
    # SQLite's spelling repeats the expression per bit: one role parameter per copy.
    member_params = [MemberRole.MENTEE.value] * mentee.count("%s") + [
        MemberRole.MENTOR.value
    ] * mentor.count("%s")
    flags = (
        f"SELECT pm.participant_id AS pid, {mentee} AS e, {mentor} AS r, "  # noqa: S608
        f"{_or_of('py.mask', n)} AS a "
        f"FROM {t['pm']} pm JOIN ({pairs} {_fence()}) py ON py.id = pm.pair_id "
        "GROUP BY pm.participant_id"
    )
    outer_params: list = []
    sums = []
    for i, w in enumerate(windows):
        sums += _metric_sums(w, 1 << i, outer_params, reporting=i == n - 1)
    sql = (
        f"SELECT p.organization_id, {', '.join(sums)} "  # noqa: S608 - see _tables
        f"FROM ({flags}) m JOIN {t['p']} p ON p.id = m.pid "
        "WHERE p.depersonalized_at IS NULL "
        "GROUP BY p.organization_id"
    )
    with _aggregate_cursor(len(school_ids)) as cursor:
        # Placeholders in the order of the text: the sums, the roles, then the pairs.
        cursor.execute(sql, outer_params + member_params + pair_params)
        rows = cursor.fetchall()
    width = len(PEOPLE_METRICS)
    result: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        org_id, values = row[0], row[1:]
        for i, w in enumerate(windows):
            chunk = values[i * width : (i + 1) * width]
            result[(org_id, w.year)] = {
                name: int(v or 0) for name, v in zip(PEOPLE_METRICS, chunk, strict=True)
            }
    return result


def partner_mentoring(
    school_ids: Sequence[int], years: Iterable[int | Window]
) -> dict[int, set[tuple[int, int]]]:
    """{year: {(school id, partner id)}}: partners whose representative mentored there.

    Distinct partners are counted by the caller per school and per municipality (one
    enterprise mentoring in two schools is one enterprise of the territory).
    """
    windows = _windows(years)
    if not school_ids or not windows:
        return {}
    t = _tables()
    select_params: list = []
    flags = [f"MAX(CASE WHEN {_overlap(w, select_params)} THEN 1 ELSE 0 END)" for w in windows]
    where_params: list = []
    schools_sql = _in(school_ids, where_params)
    statuses_sql = _in([s.value for s in COUNTED_STATUSES], where_params)
    where_params += [MemberRole.MENTOR.value, Category.PARTNER.value]
    sql = (
        f"SELECT pm.organization_id, p.partner_id, {', '.join(flags)} "  # noqa: S608
        f"FROM {t['pm']} pm JOIN {t['pr']} pr ON pr.id = pm.pair_id "
        f"JOIN {t['p']} p ON p.id = pm.participant_id "
        f"WHERE pm.organization_id IN {schools_sql} AND pr.status IN {statuses_sql} "
        "AND pm.role = %s AND p.category = %s AND p.partner_id IS NOT NULL "
        "AND p.depersonalized_at IS NULL "
        "GROUP BY pm.organization_id, p.partner_id"
    )
    with _aggregate_cursor(len(school_ids)) as cursor:
        cursor.execute(sql, select_params + where_params)
        rows = cursor.fetchall()
    result: dict[int, set[tuple[int, int]]] = {w.year: set() for w in windows}
    for org_id, partner_id, *marks in rows:
        for w, mark in zip(windows, marks, strict=True):
            if mark:
                result[w.year].add((org_id, partner_id))
    return result


@dataclass(frozen=True)
class FormCounts:
    """The federal form's counts for a window, by the indicators' rules."""

    # {(form id, category, role): distinct participants}
    cells: dict[tuple[int, str, str], int]
    # {form id: distinct participants in the form, any role}
    people: dict[int, int]
    # {form id: pairs and groups}
    pairs: dict[int, int]
    # PEOPLE_METRICS over every form (a person in two forms counts once)
    totals: dict[str, int]
    # distinct partner organisations whose representative mentored
    enterprises: int


def form_counts(school_ids: Sequence[int], window: Window) -> FormCounts:
    """Everything the federal form counts, in two statements (one pass over the members
    instead of three: a region's quarter 7.7 s → 3 s).

    The members of counted pairs overlapping the window are grouped once per form and
    person (`x`, with the person's category, dates and enterprise and a flag per role);
    the cells are sums of `x` per form and category, the totals the indicators' sums
    (`_metric_sums`) over `x` grouped again per person. Both come back from one UNION
    of rows of one width: ("form", form, category, mentors, mentees, everyone, …) and
    ("all", –, –, the metrics…, enterprises). Then the pairs per form.
    """
    if not school_ids:
        return FormCounts({}, {}, {}, dict.fromkeys(PEOPLE_METRICS, 0), 0)
    t = _tables()
    where_params: list = []
    where = (
        f"pr.organization_id IN {_in(school_ids, where_params)} "
        f"AND pr.status IN {_in([s.value for s in COUNTED_STATUSES], where_params)} "
        f"AND {_overlap(window, where_params)}"
    )
    person = "p.id, p.category, p.birth_date, p.experience_years, p.partner_id"
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    x_sql = (
        f"WITH x AS {materialized}(SELECT pr.form_id AS f, {person}, "  # noqa: S608
        "MAX(CASE WHEN pm.role = %s THEN 1 ELSE 0 END) AS r, "
        "MAX(CASE WHEN pm.role = %s THEN 1 ELSE 0 END) AS e "
        f"FROM {t['pm']} pm JOIN {t['pr']} pr ON pr.id = pm.pair_id "
        f"JOIN {t['p']} p ON p.id = pm.participant_id "
        f"WHERE {where} AND p.depersonalized_at IS NULL "
        f"GROUP BY pr.form_id, {person})"
    )
    x_params = [MemberRole.MENTOR.value, MemberRole.MENTEE.value, *where_params]
    sum_params: list = []
    sums = _metric_sums(window, 1, sum_params, reporting=False, person="m")
    each = "x.id, x.category, x.birth_date, x.experience_years, x.partner_id"
    width = len(PEOPLE_METRICS) + 1
    padding = ", NULL" * (width - 3)
    sql = (
        f"{x_sql} "  # noqa: S608 - see _tables
        f"SELECT 'form', x.f, x.category, SUM(x.r), SUM(x.e), COUNT(*){padding} "
        "FROM x GROUP BY x.f, x.category "
        f"UNION ALL SELECT 'all', NULL, NULL, {', '.join(sums)}, "
        "COUNT(DISTINCT CASE WHEN m.r = 1 AND m.category = %s THEN m.partner_id END) "
        f"FROM (SELECT {each}, MAX(x.r) AS r, MAX(x.e) AS e, 1 AS a FROM x GROUP BY {each}) m"
    )
    with _aggregate_cursor(len(school_ids)) as cursor:
        cursor.execute(sql, x_params + sum_params + [Category.PARTNER.value])
        cells: dict[tuple[int, str, str], int] = {}
        people: dict[int, int] = {}
        totals: dict[str, int] = dict.fromkeys(PEOPLE_METRICS, 0)
        enterprises = 0
        for kind, form_id, category, *numbers in cursor.fetchall():
            if kind == "form":
                mentors, mentees, everyone = (int(v or 0) for v in numbers[:3])
                cells[(form_id, category, MemberRole.MENTOR.value)] = mentors
                cells[(form_id, category, MemberRole.MENTEE.value)] = mentees
                people[form_id] = people.get(form_id, 0) + everyone
            else:
                totals = {
                    name: int(v or 0) for name, v in zip(PEOPLE_METRICS, numbers, strict=False)
                }
                enterprises = int(numbers[-1] or 0)
        cursor.execute(
            f"SELECT pr.form_id, COUNT(*) FROM {t['pr']} pr WHERE {where} "  # noqa: S608
            "GROUP BY pr.form_id",
            where_params,
        )
        pairs = {f: int(n) for f, n in cursor.fetchall()}
    return FormCounts(cells, people, pairs, totals, enterprises)
