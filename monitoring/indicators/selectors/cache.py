"""What the indicators keep between requests, where, and how it is dropped: what makes a
region's dashboard, roll-up and report fast (issue 17's scale: 1,500 schools, 1.5 M
participants, 600,000 pairs, 3 M answers).

1. Per school and year, in the database (`SchoolYearCounts`, `selectors/stored.py`):
   the three aggregate reads every figure comes from — people by metric, partners
   mentoring, satisfaction answers — one row per school and year, for every page and
   every size of tree (a school's own page, its municipality's, its region's read the
   same rows). Marked stale PER SCHOOL (`services/stored.py: counts_changed`):
   - a pair saved or deleted: its school, the years from its start to the next one;
   - a participant or a pair member saved or deleted: its school, every year;
   - a response saved or deleted: its school, its campaign's year;
   - writes that bypass those signals call it through `mentorship.signals.
     rows_changed_in_bulk`: approval by order, the order's date, the participants'
     import, a questionnaire's submission (raw SQL); `seed_bench` deletes the rows of
     the schools it fills.
   Safety net: a row older than `INDICATORS_STORED_MAX_AGE` (a closed year, 24 h) or
   `INDICATORS_STORED_MAX_AGE_CURRENT` (the current and next year, 10 min) is
   recomputed. A region where a curator edits somebody every few seconds then
   recomputes one school per edit, not the region.

2. In the `indicators` cache (Redis when there is one, shared by every process):
   - a region's whole dashboard and roll-up (`whole`), keyed by the generation number
     of each of their years and of the "inputs": a warm regional page is one cache
     read. Every change above bumps the generations of its years (every year for a
     person), and contingents, targets, roadmaps, activities, organisations and
     submissions bump the inputs' (`inputs_changed`). Lifetimes
     `INDICATORS_CACHE_LIVE_SECONDS` (the current year, 5 min) and
     `INDICATORS_CACHE_CLOSED_SECONDS` (6 h) bound what a missed bump can cost;
   - the roll-up's pairs per school of a large tree (`yearly`, the same generations).
   Only for large trees (`INDICATORS_CACHE_MIN_SCHOOLS`, 200: a region); keys carry
   the database's identity, so a recreated test database never reads an older one's.

Contingents, targets and roadmaps are read live (they are small).
"""

from __future__ import annotations

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
