"""Queues by kind of work (mentorship/queues.py): routes, per-queue limits, and a reminder
that real workers deliver while the documents queue is backed up."""

from __future__ import annotations

import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from mentorship import queues
from mentorship.celery import app as celery_app
from mentorship.celery import check_time_limits
from mentorship.documents.services import document_request
from mentorship.tasks import ping
from roadmaps.tasks import send_deadline_reminders
from tests.factories import UserFactory
from tests.mentorship.test_worker_kill import DAY, _roadmap_with_one_duty_each, wait_for
from tests.workerproc import WorkerProcess, letters_in, own_queues, queue_length

EVERY_TASK = {
    "mentorship.documents.render": queues.DOCUMENTS,
    "mentorship.documents.requeue_stuck": queues.DOCUMENTS,
    "mentorship.ping": queues.MAIL,
    "mentorship.send_invitation": queues.MAIL,
    "monitoring.send_campaign_reminders": queues.MAIL,
    "monitoring.send_invitation_emails": queues.MAIL,
    "registry.notify_consent_withdrawn": queues.MAIL,
    "roadmaps.send_deadline_reminders": queues.MAIL,
    "registry.depersonalize_due": queues.HEAVY,
}


def routed_queue(name: str) -> str:
    return celery_app.amqp.router.route({}, name)["queue"].name


def test_every_task_has_its_queue_and_fits_its_limits():
    celery_app.loader.import_default_modules()
    names = {name for name in celery_app.tasks if not name.startswith("celery.")}
    assert set(EVERY_TASK) <= names
    for name in names:
        assert routed_queue(name) == settings.QUEUE_PREFIX + queues.queue_of(name)
    for name, queue in EVERY_TASK.items():
        assert queues.queue_of(name) == queue
    # Future tasks land by their names: Word documents, imports, aggregates.
    assert queues.queue_of("mentorship.documents.render_docx") == queues.DOCUMENTS
    assert queues.queue_of("registry.import_file") == queues.HEAVY
    assert queues.queue_of("monitoring.indicators.recount") == queues.HEAVY
    assert queues.queue_of("something.new") == queues.MAIL
    assert check_time_limits() == []


def test_a_task_without_limits_gets_its_queues():
    soft, hard = settings.QUEUE_TIME_LIMITS[queues.MAIL]
    assert (ping.soft_time_limit, ping.time_limit) == (soft, hard)
    render = celery_app.tasks["mentorship.documents.render"]
    assert render.time_limit == settings.QUEUE_TIME_LIMITS[queues.DOCUMENTS][1]


def test_a_limit_beyond_its_queue_is_reported(monkeypatch):
    task = celery_app.tasks["mentorship.documents.requeue_stuck"]
    monkeypatch.setattr(task, "time_limit", 10_000)
    problems = check_time_limits()
    assert any("exceeds its queue 'documents'" in p for p in problems)
    assert any("reach the visibility timeout" in p for p in problems)


DOCUMENTS_QUEUED = 12
RENDER_SECONDS = 1.0


def reminder_latency(cast, tmp_path, *, renders: int, render_seconds: float) -> tuple[float, int]:
    """Seconds from queueing a reminder to its letter, with `renders` PDF renders queued
    ahead on the documents queue; and how many renders were still queued then.

    One worker per queue, as docker-compose runs them (tests/workerproc.py).
    """
    prefix = f"test-{uuid.uuid4().hex[:12]}-"
    mail_dir = tmp_path / f"mail-{prefix}"
    mail_dir.mkdir()
    db = connection.settings_dict
    database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    person = UserFactory()
    _roadmap_with_one_duty_each(cast.school, [person])
    if renders:
        document = document_request(
            actor=None, organization=cast.school, kind="staff_list", schedule=False
        )
    common = {"prefix": prefix, "mail_dir": mail_dir, "database": database}
    slow = {"SLOW_RENDER_SECONDS": render_seconds} if render_seconds else {}
    with own_queues(celery_app, prefix):
        workers = [
            WorkerProcess(
                **common, media_root=settings.MEDIA_ROOT, queues=(queues.DOCUMENTS,), **slow
            ),
            WorkerProcess(**common, media_root=settings.MEDIA_ROOT, queues=(queues.MAIL,)),
        ]
        try:
            render = celery_app.tasks["mentorship.documents.render"]
            for _ in range(renders):
                render.delay(document.pk)
            # Both workers up: the mail one answers a ping, the documents one takes work.
            # Celery's "inside a task" guard can be left set by an earlier eager task in
            # this process: this test is no task, so the guard is turned off here.
            assert ping.delay().get(timeout=60, disable_sync_subtasks=False) == "pong"
            documents_queue = prefix + queues.DOCUMENTS
            if renders:
                wait_for(
                    lambda: queue_length(celery_app, documents_queue) < renders,
                    timeout=60,
                    what="the documents worker to start",
                    worker=workers[0],
                )
            sent = time.monotonic()
            send_deadline_reminders.delay(DAY.isoformat())
            wait_for(
                lambda: letters_in(mail_dir), timeout=30, what="the reminder", worker=workers[1]
            )
            latency = time.monotonic() - sent
            still_queued = queue_length(celery_app, documents_queue)
        finally:
            for worker in workers:
                worker.stop()
    assert [letter["To"] for letter in letters_in(mail_dir)] == [person.email]
    return latency, still_queued


@pytest.mark.worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (make test sets it)")
@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_not_delayed_by_a_backed_up_documents_queue(cast, tmp_path):
    """The documents worker has a dozen slow renders ahead of it; the reminder goes
    through the mail worker at once."""
    latency, still_queued = reminder_latency(
        cast, tmp_path, renders=DOCUMENTS_QUEUED, render_seconds=RENDER_SECONDS
    )
    # The documents queue is still backed up when the reminder has already gone out.
    assert still_queued >= DOCUMENTS_QUEUED // 2, still_queued
    assert latency < 5, latency
    print(
        f"\nqueue isolation: reminder delivered in {latency:.2f} s "
        f"with {still_queued} renders ({RENDER_SECONDS:.0f} s each) still queued"
    )
