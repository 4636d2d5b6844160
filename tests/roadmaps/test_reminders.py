"""Morning deadline reminders: one digest per person, never twice, never lost to a failure."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.celery import app as celery_app
from mentorship.notifications import ledger
from mentorship.notifications.models import Notification, ReminderDelivery
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import (
    Activity,
    ActivityDueDate,
    ActivityStatus,
    Roadmap,
    RoadmapStatus,
    Section,
)
from roadmaps.services.reminders import TOPIC, ReminderKind, send_reminders
from roadmaps.tasks import send_deadline_reminders
from tests.factories import MembershipFactory, UserFactory

DAY = date(2026, 9, 14)
PORTAL = "https://portal.example.test"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


def make_plan(org, *, status=RoadmapStatus.APPROVED, origin=None) -> tuple[Roadmap, Section]:
    with tenant_scope(org):
        roadmap = Roadmap.objects.create(
            organization=org,
            title=f"Дорожная карта {org.short_name}",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
            status=status,
            origin=origin,
        )
        section = Section.objects.create(organization=org, roadmap=roadmap, title="Раздел")
    return roadmap, section


def make_activity(plan, title, *dues: date, status=ActivityStatus.NOT_STARTED, responsible=()):
    roadmap, section = plan
    org = roadmap.organization
    with tenant_scope(org):
        activity = Activity.objects.create(
            organization=org,
            roadmap=roadmap,
            section=section,
            title=title,
            status=status,
            due_date=min(dues) if dues else None,
        )
        ActivityDueDate.objects.bulk_create(
            [ActivityDueDate(organization=org, activity=activity, due_on=d) for d in dues]
        )
        activity.responsible_users.set(responsible)
    return activity


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def deliveries() -> list[ReminderDelivery]:
    with unscoped_reads():
        return list(ReminderDelivery.objects.order_by("pk"))


def body_of(user) -> str:
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message.body


# --- what is sent, to whom ------------------------------------------------------------


def test_digest_is_russian_lists_week_tomorrow_and_overdue_with_absolute_links(cast):
    plan = make_plan(cast.school)
    week = make_activity(plan, "Сформировать базу наставников", days(5), responsible=[cast.curator])
    tomorrow = make_activity(plan, "Утвердить положение", days(1), responsible=[cast.curator])
    overdue = make_activity(plan, "Издать приказ", days(-3), responsible=[cast.curator])
    make_activity(plan, "Далёкий срок", days(10), responsible=[cast.curator])
    make_activity(plan, "Без срока", responsible=[cast.curator])

    report = send_reminders(day=DAY)

    assert (report.users_mailed, report.items, report.skipped) == (1, 3, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.curator.email]
    assert message.subject == "Сроки мероприятий дорожных карт на 14.09.2026"
    body = message.body
    assert "Здравствуйте" in body
    assert "Просрочены" in body and "Срок — завтра, 15.09.2026" in body
    assert "Срок — в ближайшие 7 дней" in body
    for activity in (week, tomorrow, overdue):
        assert f"{PORTAL}/o/school-a1/" in body
        assert f"/{activity.pk}/" in body
    assert "Далёкий срок" not in body and "Без срока" not in body
    assert (
        body.index("Издать приказ")
        < body.index("Утвердить положение")
        < body.index("Сформировать базу")
    )
    assert "&laquo;" not in body and "&quot;" not in body  # plain text, not HTML-escaped
    assert f"{PORTAL}/notifications/" in body


def test_one_email_per_person_even_with_many_items_and_organisations(cast):
    make_activity(make_plan(cast.school), "А", days(2), responsible=[cast.curator, cast.viewer])
    make_activity(make_plan(cast.school2), "Б", days(3), responsible=[cast.curator])

    report = send_reminders(day=DAY)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.curator.email, cast.viewer.email])
    assert (report.users_mailed, report.items) == (2, 3)
    assert "Школа А1" in body_of(cast.curator) and "Школа А2" in body_of(cast.curator)


def test_done_activities_and_archived_roadmaps_are_never_reminded(cast):
    plan = make_plan(cast.school)
    make_activity(
        plan, "Выполнено", days(1), status=ActivityStatus.DONE, responsible=[cast.curator]
    )
    make_activity(
        plan, "Выполнено давно", days(-5), status=ActivityStatus.DONE, responsible=[cast.curator]
    )
    archived = make_plan(cast.school, status=RoadmapStatus.ARCHIVED)
    make_activity(archived, "Архив", days(1), responsible=[cast.curator])
    make_activity(archived, "Архив просрочен", days(-5), responsible=[cast.curator])

    report = send_reminders(day=DAY)

    assert mail.outbox == []
    assert report.items == 0
    assert deliveries() == []


def test_school_copy_without_responsible_reaches_its_own_curators_only(cast):
    municipal = make_plan(cast.muni)
    duty = make_activity(municipal, "Назначить куратора в каждой школе", days(2))
    copy_a1 = make_plan(cast.school, origin=municipal[0])
    copy = make_activity(copy_a1, "Назначить куратора в каждой школе", days(2))
    with tenant_scope(cast.school):
        Activity.objects.filter(pk=copy.pk).update(origin=duty)

    report = send_reminders(day=DAY)

    assert [m.to for m in mail.outbox] == [[cast.curator.email]]
    assert cast.curator2.email not in {m.to[0] for m in mail.outbox}
    assert "/o/school-a1/" in body_of(cast.curator)
    # The municipal original has nobody to remind: counted, not guessed.
    assert report.unassigned == 1


def _regional_plan_cascaded(cast) -> Roadmap:
    """A regional roadmap with two municipal duties, one overdue on DAY and one due
    tomorrow, cascaded into both municipalities of the region (no responsible users:
    a cascade copies duties, not people)."""
    from roadmaps.services import authoring, cascade

    with tenant_scope(cast.region):
        regional = authoring.roadmap_create(
            actor=cast.regional,
            organization=cast.region,
            title="План мероприятий региона",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        below = authoring.section_create(
            actor=cast.regional,
            roadmap=regional,
            title="На уровне муниципалитетов",
            for_every_school=True,
        )
        for title, deadline in (
            ("Назначить координатора ИМЦ", "до 10 сентября 2026"),
            ("Провести совещание с кураторами", "до 15 сентября 2026"),
        ):
            authoring.activity_create(
                actor=cast.regional, section=below, title=title, deadline_text=deadline
            )
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional)
    return regional


def _copies(regional: Roadmap, municipality) -> dict[str, Activity]:
    with tenant_scope(municipality):
        return {
            a.title: a
            for a in Activity.objects.filter(roadmap__origin=regional, organization=municipality)
        }


def test_municipal_copy_without_responsible_reaches_its_methodists_once(client, cast):
    regional = _regional_plan_cascaded(cast)
    ours = _copies(regional, cast.muni)
    theirs = _copies(regional, cast.other_muni)
    assert {a.due_date for a in ours.values()} == {days(-4), days(1)}
    # The other municipality has done its duties: nothing to remind its methodist of.
    with tenant_scope(cast.other_muni):
        Activity.objects.filter(pk__in=[a.pk for a in theirs.values()]).update(
            status=ActivityStatus.DONE
        )

    report = send_reminders(day=DAY)

    # One letter, to the municipality's methodist only: not the department, not the
    # other municipality's methodist, not the region (its originals have no stand-in).
    assert [m.to for m in mail.outbox] == [[cast.methodist.email]]
    body = body_of(cast.methodist)
    for title, copy in ours.items():
        assert body.count(title) == 1
        assert body.count(f"/o/muni/roadmaps/activities/{copy.pk}/progress/") == 1
    assert "/o/muni-b/" not in body and "/o/region/" not in body
    assert "Просрочены" in body and "Срок — завтра, 15.09.2026" in body
    assert report.unassigned == 2  # the region's own two originals
    assert Notification.objects.filter(user=cast.methodist).count() == 2
    assert not Notification.objects.filter(user=cast.other_methodist).exists()
    assert not Notification.objects.filter(user=cast.department).exists()
    # The link opens the municipality's copy, where the methodist marks progress.
    link = f"/o/muni/roadmaps/activities/{ours['Назначить координатора ИМЦ'].pk}/progress/"
    client.force_login(cast.methodist)
    response = client.get(link)
    assert response.status_code == 200
    assert "Назначить координатора ИМЦ" in response.content.decode()
    # The other municipality's methodist cannot open it.
    client.force_login(cast.other_methodist)
    assert client.get(link).status_code == 404

    # The next run of the same day reminds nobody again.
    mail.outbox.clear()
    again = send_reminders(day=DAY)
    assert mail.outbox == []
    assert again.skipped == 2
    assert Notification.objects.filter(user=cast.methodist).count() == 2


def test_each_municipality_s_methodist_gets_only_its_own_copy(cast):
    regional = _regional_plan_cascaded(cast)
    ours = _copies(regional, cast.muni)
    theirs = _copies(regional, cast.other_muni)
    second = UserFactory(email="methodist2@a.test")
    MembershipFactory(user=second, organization=cast.muni, role="methodist")

    send_reminders(day=DAY)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.methodist.email, second.email, cast.other_methodist.email]
    )
    for user, mine, other in (
        (cast.methodist, ours, theirs),
        (second, ours, theirs),
        (cast.other_methodist, theirs, ours),
    ):
        body = body_of(user)
        assert all(f"/activities/{a.pk}/progress/" in body for a in mine.values())
        assert not any(f"/activities/{a.pk}/progress/" in body for a in other.values())


def test_a_responsible_user_of_a_municipal_copy_replaces_the_methodists(cast):
    regional = _regional_plan_cascaded(cast)
    ours = _copies(regional, cast.muni)
    coordinator = UserFactory(email="coordinator@a.test")
    with tenant_scope(cast.muni):
        ours["Назначить координатора ИМЦ"].responsible_users.set([coordinator])
        # The methodist responsible for the other duty is reminded of it once, not
        # once as responsible and again as the municipality's methodist.
        ours["Провести совещание с кураторами"].responsible_users.set([cast.methodist])
    with tenant_scope(cast.other_muni):
        Activity.objects.filter(roadmap__origin=regional).update(status=ActivityStatus.DONE)

    send_reminders(day=DAY)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, cast.methodist.email])
    assert "Назначить координатора ИМЦ" not in body_of(cast.methodist)
    assert body_of(cast.methodist).count("Провести совещание с кураторами") == 1
    assert "Провести совещание с кураторами" not in body_of(coordinator)


def test_a_municipality_s_own_roadmap_without_responsible_is_not_guessed(cast):
    make_activity(make_plan(cast.muni), "Своё мероприятие ИМЦ", days(1))

    report = send_reminders(day=DAY)

    assert mail.outbox == []
    assert report.unassigned == 1


def test_inactive_responsible_users_are_skipped_and_the_curators_step_in(cast):
    gone = UserFactory(email="gone@a1.test", is_active=False)
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[gone])

    send_reminders(day=DAY)

    assert [m.to for m in mail.outbox] == [[cast.curator.email]]


# --- never twice, never lost -------------------------------------------------------------


def test_running_twice_sends_one_email_per_person(cast):
    plan = make_plan(cast.school)
    make_activity(plan, "Первое", days(1), responsible=[cast.curator, cast.viewer])
    make_activity(plan, "Второе", days(-1), responsible=[cast.curator])

    first = send_reminders(day=DAY)
    second = send_reminders(day=DAY)

    assert len(mail.outbox) == 2
    assert (first.items, first.skipped) == (3, 0)
    assert (second.users_mailed, second.items, second.skipped) == (0, 0, 3)
    assert all(d.sent_at is not None for d in deliveries())
    assert Notification.objects.count() == 3


def test_each_stage_is_reminded_once_as_the_date_approaches(cast):
    make_activity(make_plan(cast.school), "Отчёт", days(7), responsible=[cast.curator])

    kinds = []
    for offset in range(0, 10):
        report = send_reminders(day=days(offset))
        if report.items:
            kinds.append((offset, deliveries()[-1].kind))

    # a week ahead, the day before, and once when it is overdue
    assert kinds == [(0, "week"), (6, "tomorrow"), (8, "overdue")]
    assert len(mail.outbox) == 3


def test_a_second_claim_of_the_same_deliveries_gets_nothing(cast):
    """Two overlapping runs, simulated: both claim before either sends."""
    activity = make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    key = ledger.DeliveryKey(cast.curator.pk, TOPIC, activity.pk, days(1), ReminderKind.TOMORROW)
    wanted = {key: cast.school.pk}

    first = ledger.claim(wanted, run_id=uuid.uuid4())
    second = ledger.claim(wanted, run_id=uuid.uuid4())

    assert first == {key} and second == set()
    (row,) = deliveries()
    assert row.organization_id == cast.school.pk  # the row keeps its tenant


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_once(cast, monkeypatch):
    plan = make_plan(cast.school)
    for i in range(20):
        make_activity(plan, f"Мероприятие {i}", days(1 + i % 7), responsible=[cast.curator])
    make_activity(make_plan(cast.school2), "Другая школа", days(1), responsible=[cast.curator2])

    # Both runs reach the claim together, so their inserts really overlap.
    barrier = threading.Barrier(2, timeout=30)
    real_claim = ledger.claim

    def claim_together(*args, **kwargs):
        barrier.wait()
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(ledger, "claim", claim_together)
    reports, errors = [], []

    def run():
        try:
            reports.append(send_reminders(day=DAY))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [cast.curator.email, cast.curator2.email]
    assert sum(r.items for r in reports) == 21
    assert sum(r.skipped for r in reports) == 21
    assert Notification.objects.count() == 21


def test_a_send_failure_releases_the_claim_and_the_retry_sends_exactly_once(cast, monkeypatch):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    make_activity(make_plan(cast.school2), "Отчёт", days(1), responsible=[cast.curator2])
    real_send = EmailBackend.send_messages

    def refuse_curator(self, messages):
        if messages[0].to == [cast.curator.email]:
            raise ConnectionError("SMTP went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_curator)
    failed = send_reminders(day=DAY)

    assert (failed.users_mailed, failed.failed_users) == (1, 1)
    assert [m.to for m in mail.outbox] == [[cast.curator2.email]]
    assert [d.recipient_id for d in deliveries()] == [cast.curator2.pk]  # curator's released
    assert not Notification.objects.filter(user=cast.curator).exists()

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    retry = send_reminders(day=DAY)
    again = send_reminders(day=DAY)

    assert (retry.users_mailed, retry.items, retry.skipped) == (1, 1, 1)
    assert (again.users_mailed, again.skipped) == (0, 2)
    assert [m.to[0] for m in mail.outbox] == [cast.curator2.email, cast.curator.email]
    assert Notification.objects.filter(user=cast.curator).count() == 1


def test_a_failure_opening_the_connection_releases_everything(cast, monkeypatch):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])

    def no_server(self):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr(EmailBackend, "open", no_server, raising=False)
    with pytest.raises(ConnectionRefusedError):
        send_reminders(day=DAY)
    assert deliveries() == []

    monkeypatch.undo()
    assert send_reminders(day=DAY).users_mailed == 1


def test_a_claim_left_by_a_worker_that_died_mid_send_is_taken_over_once_its_lease_ends(cast):
    """A claim without a confirmation is its run's until the lease ends; then the next run
    sends it, once."""
    activity = make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    key = ledger.DeliveryKey(cast.curator.pk, TOPIC, activity.pk, days(1), ReminderKind.TOMORROW)
    ledger.claim({key: cast.school.pk}, run_id=uuid.uuid4())  # ...and the worker died

    within = send_reminders(day=DAY)
    assert mail.outbox == [] and within.skipped == 1
    assert deliveries()[0].sent_at is None

    with unscoped_reads():
        ReminderDelivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    after = send_reminders(day=DAY)
    again = send_reminders(day=DAY)

    assert (after.users_mailed, after.skipped, again.skipped) == (1, 0, 1)
    assert [m.to for m in mail.outbox] == [[cast.curator.email]]
    (row,) = deliveries()
    assert row.sent_at is not None and row.run_id != key  # the new run's claim
    assert Notification.objects.filter(user=cast.curator).count() == 1


def test_each_letter_is_confirmed_before_the_next_is_sent(cast, monkeypatch):
    """A worker killed between two letters leaves the first confirmed: the ledger is
    written right after each letter, not after the loop."""
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    make_activity(make_plan(cast.school2), "Отчёт", days(1), responsible=[cast.curator2])
    real_send = EmailBackend.send_messages
    seen_confirmed = []

    def send_and_look(self, messages):
        with unscoped_reads():
            seen_confirmed.append(ReminderDelivery.objects.filter(sent_at__isnull=False).count())
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_and_look)
    send_reminders(day=DAY)

    assert seen_confirmed == [0, 1]


def test_a_run_whose_lease_is_running_out_leaves_the_rest_to_a_retry(cast, settings):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    # A lease that has run out at once: not even the first letter may start.
    settings.REMINDER_LEASE_SECONDS = 0

    report = send_reminders(day=DAY)

    assert (report.users_mailed, report.deferred_users) == (0, 1)
    assert mail.outbox == [] and deliveries() == []  # released for the retry
    result = send_deadline_reminders.apply(args=[DAY.isoformat()], throw=False, retries=5)
    assert result.failed()  # the task asks for a retry, it does not report success


def test_query_count_does_not_grow_with_activities(cast):
    """Fixed per run, plus a fixed few per person (their claims marked sent and their
    notifications written right after their own letter); never per activity."""

    def run_queries(day: date) -> int:
        with CaptureQueriesContext(connection) as queries:
            report = send_reminders(day=day)
        assert report.items
        return len(queries)

    few = make_plan(cast.school)
    for i in range(3):
        make_activity(few, f"А{i}", date(2026, 10, 5), responsible=[cast.curator2, cast.curator])
    many = make_plan(cast.school2)
    for i in range(30):
        make_activity(many, f"Б{i}", date(2026, 11, 5), responsible=[cast.curator2, cast.curator])
    one = make_plan(cast.school2)
    make_activity(one, "В", date(2026, 9, 20), responsible=[cast.curator2])

    one_person = run_queries(date(2026, 9, 16))
    two_people = run_queries(date(2026, 10, 1))
    assert two_people == run_queries(date(2026, 11, 1))
    # Per person: their UPDATE and INSERT, inside a savepoint here (the test's transaction).
    assert two_people - one_person == 4


# --- in-app notifications -------------------------------------------------------------------


def test_notifications_page_shows_own_items_newest_first_and_marks_all_read(client, cast):
    plan = make_plan(cast.school)
    make_activity(plan, "Утвердить положение", days(1), responsible=[cast.curator])
    make_activity(
        make_plan(cast.school2), "Чужое мероприятие", days(1), responsible=[cast.curator2]
    )
    send_reminders(day=DAY)
    make_activity(plan, "Издать приказ", days(2), responsible=[cast.curator])
    send_reminders(day=days(1))

    client.force_login(cast.curator)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Уведомления" in page and "Отметить все как прочитанные" in page
    assert page.index("Издать приказ") < page.index("Утвердить положение")
    assert "Чужое мероприятие" not in page
    assert 'data-testid="unread-count">2<' in page
    assert "Срок — завтра, 15.09.2026." in page

    response = client.post(reverse("notifications_mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.for_user(cast.curator).unread().exists()
    assert Notification.objects.for_user(cast.curator2).unread().count() == 1
    assert (
        'data-testid="unread-count"'
        not in client.get(reverse("notification_list")).content.decode()
    )


def test_bell_is_on_every_page_and_costs_one_query(client, cast):
    Notification.objects.bulk_create(
        [Notification(user=cast.curator, title=f"Н{i}") for i in range(120)]
    )
    client.force_login(cast.curator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("org_home", args=[cast.school.slug])).content.decode()
    assert 'data-testid="notification-bell"' in page
    assert 'data-testid="unread-count">99+<' in page
    assert len([q for q in queries if "notifications_notification" in q["sql"]]) == 1


def test_notifications_need_login_and_mark_all_read_needs_post(client, cast):
    assert client.get(reverse("notification_list")).status_code == 302
    assert client.post(reverse("notifications_mark_all_read")).status_code == 302
    client.force_login(cast.curator)
    assert client.get(reverse("notifications_mark_all_read")).status_code == 405


# --- the task, the schedule, the command ----------------------------------------------------


def test_task_runs_the_service_for_the_given_day(cast):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])

    result = send_deadline_reminders.delay(DAY.isoformat()).get()

    assert result["users_mailed"] == 1 and result["day"] == "2026-09-14"
    assert len(mail.outbox) == 1


def test_task_retries_a_failed_digest_and_sends_it_once(cast, monkeypatch):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])
    real_send = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("SMTP went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    # Run in-process without propagating, so Celery follows its Retry inline.
    result = send_deadline_reminders.apply(args=[DAY.isoformat()], throw=False)

    assert result.successful() and result.get()["users_mailed"] == 1

    assert len(calls) == 2 and len(mail.outbox) == 1


def test_task_does_not_retry_a_malformed_date(db):
    result = send_deadline_reminders.apply(args=["14.09.2026"], throw=False)

    assert result.failed() and isinstance(result.result, ValueError)
    assert mail.outbox == []


def test_task_options_and_morning_schedule():
    task = celery_app.tasks["roadmaps.send_deadline_reminders"]
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit and task.time_limit and task.max_retries
    entry = django_settings.CELERY_BEAT_SCHEDULE["roadmaps-deadline-reminders"]
    assert entry["task"] == "roadmaps.send_deadline_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Europe/Moscow"


def test_beat_database_scheduler_stores_the_morning_entry(db):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    # What beat does at start-up for each CELERY_BEAT_SCHEDULE entry (the scheduler itself
    # would close the test's database connection).
    for name, fields in celery_app.conf.beat_schedule.items():
        DatabaseScheduler.Entry.from_entry(name, app=celery_app, **fields)

    entry = PeriodicTask.objects.get(name="roadmaps-deadline-reminders")
    assert entry.task == "roadmaps.send_deadline_reminders" and entry.enabled
    assert (entry.crontab.hour, entry.crontab.minute) == ("7", "0")
    assert str(entry.crontab.timezone) == "Europe/Moscow"


def test_command_prints_russian_counts(cast, capsys):
    make_activity(make_plan(cast.school), "Отчёт", days(1), responsible=[cast.curator])

    call_command("send_reminders", "--date", "2026-09-14")

    out = capsys.readouterr().out
    assert "Напоминания на 14.09.2026" in out and "писем отправлено: 1" in out
    assert len(mail.outbox) == 1


def test_command_refuses_a_bad_date_in_russian(db):
    with pytest.raises(CommandError, match="Неверная дата «2026-13-01»"):
        call_command("send_reminders", "--date", "2026-13-01")


def test_command_bad_date_exits_non_zero():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--date", "14.09.2026"],
        cwd=root,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Неверная дата" in result.stderr


def test_a_recurring_activity_is_overdue_from_its_latest_missed_date(cast):
    # Quarterly: due 30.09 and 31.12.2026, 31.03.2027. On 15.01.2027 the missed date is
    # the 31st of December, not the 30th of September; each missed date is told once.
    make_activity(
        make_plan(cast.school),
        "Ежеквартальный отчёт",
        date(2026, 9, 30),
        date(2026, 12, 31),
        date(2027, 3, 31),
        responsible=[cast.curator],
    )

    send_reminders(day=date(2027, 1, 15))
    assert "Просрочено: срок был 31.12.2026." in Notification.objects.get().body
    assert [(d.kind, d.due_on) for d in deliveries()] == [("overdue", date(2026, 12, 31))]

    assert send_reminders(day=date(2027, 1, 16)).items == 0  # the same miss: not again
    send_reminders(day=date(2027, 4, 2))
    assert [(d.kind, d.due_on) for d in deliveries()][-1] == ("overdue", date(2027, 3, 31))
