"""Per-year counts of a large tree kept between requests: what makes a region's
dashboard, roll-up and report fast (issue 17's scale: 1,500 schools, 600,000 pairs).

What is cached: the three aggregate reads every figure comes from — people per school
and year (`queries.people_counts`), partners mentoring per year, satisfaction answers
per school and year — for one set of schools and one year, only when the set is large
(`INDICATORS_CACHE_MIN_SCHOOLS`, 200: a region; a municipality is fast enough live).
Contingents, targets and roadmaps are read live (they are small).

How long: a closed year (before the current one) `INDICATORS_CACHE_CLOSED_SECONDS`
(6 h); the current year `INDICATORS_CACHE_LIVE_SECONDS` (5 min).

How it is invalidated: every key carries the year's generation number; saving or
deleting a pair bumps the years the pair overlaps, and a member, a participant or a
response bumps every year (a person's age or category moves all of them).
The receivers are connected in `IndicatorsConfig.ready`. Writes that bypass signals
(`QuerySet.update`, bulk inserts such as `seed_bench`) are caught by the lifetimes
above. Keys also carry the database's identity, so a recreated test database never
reads an older one's counts. When the region's frozen submissions land (issue 17,
item 4), a frozen year can be kept without a lifetime: its figures no longer change.

A region's whole dashboard and roll-up (`whole`) are kept the same way, keyed also by
an "inputs" generation that contingents, targets, roadmaps, activities and
organisations bump when saved: a warm regional page is then a single cache read.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from monitoring.indicators.definitions import FIRST_YEAR

ALIAS = "indicators"
logger = logging.getLogger(__name__)
_epochs: dict[str, str] = {}


def _cache():
    return caches[ALIAS]


def _epoch() -> str:
    """The database's identity: its name and, on PostgreSQL, its OID (a recreated test
    database gets a new one). One query per process."""
    name = str(connection.settings_dict.get("NAME"))
    if name not in _epochs:
        oid = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
                oid = str(cursor.fetchone()[0])
        _epochs[name] = f"{connection.vendor}:{name}:{oid}"
    return _epochs[name]


def _gen_key(year: int | str) -> str:
    # No query here: the receivers call it inside any write, and pages count their
    # queries. The values' keys carry the database's OID (`_epoch`) besides.
    return f"ind:{connection.vendor}:{connection.settings_dict.get('NAME')}:gen:{year}"


def enabled(school_count: int) -> bool:
    return school_count >= settings.INDICATORS_CACHE_MIN_SCHOOLS


def yearly(
    kind: str,
    school_ids: Sequence[int],
    years: Sequence[int],
    compute: Callable[[list[int]], dict[int, Any]],
) -> dict[int, Any]:
    """{year: part} for these schools: cached parts, and `compute(missing years)` for the
    rest (one call, so its queries run once for all the missing years)."""
    if not enabled(len(school_ids)):
        return compute(list(years))
    cache = _cache()
    digest = hashlib.sha1(  # noqa: S324 - a cache key, not a secret
        ",".join(map(str, sorted(school_ids))).encode()
    ).hexdigest()
    generations = cache.get_many([_gen_key(y) for y in years])
    keys = {
        y: f"ind:{_epoch()}:{kind}:{y}:{generations.get(_gen_key(y), 0)}:{digest}" for y in years
    }
    found = cache.get_many(list(keys.values()))
    parts = {y: found[keys[y]] for y in years if keys[y] in found}
    missing = [y for y in years if y not in parts]
    if missing:
        fresh = compute(missing)
        current = timezone.localdate().year
        for y in missing:
            parts[y] = fresh[y]
            timeout = (
                settings.INDICATORS_CACHE_CLOSED_SECONDS
                if y < current
                else settings.INDICATORS_CACHE_LIVE_SECONDS
            )
            cache.set(keys[y], fresh[y], timeout)
    return parts


def invalidate_years(years: Sequence[int | str] | None = None) -> None:
    """A new generation for these years (all the reporting years when None)."""
    if years is None:
        years = range(FIRST_YEAR, timezone.localdate().year + 2)
    cache = _cache()
    try:
        for year in years:
            key = _gen_key(year)
            cache.add(key, 0, None)
            try:
                cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 1, None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write itself
        # The lifetimes still bound how stale a figure can get.
        logger.warning("indicators cache: could not invalidate %s", list(years), exc_info=True)


def years_of_pair(starts_on: datetime.date | None, ends_on: datetime.date | None) -> range:
    last = timezone.localdate().year + 1
    first = starts_on.year if starts_on else FIRST_YEAR
    end = ends_on.year if ends_on else last
    return range(max(first, FIRST_YEAR), min(end, last) + 1)


# --- Receivers, connected in IndicatorsConfig.ready --------------------------------------


def pair_changed(sender, instance, **kwargs) -> None:
    invalidate_years(years_of_pair(instance.starts_on, instance.ends_on))


def anything_changed(sender, instance=None, **kwargs) -> None:
    invalidate_years()


# --- Whole pages of a region -----------------------------------------------------------

INPUTS = "inputs"


def whole(kind: str, key: str, years: Sequence[int], compute: Callable[[], Any]) -> Any:
    """A region's whole dashboard or roll-up for a year, kept until any of its years'
    counts or any input (contingents, targets, roadmaps, organisations) changes, and
    for the lifetime of its newest year at most."""
    cache = _cache()
    gen_keys = [_gen_key(y) for y in years] + [_gen_key(INPUTS)]
    generations = cache.get_many(gen_keys)
    stamp = ".".join(str(generations.get(k, 0)) for k in gen_keys)
    full_key = f"ind:{_epoch()}:{kind}:{key}:{stamp}"
    found = cache.get(full_key)
    if found is not None:
        return found
    value = compute()
    current = timezone.localdate().year
    timeout = (
        settings.INDICATORS_CACHE_CLOSED_SECONDS
        if max(years) < current
        else settings.INDICATORS_CACHE_LIVE_SECONDS
    )
    cache.set(full_key, value, timeout)
    return value


def inputs_changed(sender, instance=None, **kwargs) -> None:
    """Contingents, targets, roadmaps, activities, organisations: the pages built on
    the counts change, the counts do not."""
    invalidate_years([INPUTS])
