"""The consolidated municipal report (PDF) for 100 schools: under 10 s.

Run by `make bench` only; prints its figures for the closing notes.
"""

import time

import pytest

from mentorship.documents.services import document_render, document_request
from mentorship.models import DocumentStatus, Organization
from tests.benchmarks.test_bench_dashboard import seed_large_municipality

pytestmark = pytest.mark.bench


def test_municipal_report_100_schools(db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    seed_large_municipality()
    municipality = Organization.objects.get(slug="bench")
    started = time.perf_counter()
    document = document_request(
        actor=None,
        organization=municipality,
        kind="municipal_report",
        params={"year": 2026},
        schedule=False,
    )
    document = document_render(document.pk)
    seconds = time.perf_counter() - started
    assert document.status == DocumentStatus.READY, document.error
    size = document.file.size
    print(f"\nBENCH municipal report 100 schools: {seconds:.1f} s ({size // 1024} KB)")
    assert seconds < 10
