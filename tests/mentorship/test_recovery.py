"""What a dead worker leaves behind is picked up: time limits that fit the broker, the
documents' sweep, and monitoring reminders' leases (issue 11, item 4).

The real SIGKILL runs are in test_worker_kill.py (marker `worker`); these check the
pieces in-process."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentorship.celery import app as celery_app
from mentorship.celery import check_time_limits
from mentorship.documents.services import (
    MAX_RENDER_ATTEMPTS,
    PENDING_GRACE,
    document_render,
    document_request,
    unscoped_requeue_stuck,
)
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import unscoped_reads


def test_every_task_fits_the_brokers_visibility_timeout():
    import monitoring.tasks  # noqa: F401 - registered by the apps' ready() in a worker
    import registry.tasks  # noqa: F401
    import roadmaps.tasks  # noqa: F401

    assert check_time_limits() == []
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility == 30 * 60  # not the library's hour
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # A run's claims last as long as the run may: its hard limit; and end before the
    # broker hands the run's message out again.
    reminder = celery_app.tasks["roadmaps.send_deadline_reminders"]
    assert reminder.time_limit <= settings.REMINDER_LEASE_SECONDS < visibility
    schedule = settings.CELERY_BEAT_SCHEDULE["documents-requeue-stuck"]
    assert schedule["task"] == "mentorship.documents.requeue_stuck"


def test_the_check_names_a_task_that_would_be_handed_out_twice(settings):
    options = dict(celery_app.conf.broker_transport_options)
    celery_app.conf.broker_transport_options = {**options, "visibility_timeout": 600}
    try:
        problems = check_time_limits()
    finally:
        celery_app.conf.broker_transport_options = options
    assert any(p.startswith("roadmaps.send_deadline_reminders:") for p in problems)


_numbers = count()


def _stuck(organization, **state) -> Document:
    # Parameters told apart: two unfinished twins of one request would be refused.
    document = document_request(
        actor=None,
        organization=organization,
        kind="staff_list",
        params={"n": next(_numbers)},
        schedule=False,
    )
    with unscoped_reads():
        Document.objects.filter(pk=document.pk).update(**state)
    return document


def _state(document: Document) -> tuple[str, int]:
    with unscoped_reads():
        document.refresh_from_db()
    return document.status, document.attempts


def test_a_render_marks_its_lease_and_counts_the_attempt(cast, monkeypatch):
    from mentorship.documents import services

    seen = {}

    def look(*args, **kwargs):
        with unscoped_reads():
            seen.update(Document.objects.values("status", "lease_until", "attempts").get())
        return b"%PDF-1.4 stub"

    monkeypatch.setattr(services, "render_pdf", look)
    document = document_request(
        actor=None, organization=cast.school, kind="staff_list", schedule=False
    )
    document_render(document.pk)

    assert seen["status"] == DocumentStatus.RENDERING and seen["attempts"] == 1
    limit = timedelta(seconds=settings.DOCUMENT_RENDER_TIME_LIMIT)
    assert timezone.now() + limit < seen["lease_until"] < timezone.now() + 2 * limit
    assert _state(document) == (DocumentStatus.READY, 1)
    with unscoped_reads():
        assert Document.objects.get().lease_until is None


def test_the_sweep_queues_again_what_a_dead_worker_left(cast, django_capture_on_commit_callbacks):
    past = timezone.now() - timedelta(seconds=1)
    dead = _stuck(cast.school, status=DocumentStatus.RENDERING, lease_until=past, attempts=1)
    alive = _stuck(
        cast.school,
        status=DocumentStatus.RENDERING,
        lease_until=timezone.now() + timedelta(minutes=2),
        attempts=1,
    )
    lost = _stuck(cast.school2, updated_at=timezone.now() - PENDING_GRACE - timedelta(minutes=1))
    waiting = _stuck(cast.school2)  # pending a moment ago: a worker will come

    with django_capture_on_commit_callbacks(execute=True):
        assert unscoped_requeue_stuck() == (2, 0)

    assert _state(dead) == (DocumentStatus.READY, 2)
    assert _state(lost) == (DocumentStatus.READY, 1)
    assert _state(alive) == (DocumentStatus.RENDERING, 1)
    assert _state(waiting) == (DocumentStatus.PENDING, 0)


def test_a_document_that_kills_its_worker_every_time_ends_failed(cast):
    past = timezone.now() - timedelta(seconds=1)
    document = _stuck(
        cast.school,
        status=DocumentStatus.RENDERING,
        lease_until=past,
        attempts=MAX_RENDER_ATTEMPTS,
    )

    assert unscoped_requeue_stuck() == (0, 1)

    assert _state(document)[0] == DocumentStatus.FAILED
    assert "внутренней ошибки" in document.error


def test_the_status_page_queues_its_stuck_document_again(
    cast, client, django_capture_on_commit_callbacks
):
    past = timezone.now() - timedelta(seconds=1)
    document = _stuck(cast.school, status=DocumentStatus.RENDERING, lease_until=past, attempts=1)
    client.force_login(cast.curator)
    url = reverse("document_status", args=[cast.school.slug, document.pk])

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 200

    assert _state(document) == (DocumentStatus.READY, 2)


def test_the_sweep_task_reports_its_figures(cast):
    task = celery_app.tasks["mentorship.documents.requeue_stuck"]
    assert task.apply().get() == {"queued_again": 0, "given_up": 0}
