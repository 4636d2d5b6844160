#!/usr/bin/env python3
"""Time a region's dashboard over the stored per-school counts (selectors/stored.py):

- cold: no stored row, the indicators cache flushed: every school computed and stored;
- warm: every row stored and fresh (the whole-page cache flushed first, so the page is
  built from the rows, not read whole);
- after editing one participant: that school's rows stale, the page recomputes it.

Each is the median of `--runs` builds. Against a seeded region:

    manage.py seed_bench --region --scale 0.1 --slug breg
    DATABASE_URL=... REDIS_URL=... .venv/bin/python scripts/time_stored_counts.py --slug breg

Writes to the database it is given (stored rows, one participant's experience years,
put back at the end): never point it at a database others time against.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="breg")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
    from monitoring.indicators.models import SchoolYearCounts
    from monitoring.indicators.selectors.counts import unscoped_schools_of_region
    from monitoring.indicators.selectors.dashboards import unscoped_regional_dashboard
    from registry.models import Participant
    from registry.services.participants import participant_update

    region = Organization.objects.get(slug=f"{args.slug}-oblast")
    schools = unscoped_schools_of_region(region)

    def build() -> tuple[float, int]:
        caches["indicators"].clear()  # the whole page is never what is timed
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            unscoped_regional_dashboard(region, args.year)
            elapsed = time.perf_counter() - started
        return elapsed, len(queries)

    def median(prepare) -> tuple[list[float], int]:
        results = []
        for _ in range(args.runs):
            prepare()
            results.append(build())
        return sorted(r[0] for r in results), results[-1][1]

    def empty() -> None:
        with unscoped_reads():
            SchoolYearCounts.objects.filter(organization__in=schools).delete()

    with unscoped_reads():
        teacher = Participant.objects.filter(
            organization__in=schools, category="teacher", pair_memberships__isnull=False
        ).first()
    original = teacher.experience_years
    flip = iter(range(10**6))

    def edit_one() -> None:
        with tenant_scope(teacher.organization):
            participant_update(
                actor=None, participant=teacher, experience_years=1 + next(flip) % 2 * 20
            )

    build()  # connections, content types, the process's first queries
    cold = median(empty)
    warm = median(lambda: None)
    edited = median(edit_one)
    with tenant_scope(teacher.organization):
        participant_update(actor=None, participant=teacher, experience_years=original)
    print(f"region {region.slug}: {len(schools)} schools, year {args.year}, median of {args.runs}")
    for label, (runs, queries) in (
        ("cold (no stored row)", cold),
        ("warm (every row stored)", warm),
        ("after editing one participant", edited),
    ):
        ms = [round(s * 1000) for s in runs]
        print(
            f"  {label:32} median {statistics.median(ms):6.0f} ms  {queries:3} queries"
            f"  (runs: {', '.join(map(str, ms))} ms)"
        )


if __name__ == "__main__":
    main()
