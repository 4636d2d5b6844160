"""The reminder's latency alone and while 500 PDFs wait on the documents queue (issue 18).

Real workers, one per queue (tests/mentorship/test_queues.py): the documents worker
renders for real (no pause), the mail worker sends the morning reminder. Run by
`make bench`; prints the queue-isolation figure.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.mentorship.test_queues import reminder_latency

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (make bench sets it)"),
    pytest.mark.django_db(transaction=True),
]

RENDERS = 500


def test_bench_reminder_latency_while_500_pdfs_render(cast, tmp_path):
    alone, _ = reminder_latency(cast, tmp_path, renders=0, render_seconds=0)
    busy, queued = reminder_latency(cast, tmp_path, renders=RENDERS, render_seconds=0)
    print(
        f"\nBENCH queue isolation: reminder {alone:.2f} s alone, {busy:.2f} s with "
        f"{RENDERS} PDFs queued ({queued} still waiting when it was delivered)"
    )
    assert queued > RENDERS // 2
    assert busy < alone + 2
