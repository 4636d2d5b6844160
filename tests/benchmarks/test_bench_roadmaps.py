"""The methodist's progress matrix: 100 schools × 60 cascaded activities.

Run by `make bench` only; prints its figures for the closing notes.
"""

import time
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Organization, User
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity
from roadmaps.services import authoring, cascade
from tests.benchmarks.test_bench_core import median_ms

pytestmark = pytest.mark.bench


def test_matrix_100_schools_60_activities(client, db):
    call_command("seed_bench", schools=100)
    municipality = Organization.objects.get(slug="bench")
    methodist = User.objects.get(email="methodist@bench.bench")
    with tenant_scope(municipality):
        roadmap = authoring.roadmap_create(
            actor=methodist,
            organization=municipality,
            title="Замер",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        for s in range(6):
            section = authoring.section_create(
                actor=methodist, roadmap=roadmap, title=f"Раздел {s}", for_every_school=True
            )
            for a in range(10):
                authoring.activity_create(
                    actor=methodist,
                    section=section,
                    title=f"Мероприятие {s}.{a}",
                    deadline_text=["март 2027", "ноябрь 2026", "1 раз в квартал"][a % 3],
                )
        started = time.perf_counter()
        created = cascade.roadmap_cascade(actor=methodist, roadmap=roadmap)
        cascade_s = time.perf_counter() - started
    assert created == 6000
    with unscoped_reads():
        done = list(Activity.objects.filter(origin__isnull=False).values_list("pk", flat=True)[::3])
        Activity.objects.filter(pk__in=done).update(status="done")

    client.force_login(methodist)
    url = f"/o/bench/roadmaps/{roadmap.pk}/matrix/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)
    assert response.status_code == 200
    ms = median_ms(lambda: client.get(url), runs=11)
    print(
        f"\nBENCH matrix 100 schools x 60 activities: {ms:.0f} ms median, "
        f"{query_count} queries; cascade of 6000 copies {cascade_s:.2f} s"
    )
    assert ms < 300
