"""One task through a real worker on the real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from mentorship.celery import app
from mentorship.tasks import ping


@pytest.mark.worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (make test sets it)")
def test_task_round_trips_through_a_real_worker(db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"
    assert app.conf.broker_url.startswith("redis://")
