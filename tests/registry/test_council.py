"""Mentors' councils (issue 16 item 2): members, plan of work, meetings with agenda and
minutes, the protocol as PDF and .docx, decisions whose deadlines are reminded on the
roadmaps' delivery ledger."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mentorship.documents.services import document_render
from mentorship.models import Document, DocumentStatus
from mentorship.notifications.models import Notification
from mentorship.tenancy.scoping import tenant_scope
from registry.models import CouncilDecision, CouncilMeeting
from registry.services import council as service
from registry.services.council_reminders import send_decision_reminders
from tests.registry.test_local_acts import assert_same_text, pdf_text, squeeze
from tests.registry.test_school import shot

DAY = date(2026, 10, 12)
# Queries of the council's page, a meeting's page and the list, whatever their size.
PINNED = (10, 11, 7)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_council(org):
    """The council of seed 004: chair, secretary, two members, a plan, one meeting."""
    with tenant_scope(org):
        council = service.council_create(
            actor=None, organization=org, title="Совет наставников",
            purpose="Координация наставнической деятельности в школе",
        )  # fmt: skip
        chair = service.council_member_add(
            actor=None, council=council, full_name="Гарипова Лилия Маратовна",
            position="директор", role="chair",
        )  # fmt: skip
        secretary = service.council_member_add(
            actor=None, council=council, full_name="Иванова Мария Петровна",
            position="заместитель директора по УР", role="secretary",
        )  # fmt: skip
        member = service.council_member_add(
            actor=None, council=council, full_name="Петров Иван Сергеевич", position="учитель"
        )
        service.council_member_add(actor=None, council=council, full_name="Шевчук Ирина Олеговна")
        service.council_plan_add(
            actor=None, council=council, topic="Утверждение плана работы школы наставников",
            period_text="сентябрь 2026", responsible="Иванова М.П.",
        )  # fmt: skip
        meeting = service.council_meeting_create(
            actor=None,
            council=council,
            date=date(2026, 10, 5),
            place="кабинет 204",
            agenda=(
                "Об итогах формирования наставнических пар\n"
                "О подготовке к конкурсу «Лучший наставник»"
            ),
            present=[chair.pk, secretary.pk, member.pk],
        )
    return council, meeting


def test_a_meeting_makes_a_protocol_of_one_text_in_pdf_and_word(cast):
    council, meeting = make_council(cast.school)
    with tenant_scope(cast.school):
        service.council_meeting_update(
            actor=None, meeting=meeting,
            minutes="Слушали Иванову М.П. о сформированных парах.\nВыступил Петров И.С.",
        )  # fmt: skip
        service.council_decision_add(
            actor=None, meeting=meeting, text="Утвердить список наставнических пар",
            owner=cast.curator, due_on=date(2026, 10, 20),
        )  # fmt: skip
        service.council_decision_add(
            actor=None, meeting=meeting, text="Подать заявки на конкурс", owner_name="Петров И.С."
        )
        document = service.council_protocol_issue(actor=cast.curator, meeting=meeting)
    document = document_render(document.pk) or document
    with tenant_scope(cast.school):
        document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert document.kind == "council_protocol" and document.has_word
    pdf = assert_same_text(document)
    for text in (
        "ПРОТОКОЛ",
        "заседания Совета наставников (заседание № 1)",
        "Председатель: Гарипова Лилия Маратовна",
        "Секретарь: Иванова Мария Петровна",
        "Присутствовали: 3 члена совета из 4.",
        "1. Об итогах формирования наставнических пар",
        "Утвердить список наставнических пар",
        "20.10.2026",
    ):
        assert squeeze(text) in pdf, text
    shot(document, "school-council-protocol")
    # Issued again after a change, it keeps its number and takes the new text.
    with tenant_scope(cast.school):
        service.council_meeting_update(actor=None, meeting=meeting, place="актовый зал")
        again = service.council_protocol_issue(actor=cast.curator, meeting=meeting)
    assert again.pk == document.pk and again.number == document.number
    document_render(again.pk)
    with tenant_scope(cast.school):
        assert "актовыйзал" in squeeze(pdf_text(Document.objects.get(pk=again.pk)))


def test_meetings_are_numbered_in_the_councils_order(cast):
    council, first = make_council(cast.school)
    with tenant_scope(cast.school):
        second = service.council_meeting_create(
            actor=None, council=council, date=date(2026, 11, 5), agenda="О плане на декабрь"
        )
    assert (first.number, second.number) == (1, 2)


def test_bad_council_input_is_refused_and_nothing_is_lost(cast):
    council, meeting = make_council(cast.school)
    _other, foreign_meeting = make_council(cast.school2)
    with tenant_scope(cast.school2):
        foreign_member = foreign_meeting.council.members.first()
    with tenant_scope(cast.school):
        with pytest.raises(ValidationError):
            service.council_meeting_create(actor=None, council=council, date=DAY, agenda="  ")
        with pytest.raises(ValidationError):
            service.council_meeting_create(actor=None, council=council, date="завтра", agenda="x")
        with pytest.raises(ValidationError):  # a member of another council
            service.council_meeting_update(actor=None, meeting=meeting, present=[foreign_member.pk])
        with pytest.raises(ValidationError):  # an owner from another school
            service.council_decision_add(
                actor=None, meeting=meeting, text="Решение", owner=cast.curator2
            )
        with pytest.raises(ValidationError):
            service.council_decision_add(actor=None, meeting=meeting, text="Решение", owner="x")
        with pytest.raises(ValidationError):
            service.council_member_add(actor=None, council=council, full_name="Х", role="boss")
        assert meeting.present.count() == 3
        assert CouncilMeeting.objects.filter(council=council).count() == 1
        assert not CouncilDecision.objects.exists()
    with tenant_scope(cast.region), pytest.raises(ValidationError):
        service.council_create(actor=None, organization=cast.region, title="Совет")


# --- reminders -------------------------------------------------------------------------


def test_a_decisions_deadline_is_reminded_once_per_kind_until_done(cast):
    _council, meeting = make_council(cast.school)
    with tenant_scope(cast.school):
        soon = service.council_decision_add(
            actor=None, meeting=meeting, text="Утвердить список пар",
            owner=cast.curator, due_on=DAY + timedelta(days=1),
        )  # fmt: skip
        late = service.council_decision_add(
            actor=None, meeting=meeting, text="Сдать отчёт", owner=cast.curator,
            due_on=DAY - timedelta(days=3),
        )  # fmt: skip
        service.council_decision_add(  # nobody with an account: nobody to remind
            actor=None, meeting=meeting, text="Провести семинар", owner_name="Петров И.С.",
            due_on=DAY + timedelta(days=1),
        )  # fmt: skip
        done = service.council_decision_add(
            actor=None, meeting=meeting, text="Уже сделано", owner=cast.curator, due_on=DAY
        )
        service.council_decision_set_done(actor=None, decision=done)
    mail.outbox.clear()
    assert send_decision_reminders(day=DAY) == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast.curator.email]
    assert "Утвердить список пар" in mail.outbox[0].body and "Сдать отчёт" in mail.outbox[0].body
    notes = Notification.objects.filter(user=cast.curator)
    assert notes.count() == 2
    assert any("meetings" in n.url for n in notes)
    # A second run the same day sends nothing: the ledger remembers.
    assert send_decision_reminders(day=DAY) == 0
    assert len(mail.outbox) == 1
    # Done: no more reminders of it.
    with tenant_scope(cast.school):
        service.council_decision_set_done(actor=None, decision=soon)
        service.council_decision_set_done(actor=None, decision=late)
    assert send_decision_reminders(day=DAY + timedelta(days=2)) == 0


def test_a_failed_letter_is_released_for_the_retry(cast, monkeypatch):
    from registry.services import council_reminders

    _council, meeting = make_council(cast.school)
    with tenant_scope(cast.school):
        service.council_decision_add(
            actor=None, meeting=meeting, text="Сдать отчёт", owner=cast.curator, due_on=DAY
            - timedelta(days=1),
        )  # fmt: skip

    def broken(*args, **kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr(council_reminders, "send_mail", broken)
    with pytest.raises(council_reminders.RemindersNotDelivered):
        send_decision_reminders(day=DAY)
    assert not Notification.objects.filter(user=cast.curator).exists()
    monkeypatch.undo()
    assert send_decision_reminders(day=DAY) == 1


def test_the_beat_runs_the_reminders_task(cast, settings):
    from registry.tasks import send_decision_reminders as task

    assert "registry.send_decision_reminders" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert task.delay(DAY.isoformat()).get() == 0


# --- pages -----------------------------------------------------------------------------


def url(name, org, **kwargs) -> str:
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_curator_keeps_the_council_on_its_pages(client, cast):
    client.force_login(cast.curator)
    response = client.post(url("council_list", cast.school), {"title": "Совет наставников"})
    assert response.status_code == 302
    with tenant_scope(cast.school):
        council = (
            cast.school
            and __import__("registry.models", fromlist=["Council"]).Council.objects.get()
        )
    detail = url("council_detail", cast.school, council_id=council.pk)
    assert "внесите состав совета" in client.get(detail).content.decode()
    client.post(url("council_member_add", cast.school, council_id=council.pk),
                {"full_name": "Гарипова Лилия Маратовна", "role": "chair"})  # fmt: skip
    client.post(url("council_plan_add", cast.school, council_id=council.pk),
                {"topic": "План школы наставников", "period_text": "сентябрь"})  # fmt: skip
    response = client.post(
        url("council_meeting_add", cast.school, council_id=council.pk),
        {"date": "2026-10-05", "agenda": "Об итогах формирования пар"},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        meeting = council.meetings.get()
        chair = council.members.get()
    page = url("council_meeting_detail", cast.school, council_meeting_id=meeting.pk)
    assert response["Location"] == page
    response = client.post(
        url("council_meeting_minutes", cast.school, council_meeting_id=meeting.pk),
        {"agenda": "Об итогах формирования пар", "minutes": "Слушали", "present": [chair.pk]},
    )
    assert response.status_code == 302
    response = client.post(
        url("council_decision_add", cast.school, council_meeting_id=meeting.pk),
        {"text": "Утвердить пары", "owner": cast.curator.pk, "due_on": "2026-10-20"},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        decision = CouncilDecision.objects.get()
    assert decision.owner_id == cast.curator.pk and decision.owner_name
    client.post(url("council_decision_done", cast.school, council_meeting_id=meeting.pk),
                {"decision": decision.pk})  # fmt: skip
    with tenant_scope(cast.school):
        decision.refresh_from_db()
        assert decision.done_on
    response = client.post(url("council_protocol", cast.school, council_meeting_id=meeting.pk))
    assert response.status_code == 302 and "/documents/" in response["Location"]
    # Bad input: a 400 with the form, nothing stored.
    response = client.post(
        url("council_decision_add", cast.school, council_meeting_id=meeting.pk),
        {"text": "", "owner": cast.curator2.pk},
    )
    assert response.status_code == 400
    assert client.post(url("council_list", cast.school), {"title": ""}).status_code == 400


def test_council_pages_query_counts_do_not_grow(client, cast):
    council, meeting = make_council(cast.school)
    client.force_login(cast.curator)

    def count(path) -> int:
        client.get(path)  # warm the session's first touch and per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    detail = url("council_detail", cast.school, council_id=council.pk)
    meeting_page = url("council_meeting_detail", cast.school, council_meeting_id=meeting.pk)
    listed = url("council_list", cast.school)
    before = (count(detail), count(meeting_page), count(listed))
    with tenant_scope(cast.school):
        for n in range(4):
            member = service.council_member_add(actor=None, council=council, full_name=f"Член {n}")
            service.council_meeting_update(
                actor=None, meeting=meeting,
                present=[*meeting.present.values_list("pk", flat=True), member.pk],
            )  # fmt: skip
            service.council_decision_add(
                actor=None, meeting=meeting, text=f"Решение {n}", owner=cast.curator, due_on=DAY
            )
            service.council_meeting_create(actor=None, council=council, date=DAY, agenda=f"В {n}")
            service.council_create(actor=None, organization=cast.school, title=f"Совет {n}")
    assert (count(detail), count(meeting_page), count(listed)) == before == PINNED


def test_council_pages_by_role_and_tenant(client, cast):
    council, meeting = make_council(cast.school)
    detail = url("council_detail", cast.school, council_id=council.pk)
    page = url("council_meeting_detail", cast.school, council_meeting_id=meeting.pk)
    client.force_login(cast.viewer)
    assert client.get(page).status_code == 200
    assert "Записать решение" not in client.get(page).content.decode()
    assert client.post(url("council_plan_add", cast.school, council_id=council.pk),
                       {"topic": "x"}).status_code == 403  # fmt: skip
    client.force_login(cast.methodist)
    assert client.get(detail).status_code == 403
    assert client.get(url("council_list", cast.muni)).status_code == 200
    client.force_login(cast.curator2)
    assert client.get(url("council_detail", cast.school2, council_id=council.pk)).status_code == 404
    assert (
        client.get(
            url("council_meeting_detail", cast.school2, council_meeting_id=meeting.pk)
        ).status_code
        == 404
    )
    client.force_login(cast.regional)
    assert client.get(url("council_list", cast.region)).status_code == 404


# --- API -------------------------------------------------------------------------------


def test_the_api_keeps_a_council(cast):
    api = APIClient()
    api.force_login(cast.methodist)
    base = f"/api/v1/o/{cast.muni.slug}/"
    created = api.post(
        base + "councils/", {"title": "Муниципальный совет наставников"}, format="json"
    )
    assert created.status_code == 201, created.content
    council_id = created.json()["id"]
    chair = {"full_name": "Галиева Гульнара Рашитовна", "role": "chair"}
    response = api.post(base + f"councils/{council_id}/members/", chair, format="json")
    assert response.status_code == 201
    member_id = response.json()["members"][0]["id"]
    meeting = {"date": "2026-10-05", "agenda": "О школе наставников", "present": [member_id]}
    response = api.post(base + f"councils/{council_id}/meetings/", meeting, format="json")
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert response.json()["present_ids"] == [member_id]
    meeting_url = base + f"council-meetings/{meeting_id}/"
    bad = api.post(
        meeting_url + "decisions/", {"text": "x", "owner": cast.curator.pk}, format="json"
    )
    assert bad.status_code == 400  # a school's curator is not the municipality's staff
    decision = {"text": "Провести курс", "owner": cast.methodist.pk, "due_on": "2026-11-01"}
    response = api.post(meeting_url + "decisions/", decision, format="json")
    assert (
        response.status_code == 201
        and response.json()["decisions"][0]["owner_id"] == cast.methodist.pk
    )
    assert (
        api.patch(meeting_url, {"minutes": "Слушали"}, format="json").json()["minutes"] == "Слушали"
    )
    response = api.post(meeting_url + "protocol/")
    assert response.status_code == 202 and response.json()["number"]
    api.force_login(cast.department)
    assert api.get(meeting_url).status_code == 200
    assert api.post(meeting_url + "decisions/", {"text": "x"}, format="json").status_code == 403
    api.force_login(cast.other_methodist)
    assert (
        api.get(f"/api/v1/o/{cast.other_muni.slug}/council-meetings/{meeting_id}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("title", "genitive"),
    [
        ("Совет наставников", "Совета наставников"),
        ("Муниципальный Совет наставников", "Муниципального Совета наставников"),
        ("Районный совет наставников РМК", "Районного совета наставников РМК"),
        ("Городской Совет наставников", "Городского Совета наставников"),
        ("Наставнический клуб", ""),
        ("Совет при директоре", "Совета при директоре"),
        ("МБОУ Совет", ""),
    ],
)
def test_the_protocol_declines_the_councils_name_or_quotes_it(title, genitive):
    from registry.documents.acts.protocol import title_genitive

    assert title_genitive(title) == genitive


def test_sessions_and_meetings_are_in_the_calendars(cast):
    from mentorship.calendar import CalendarQuery, calendar_events
    from tests.factories import make_course
    from tests.registry.test_school import teacher

    _council, meeting = make_council(cast.school)
    course = make_course(cast.school)
    mentor = teacher(cast.school, "Петров")
    with tenant_scope(cast.school):
        from registry.services.school import course_enroll

        course_enroll(actor=None, course=course, participant_ids=[mentor.pk])
        autumn = (date(2026, 9, 1), date(2026, 12, 31))
        query = CalendarQuery(cast.school, *autumn)
        sources = {e.source for e in calendar_events(query)}
        assert {"registry.course_sessions", "registry.council_meetings"} <= sources
        mine = calendar_events(
            CalendarQuery(
                cast.school, date(2026, 9, 1), date(2026, 12, 31), participant_id=mentor.pk
            )
        )
        assert [e.source for e in mine if e.source.startswith("registry.c")] == [
            "registry.course_sessions"
        ]
        assert all(e.url == "" for e in mine)
        stranger = make_participant_for_calendar(cast.school)
        theirs = calendar_events(
            CalendarQuery(
                cast.school, date(2026, 9, 1), date(2026, 12, 31), participant_id=stranger
            )
        )
        assert not [e for e in theirs if e.source == "registry.course_sessions"]
    assert meeting.date.year == 2026


def make_participant_for_calendar(org) -> int:
    from tests.registry.test_school import teacher

    return teacher(org, "Другов").pk
