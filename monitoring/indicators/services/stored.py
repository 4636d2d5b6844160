"""Marking a school's stored counts stale when what they count changes.

`counts_changed(organization_ids, years=None)` is the one entry point: it stamps
`invalidated_at` on those schools' `SchoolYearCounts` rows (the years given, or every
year), so the next page that needs them recomputes those schools only
(`selectors/stored.py`), and it bumps the Redis generations of those years, which the
whole cached pages of a region are keyed by (`selectors/cache.py`).

Who calls it:
- the model signals of `Pair` (its school, from its start to the next year: ending a
  pair moves its end earlier), `PairMember` and `Participant` (their school, every year)
  and `Response` (its school, its campaign's year when the campaign is at hand, else
  every year), connected in `IndicatorsConfig.ready`;
- writes that bypass those signals (`QuerySet.update`, bulk inserts, raw SQL) send
  `mentorship.signals.bulk_rows_changed` through `rows_changed_in_bulk`: the order on
  pairs, approval by order, the participants' import, a questionnaire's submission.
  The registry cannot import the indicators (import-linter: monitoring > registry),
  hence a signal declared in the core that this app connects to.

When: at once, inside the writer's transaction (a page it renders afterwards sees its
own write), and again once the transaction commits. The second stamp is what a reader
computing concurrently can miss no write by: its rows were computed from reads that
began before the commit, so before this stamp.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.models import SchoolYearCounts
from monitoring.indicators.selectors import cache
from monitoring.indicators.selectors import stored as stored_reads

YearsKey = tuple[int, ...] | None


def counts_changed(
    organization_ids: Iterable[int | None], years: Iterable[int] | None = None
) -> None:
    """These schools' stored counts of these years (every year when None) are stale."""
    ids = sorted({int(i) for i in organization_ids if i})
    if not ids:
        return
    key: YearsKey = None if years is None else tuple(sorted(set(years)))
    if key == ():
        return
    batch = _batch() if connection.in_atomic_block else None
    if batch is None or batch.needs_stamp(ids, key):
        _stamp(ids, key)
    cache.invalidate_years(key)
    if batch is not None:
        batch.add(ids, key)


def _stamp(ids: list[int], years: YearsKey) -> None:
    with unscoped_reads():
        rows = SchoolYearCounts.objects.filter(organization_id__in=ids)
        if years is not None:
            rows = rows.filter(year__in=years)
        rows.update(invalidated_at=timezone.now())


class _Batch:
    """What one transaction stamped: stamped again, together, once it commits."""

    def __init__(self) -> None:
        # (school, years) → `stored_reads.last_write` when it was stamped.
        self.stamped: dict[tuple[int, YearsKey], int] = {}

    def needs_stamp(self, ids: list[int], years: YearsKey) -> bool:
        # A storm of signals (a cascade deleting a campaign's responses) stamps once;
        # again only if a read may have stored the school's rows since. A school stamped
        # for every year is stamped for any of them.
        now = stored_reads.last_write
        return any(
            self.stamped.get((i, years)) != now and self.stamped.get((i, None)) != now for i in ids
        )

    def add(self, ids: list[int], years: YearsKey) -> None:
        for i in ids:
            self.stamped[(i, years)] = stored_reads.last_write

    def flush(self) -> None:
        if getattr(connection, "_indicators_stamp_batch", None) is self:
            connection._indicators_stamp_batch = None
        by_years: dict[YearsKey, list[int]] = defaultdict(list)
        for school_id, years in self.stamped:
            by_years[years].append(school_id)
        for years, ids in by_years.items():
            _stamp(sorted(ids), years)
            cache.invalidate_years(years)


def _batch() -> _Batch:
    """This transaction's batch, registered with `on_commit` when first needed. A batch
    whose transaction rolled back is no longer among the commit callbacks: a new one."""
    batch = getattr(connection, "_indicators_stamp_batch", None)
    if batch is None or not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        batch = _Batch()
        connection._indicators_stamp_batch = batch
        transaction.on_commit(batch.flush, robust=True)
    return batch


def rows_changed(sender, organization_ids=(), years=None, **kwargs) -> None:
    """The receiver of `mentorship.signals.bulk_rows_changed`."""
    counts_changed(organization_ids, years)


# --- Model signals, connected in IndicatorsConfig.ready --------------------------------


def years_of_pair_change(
    starts_on: datetime.date | None, created_at: datetime.datetime | None
) -> range | None:
    """The years a saved or deleted pair can have changed: from its start (or, with no
    start, the day it was entered) to the next year, since ending a pair moves its end
    earlier. None (every year) when neither is known."""
    first = starts_on or (timezone.localdate(created_at) if created_at else None)
    if first is None:
        return None
    return range(first.year, timezone.localdate().year + 2)


def pair_changed(sender, instance, **kwargs) -> None:
    counts_changed(
        [instance.organization_id], years_of_pair_change(instance.starts_on, instance.created_at)
    )


def school_changed(sender, instance, **kwargs) -> None:
    """A participant or a pair member: a person's age or category moves every year."""
    counts_changed([instance.organization_id])


def response_changed(sender, instance, **kwargs) -> None:
    # The campaign's year only if it is at hand: a receiver that queried would add a
    # query to every write of a response, and a cascade would run it per response.
    field = type(instance)._meta.get_field("campaign")
    years = [instance.campaign.starts_on.year] if field.is_cached(instance) else None
    counts_changed([instance.organization_id], years)
