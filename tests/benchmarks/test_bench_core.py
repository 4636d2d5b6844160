"""Core timings: the methodist's home over a municipality of 100 schools.

Run by `make bench` only (marker `bench`); prints its figures for the closing notes.
"""

import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import User

pytestmark = pytest.mark.bench


def median_ms(fn, runs: int = 15) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def test_municipal_home_over_100_schools(client, db):
    call_command("seed_bench", schools=100, participants=0)
    client.force_login(User.objects.get(email="methodist@bench.bench"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/o/bench/")
    # Count now: every later request's request_started signal empties the query log.
    query_count = len(queries)
    assert response.status_code == 200
    assert response.content.decode().count("Школа №") >= 100
    ms = median_ms(lambda: client.get("/o/bench/"))
    print(f"\nBENCH municipal home, 100 schools: {ms:.1f} ms median, {query_count} queries")
    assert query_count <= 12
