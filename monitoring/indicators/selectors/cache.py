"""Counts kept between requests: per year for a large tree (a region's dashboard,
roll-up and report, issue 17's scale: 1,500 schools, 600,000 pairs), per school and
year below it (a municipality's or a school's pages: `per_school`, at the end).

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
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
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
    invalidate_schools([instance.organization_id])


def anything_changed(sender, instance=None, **kwargs) -> None:
    invalidate_years()
    if instance is not None:
        invalidate_schools([instance.organization_id])


def rows_written_in_bulk(sender, organization_ids: Iterable[int], **kwargs) -> None:
    """The registry's writes that bypass the model signals (registry.signals)."""
    invalidate_years()
    invalidate_schools(organization_ids)


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


# --- Per school and year: a municipality's and a school's counts --------------------------
#
# A municipality's dashboard reads five years of its 100 schools' counts on every view
# (~200 ms of SQL at the bench's 50,000 participants, the page's largest part under the
# mixed load). Its writers are its schools' curators, one school at a time: so the
# counts are kept per (school, year), each key carrying the school's generation, and a
# write drops only its own school's entries. The next view reads the other schools from
# the cache and recounts that one school (the same three reads, for its id only).
#
# The generation of a school changes when, in that school:
# - a pair, a pair member, a participant or a response is saved or deleted (the model
#   signals, connected in `IndicatorsConfig.ready`);
# - pairs, members or participants are written in bulk: the approval by order, the
#   order's date, the registry import (`registry.signals.rows_written_in_bulk`).
# It changes at once and again when the write commits: a view that read the old rows
# while the write was in flight cannot keep them under the new generation.
# Answers sent through the public page (one raw SQL statement, no signal) and any other
# write around the models reach the page within the lifetime of an entry,
# INDICATORS_CACHE_LIVE_SECONDS (5 minutes) for every year. A generation key that is
# missing (evicted, or never set) is created with a fresh value, never 0: an old entry
# can never be read again under it.


def _school_gen_key(school_id: int) -> str:
    # No query here either: the receivers call it inside any write.
    name = connection.settings_dict.get("NAME")
    return f"ind:{connection.vendor}:{name}:school-gen:{school_id}"


def _fresh_generation() -> int:
    return time.time_ns()


def _school_generations(cache, school_ids: Sequence[int]) -> dict[int, int]:
    keys = {s: _school_gen_key(s) for s in school_ids}
    found = cache.get_many(list(keys.values()))
    unset = [key for key in keys.values() if key not in found]
    if unset:
        for key in unset:
            cache.add(key, _fresh_generation(), None)
        found.update(cache.get_many(unset))
    return {s: found.get(key, 0) for s, key in keys.items()}


def per_school(
    kind: str,
    school_ids: Sequence[int],
    years: Sequence[int],
    compute: Callable[[list[int], list[int]], dict[tuple[int, int], Any]],
) -> dict[tuple[int, int], Any]:
    """{(school id, year): part}: the cached parts, and `compute(school ids, years)` in
    one call (so its queries run once) for the schools and years that miss."""
    school_ids, years = list(school_ids), list(years)
    if not settings.INDICATORS_SCHOOL_CACHE or not school_ids or not years:
        return compute(school_ids, years)
    cache = _cache()
    try:
        generations = _school_generations(cache, school_ids)
        prefix = f"ind:{_epoch()}:{kind}"
        keys = {(s, y): f"{prefix}:{s}:{generations[s]}:{y}" for s in school_ids for y in years}
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - without the cache the page is slower, not wrong
        logger.warning("indicators cache: could not read the schools' counts", exc_info=True)
        return compute(school_ids, years)
    parts = {k: found[key] for k, key in keys.items() if key in found}
    missing = [k for k in keys if k not in parts]
    if missing:
        fresh = compute(sorted({s for s, _y in missing}), sorted({y for _s, y in missing}))
        for k in missing:
            parts[k] = fresh[k]
        try:
            cache.set_many(
                {keys[k]: fresh[k] for k in missing}, settings.INDICATORS_CACHE_LIVE_SECONDS
            )
        except Exception:  # noqa: BLE001
            logger.warning("indicators cache: could not keep the schools' counts", exc_info=True)
    return parts


def invalidate_schools(school_ids: Iterable[int | None]) -> None:
    """New generations for these schools' cached counts: now, and once more when the
    current transaction commits (see above)."""
    ids = sorted({int(s) for s in school_ids if s is not None})
    if not ids:
        return
    _bump_schools(ids)
    transaction.on_commit(lambda: _bump_schools(ids))


def _bump_schools(school_ids: Sequence[int]) -> None:
    cache = _cache()
    try:
        for school_id in school_ids:
            key = _school_gen_key(school_id)
            try:
                cache.incr(key)
            except ValueError:  # never set, or evicted: a fresh value, never an old one
                cache.set(key, _fresh_generation(), None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write itself
        logger.warning("indicators cache: could not invalidate schools %s", school_ids)
