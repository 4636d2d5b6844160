"""The per-school, per-year counts every indicator is made of, kept in the database
(`SchoolYearCounts`) so that a page recomputes only the schools that changed.

What is stored: for each school and year, the school's share of the three aggregate
reads — people by metric (`queries.people_counts`), the partners whose representatives
mentored there (`queries.partner_mentoring`) and the satisfaction answers
(`survey.unscoped_satisfaction`). None of them depends on which other schools were
asked with it (people are grouped by the participant's school, partners per school and
partner, answers per school), so a school's row serves its own page, its municipality's
and its region's alike.

How it is read (`counts`): one query for every (school, year) asked; the rows missing or
stale are computed by ONE call of each read for the schools and years concerned, then
written back in one bulk upsert. A failure to write is logged and the computed figures
are served anyway: storing is a saving, never a condition.

When a row is stale:
- a write to the school's people, pairs or answers set its `invalidated_at` after the
  row was computed (`monitoring.indicators.services.stored.counts_changed`: model
  signals, and the bulk writes that bypass them call it explicitly);
- safety net: a row older than `INDICATORS_STORED_MAX_AGE` seconds (a closed year, 24 h
  by default) or `INDICATORS_STORED_MAX_AGE_CURRENT` (the current and the next year,
  10 minutes) is recomputed, so a write that slipped past every hook cannot leave a
  figure wrong for longer than that.

Why `computed_at` is when the reads BEGAN, and why a missing row is claimed first: a
write committed while a reader computes is stamped after its commit, so it is later
than the reader's `computed_at` whether the reader's row was written before or after
the stamp; a claimed (empty) row exists for the stamp to land on. A year after the next
one (a mistyped URL) is computed and not stored.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.models import SchoolYearCounts

logger = logging.getLogger(__name__)

# Rows a statement: 7 parameters each, well under PostgreSQL's 65,535 a statement.
BATCH = 2000
# Counted by the people query for the last year it is asked only (0 for the others).
LAST_YEAR_ONLY = "pupils_without_birth_date"

# Bumped whenever rows are written: `services.stored` re-stamps a school it already
# stamped in the same transaction once a read may have stored it again since.
_writes = itertools.count(1)
last_write = 0


@dataclass(frozen=True)
class Counts:
    """One school's share of the three aggregate reads for one year."""

    # {metric: count}; None when nobody of the school was in a counted pair that year.
    people: dict[str, int] | None
    partners: frozenset[int]
    satisfaction: dict[str, tuple[int, int, int]]


Compute = Callable[[list[int], list[int]], dict[tuple[int, int], Counts]]


class Freshness:
    """Whether a stored row can be served (see the module's docstring)."""

    def __init__(self, now: datetime.datetime) -> None:
        self.current = timezone.localdate(now).year
        self.closed_since = now - datetime.timedelta(seconds=settings.INDICATORS_STORED_MAX_AGE)
        self.current_since = now - datetime.timedelta(
            seconds=settings.INDICATORS_STORED_MAX_AGE_CURRENT
        )

    def __call__(self, year: int, computed_at, invalidated_at) -> bool:
        if computed_at is None:
            return False
        if invalidated_at is not None and invalidated_at >= computed_at:
            return False
        return computed_at > (self.current_since if year >= self.current else self.closed_since)


def counts(
    school_ids: Sequence[int], years: Sequence[int], compute: Compute
) -> dict[tuple[int, int], Counts]:
    """{(school id, year): Counts} for every school and year asked: stored rows where
    fresh, `compute(schools, years)` for the rest (one call), written back.

    «pupils_without_birth_date» is given for the last year asked and 0 for the others,
    as the people query gives it."""
    schools = sorted(set(school_ids))
    wanted = sorted(set(years))
    if not schools or not wanted:
        return {}
    last = wanted[-1]
    fresh = Freshness(timezone.now())
    found: dict[tuple[int, int], Counts] = {}
    existing: set[tuple[int, int]] = set()
    with unscoped_reads():
        rows = SchoolYearCounts.objects.filter(
            organization_id__in=schools, year__in=wanted
        ).values_list(
            "organization_id",
            "year",
            "people",
            "partners",
            "satisfaction",
            "computed_at",
            "invalidated_at",
        )
        for school_id, year, people, partners, answers, computed_at, invalidated_at in rows:
            existing.add((school_id, year))
            if not fresh(year, computed_at, invalidated_at):
                continue
            if year == last and people and LAST_YEAR_ONLY not in people:
                continue  # made as an earlier year of a longer read: no hint stored
            found[(school_id, year)] = Counts(
                people=people or None,
                partners=frozenset(partners),
                satisfaction={code: tuple(v) for code, v in answers.items()},
            )
    missing = [(s, y) for s in schools for y in wanted if (s, y) not in found]
    if missing:
        found.update(_compute_and_store(missing, existing, compute))
    return {key: _as_asked(key[1], value, last) for key, value in found.items()}


def _as_asked(year: int, value: Counts, last: int) -> Counts:
    if value.people is None:
        return value
    people = dict(value.people)
    people[LAST_YEAR_ONLY] = people.get(LAST_YEAR_ONLY, 0) if year == last else 0
    return Counts(people=people, partners=value.partners, satisfaction=value.satisfaction)


def _compute_and_store(
    missing: list[tuple[int, int]], existing: set[tuple[int, int]], compute: Compute
) -> dict[tuple[int, int], Counts]:
    schools = sorted({s for s, _y in missing})
    years = sorted({y for _s, y in missing})
    storable_until = timezone.localdate().year + 1
    keep = [(s, y) for s, y in missing if y <= storable_until]
    _write(
        [SchoolYearCounts(organization_id=s, year=y) for s, y in keep if (s, y) not in existing],
        claim=True,
    )
    started = timezone.now()
    computed = compute(schools, years)
    _write(
        [
            SchoolYearCounts(
                organization_id=s,
                year=y,
                people=_people_row(computed[(s, y)].people, y == years[-1]),
                partners=sorted(computed[(s, y)].partners),
                satisfaction={c: list(v) for c, v in computed[(s, y)].satisfaction.items()},
                computed_at=started,
            )
            for s, y in keep
        ],
        claim=False,
    )
    return {key: computed[key] for key in missing}


def _people_row(people: dict[str, int] | None, last_of_read: bool) -> dict[str, int]:
    if not people:
        return {}
    if last_of_read:
        return dict(people)
    return {k: v for k, v in people.items() if k != LAST_YEAR_ONLY}


def _write(rows: list[SchoolYearCounts], *, claim: bool) -> None:
    """Claim missing rows (empty, `computed_at` None) or upsert computed ones; in
    (organization, year) order, as the stamps lock them. Never fails the read."""
    global last_write
    if not rows:
        return
    try:
        with unscoped_reads(), transaction.atomic():
            if claim:
                SchoolYearCounts.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
            else:
                SchoolYearCounts.objects.bulk_create(
                    rows,
                    batch_size=BATCH,
                    update_conflicts=True,
                    unique_fields=["organization", "year"],
                    update_fields=["people", "partners", "satisfaction", "computed_at"],
                )
    except DatabaseError:
        logger.warning("indicators: could not store %d counts rows", len(rows), exc_info=True)
        return
    last_write = next(_writes)
