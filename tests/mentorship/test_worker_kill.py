"""A real worker killed with SIGKILL mid-run loses no reminder and no document (issue 11).

Each test starts worker processes on Redis and the test database (tests/workerproc.py),
kills one with SIGKILL in the middle of its work and lets the portal recover as it would
in production: the broker hands the unacknowledged message out again after its
visibility timeout (short here), the reminder ledger's leases expire, the documents'
sweep queues a render whose worker died.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mentorship.celery import app as celery_app
from mentorship.models import Document, DocumentStatus
from mentorship.notifications.models import ReminderDelivery
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, ActivityDueDate, Roadmap, RoadmapStatus, Section
from roadmaps.services.reminders import send_reminders
from roadmaps.tasks import send_deadline_reminders
from tests.factories import UserFactory
from tests.workerproc import WorkerProcess, letters_in, own_queues

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (make test sets it)"),
    pytest.mark.django_db(transaction=True),
]

DAY = date(2026, 9, 14)
PEOPLE = 33
KILL_AFTER = 9


def wait_for(condition, *, timeout: float, what: str, worker: WorkerProcess | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    log = worker.output() if worker else ""
    raise AssertionError(f"timed out waiting for {what}\n{log[-3000:]}")


@pytest.fixture
def broker(tmp_path, settings):
    """The test's own queues on the real broker, and where the workers write letters."""
    prefix = f"test-{uuid.uuid4().hex[:12]}-"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[WorkerProcess] = []

    def start(**env) -> WorkerProcess:
        db = connection.settings_dict
        database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        worker = WorkerProcess(
            prefix=prefix,
            mail_dir=mail_dir,
            database=database,
            media_root=settings.MEDIA_ROOT,
            **env,
        )
        workers.append(worker)
        return worker

    with own_queues(celery_app, prefix):
        yield start, prefix, mail_dir
        for worker in workers:
            worker.stop()


def _roadmap_with_one_duty_each(school, people) -> None:
    with tenant_scope(school):
        roadmap = Roadmap.objects.create(
            organization=school,
            title="Дорожная карта",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
            status=RoadmapStatus.APPROVED,
        )
        section = Section.objects.create(organization=school, roadmap=roadmap, title="Раздел")
        for i, person in enumerate(people):
            activity = Activity.objects.create(
                organization=school,
                roadmap=roadmap,
                section=section,
                title=f"Мероприятие {i}",
                due_date=DAY + timedelta(days=1),
            )
            ActivityDueDate.objects.create(
                organization=school, activity=activity, due_on=DAY + timedelta(days=1)
            )
            activity.responsible_users.set([person])


def test_reminders_survive_a_worker_killed_mid_run(cast, broker):
    start, _queue, mail_dir = broker
    people = [UserFactory(email=f"person{i:02d}@a1.test") for i in range(PEOPLE)]
    _roadmap_with_one_duty_each(cast.school, people)
    # Claims live 15 s in these workers; the broker redelivers after 20 s (in production:
    # the reminder task's hard limit, 660 s, and 30 minutes).
    timings = {"REMINDER_LEASE_SECONDS": 15, "TEST_VISIBILITY_TIMEOUT": 20}

    first = start(SLOW_MAIL_SECONDS=0.2, **timings)
    send_deadline_reminders.apply_async(args=[DAY.isoformat()])
    wait_for(
        lambda: len(letters_in(mail_dir)) >= KILL_AFTER,
        timeout=90,
        what="the first letters",
        worker=first,
    )
    first.kill()
    before_kill = len(letters_in(mail_dir))
    assert KILL_AFTER <= before_kill < PEOPLE

    # A rerun while the dead run's leases still hold sends nothing twice and takes nothing.
    within_lease = send_reminders(day=DAY)
    assert (within_lease.users_mailed, within_lease.skipped) == (0, PEOPLE)

    # The broker hands the killed run's message to the next worker once the visibility
    # timeout has passed; by then the leases have ended and it sends the rest.
    second = start(**timings)
    wait_for(
        lambda: len(letters_in(mail_dir)) >= PEOPLE,
        timeout=120,
        what="the remaining letters",
        worker=second,
    )
    time.sleep(2)  # anything doubled would arrive now
    second.stop()

    received = Counter(letter["To"] for letter in letters_in(mail_dir))
    assert received == Counter({person.email: 1 for person in people})
    with unscoped_reads():
        assert ReminderDelivery.objects.filter(sent_at__isnull=False).count() == PEOPLE
        assert not ReminderDelivery.objects.filter(sent_at__isnull=True).exists()
    print(
        f"\nreminders: {before_kill} of {PEOPLE} sent before SIGKILL, "
        f"{PEOPLE - before_kill} after redelivery, lost 0, doubled 0"
    )


def test_a_document_whose_worker_died_is_ready_after_its_lease(cast, broker, client):
    start, _queue, _mail = broker
    first = start(SLOW_RENDER_SECONDS=60)
    client.force_login(cast.curator)
    response = client.post(
        reverse("document_request", args=[cast.school.slug]),
        {"kind": "staff_list", "date": "2026-09-01", "number": ""},
    )
    assert response.status_code == 302
    with unscoped_reads():
        document = Document.objects.get()

    def rendering():
        document.refresh_from_db()
        return document.status == DocumentStatus.RENDERING

    wait_for(rendering, timeout=90, what="the render to start", worker=first)
    first.kill()
    killed_at = timezone.now()

    # What the page shows now, and for how long at most: the render's lease is its task's
    # hard limit and a margin, so the sweep (every two minutes) takes it within minutes.
    status_url = reverse("document_status", args=[cast.school.slug, document.pk])
    assert "Формируется" in client.get(status_url).content.decode()
    document.refresh_from_db()
    assert document.lease_until - killed_at <= timedelta(minutes=3)

    second = start()
    # The clock moved past the lease (instead of waiting three minutes here).
    with unscoped_reads():
        Document.objects.filter(pk=document.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
    # The page the curator watches queues the render again; the live worker makes it.
    client.get(status_url)

    def ready():
        document.refresh_from_db()
        return document.status == DocumentStatus.READY

    wait_for(ready, timeout=120, what="the document to be ready", worker=second)
    assert document.is_ready and document.attempts == 2
    second.stop()
