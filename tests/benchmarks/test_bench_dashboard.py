"""The municipal indicators dashboard over 100 schools, 100,000 participants, 40,000
pairs and 200,000 answers: median time and a fixed number of queries.

Run by `make bench` only; prints its figures for the closing notes.
"""

import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Organization, User
from monitoring.indicators.bench import seed_indicators
from tests.benchmarks.test_bench_core import median_ms

pytestmark = pytest.mark.bench

URL = "/o/bench/indicators/?year=2026"


def seed_large_municipality() -> dict[str, int]:
    call_command("seed_bench", schools=100, participants=0)
    municipality = Organization.objects.get(slug="bench")
    schools = list(municipality.children.order_by("pk"))
    started = time.perf_counter()
    created = seed_indicators(municipality, schools, participants=100_000, answers=200_000)
    print(f"\nseeded {created} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return created


def test_municipal_dashboard_100_schools(client, db):
    created = seed_large_municipality()
    assert created["participants"] == 100_000
    assert created["pairs"] == 40_000
    assert created["answers"] >= 200_000
    client.force_login(User.objects.get(email="methodist@bench.bench"))
    client.get(URL)  # warm-up: sessions, content types, templates
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    query_count = len(queries)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Школа №") >= 100
    assert "Удовлетворённость наставляемых" in html
    ms = median_ms(lambda: client.get(URL), runs=11)
    print(f"BENCH municipal dashboard: {ms:.0f} ms median, {query_count} queries")
    assert query_count <= 15
    assert ms < 500
