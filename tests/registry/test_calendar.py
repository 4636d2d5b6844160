"""The calendar (issue 15, item 3): the sources' registry, planning pair meetings, the
organisation's page, its private ICS feed and a person's feed, and the API.

ICS feeds are parsed back with `icalendar`, as a calendar app would read them.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from mentorship.calendar import (
    CalendarEvent,
    CalendarQuery,
    calendar_events,
    calendar_sources,
    ics_calendar,
    register_calendar_source,
)
from mentorship.tenancy.scoping import tenant_scope
from registry.models import LinkPurpose, PersonalLink, PlannedMeeting, PlannedStatus
from registry.services.links import organization_feed_issue, personal_link_issue
from registry.services.schedule import meeting_cancel, meeting_plan, meeting_update
from tests.factories import make_pair, make_planned_meeting
from tests.registry.calendar_makers import make_reachable_pair, people_of


def tomorrow_at(hour: int, days: int = 1) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour, 0))
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def parse(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def feed_token(response) -> str:
    match = re.search(r"calendar\.ics\?token=([\w-]+)", response.content.decode())
    assert match, "the issued feed address is shown once"
    return match.group(1)


# --- the core registry -------------------------------------------------------------------


def test_the_apps_register_meetings_and_roadmap_deadlines():
    assert {"registry.meetings", "roadmaps.deadlines"} <= set(calendar_sources())


def test_a_registered_source_feeds_the_calendar_in_time_order(cast):
    day = dt.date(2026, 12, 10)

    def fake(query: CalendarQuery):
        yield CalendarEvent(
            uid="b@x",
            source="tests.fake",
            title="Позже",
            start=timezone.make_aware(dt.datetime(2026, 12, 10, 15)),
        )
        yield CalendarEvent(uid="a@x", source="tests.fake", title="Срок", start=day)

    register_calendar_source("tests.fake", fake)
    try:
        events = calendar_events(
            CalendarQuery(organization=cast.school, start=day, end=day),
            sources=["tests.fake"],
        )
    finally:
        from mentorship import calendar

        calendar._sources.pop("tests.fake")
    # An all-day entry heads its day.
    assert [e.title for e in events] == ["Срок", "Позже"]
    with pytest.raises(ValueError):
        register_calendar_source("nodot", fake)


def test_ics_is_parsed_back_with_its_timed_and_all_day_events():
    start = timezone.make_aware(dt.datetime(2026, 12, 10, 15, 30))
    body = ics_calendar(
        [
            CalendarEvent(
                uid="m-1@s",
                source="x",
                title="Встреча «пары», №1; тест",
                start=start,
                end=start + dt.timedelta(minutes=45),
                location="Кабинет 21",
                sequence=2,
            ),
            CalendarEvent(uid="d-1@s", source="x", title="Срок", start=dt.date(2026, 12, 11)),
        ],
        name="Календарь",
    )
    meeting, deadline = parse(body)
    assert str(meeting["UID"]) == "m-1@s"
    assert str(meeting["SUMMARY"]) == "Встреча «пары», №1; тест"
    assert meeting.decoded("DTSTART") == start
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert int(meeting["SEQUENCE"]) == 2
    assert str(meeting["LOCATION"]) == "Кабинет 21"
    assert deadline.decoded("DTSTART") == dt.date(2026, 12, 11)
    # RFC 5545: an all-day event's end is exclusive.
    assert deadline.decoded("DTEND") == dt.date(2026, 12, 12)


# --- planning meetings: the service --------------------------------------------------------


def test_a_meeting_is_planned_moved_and_cancelled(cast):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        meeting = meeting_plan(
            actor=cast.curator,
            pair=pair,
            starts_at=tomorrow_at(15),
            topic=" Первая встреча ",
            place="Кабинет 21",
            kind="first",
        )
        assert meeting.topic == "Первая встреча" and meeting.sequence == 0
        assert meeting.organization_id == cast.school.pk
        moved = meeting_update(
            actor=cast.curator,
            meeting=meeting,
            starts_at=tomorrow_at(16, days=2),
            topic="Первая встреча",
            place="Библиотека",
        )
        assert moved.sequence == 1 and moved.place == "Библиотека"
        cancelled = meeting_cancel(actor=cast.curator, meeting=moved)
        assert cancelled.status == PlannedStatus.CANCELLED and cancelled.sequence == 2
        with pytest.raises(ValidationError):
            meeting_update(
                actor=cast.curator,
                meeting=cancelled,
                starts_at=tomorrow_at(10),
                topic="x",
                place="y",
            )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "past"}, "starts_at"),
        ({"place": "", "link": ""}, "place"),
        ({"format": "online", "link": ""}, "link"),
        ({"topic": "  "}, "topic"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_plans_are_refused_with_the_field_named(cast, changes, field):
    pair = make_pair(cast.school, approved=True)
    data = {"starts_at": tomorrow_at(15), "topic": "Встреча", "place": "Кабинет 21"}
    data.update(changes)
    if data["starts_at"] == "past":
        data["starts_at"] = timezone.now() - dt.timedelta(hours=1)
    with tenant_scope(cast.school), pytest.raises(ValidationError) as error:
        meeting_plan(actor=cast.curator, pair=pair, **data)
    assert field in error.value.message_dict
    with tenant_scope(cast.school):
        assert not PlannedMeeting.objects.exists()


def test_a_proposed_pair_has_no_meetings_planned(cast):
    pair = make_pair(cast.school)
    with tenant_scope(cast.school), pytest.raises(ValidationError):
        meeting_plan(actor=cast.curator, pair=pair, starts_at=tomorrow_at(15), topic="x", place="y")


# --- planning meetings: the pages ----------------------------------------------------------


def plan_data(**overrides) -> dict:
    day = timezone.localdate() + dt.timedelta(days=3)
    data = {
        "day": day.isoformat(),
        "time": "15:30",
        "duration_minutes": "60",
        "kind": "regular",
        "format": "in_person",
        "place": "Кабинет 21",
        "link": "",
        "topic": "Разбор проекта",
    }
    data.update(overrides)
    return data


def test_the_curator_plans_a_meeting_from_the_pair_page(cast):
    pair = make_pair(cast.school, approved=True)
    client = client_for(cast.curator)
    page = client.get(f"/o/{cast.school.slug}/pairs/{pair.pk}/")
    assert f"/pairs/{pair.pk}/planned/" in page.content.decode()
    assert client.get(f"/o/{cast.school.slug}/pairs/{pair.pk}/planned/").status_code == 200
    response = client.post(f"/o/{cast.school.slug}/pairs/{pair.pk}/planned/", plan_data())
    assert response.status_code == 302
    with tenant_scope(cast.school):
        meeting = PlannedMeeting.objects.get(pair=pair)
    local = timezone.localtime(meeting.starts_at)
    assert (local.hour, local.minute) == (15, 30)
    page = client.get(f"/o/{cast.school.slug}/pairs/{pair.pk}/").content.decode()
    assert "Разбор проекта" in page and "Перенести" in page


def test_a_bad_plan_is_a_400_with_the_form_kept_and_nothing_saved(cast):
    pair = make_pair(cast.school, approved=True)
    client = client_for(cast.curator)
    url = f"/o/{cast.school.slug}/pairs/{pair.pk}/planned/"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, plan_data(day=yesterday))
    assert response.status_code == 400
    assert "на будущее" in response.content.decode()
    assert "Разбор проекта" in response.content.decode()
    response = client.post(url, plan_data(format="online", place="", link=""))
    assert response.status_code == 400 and "ссылку" in response.content.decode()
    response = client.post(url, plan_data(time="25:99", link="javascript:alert(1)"))
    assert response.status_code == 400
    with tenant_scope(cast.school):
        assert not PlannedMeeting.objects.exists()


def test_moving_and_cancelling_from_the_pages(cast):
    meeting = make_planned_meeting(cast.school)
    client = client_for(cast.curator)
    edit = f"/o/{cast.school.slug}/pairs/planned/{meeting.pk}/edit/"
    assert "Кабинет 21" in client.get(edit).content.decode()
    assert client.post(edit, plan_data(place="Актовый зал")).status_code == 302
    with tenant_scope(cast.school):
        meeting.refresh_from_db()
    assert meeting.place == "Актовый зал" and meeting.sequence == 1
    cancel = f"/o/{cast.school.slug}/pairs/planned/{meeting.pk}/cancel/"
    assert client.post(cancel).status_code == 302
    with tenant_scope(cast.school):
        meeting.refresh_from_db()
    assert meeting.status == PlannedStatus.CANCELLED


def test_planning_is_the_curators_and_a_foreign_pair_is_not_found(cast):
    pair = make_pair(cast.school, approved=True)
    foreign = make_pair(cast.school2, approved=True)
    foreign_meeting = make_planned_meeting(cast.school2)
    viewer = client_for(cast.viewer)
    url = f"/o/{cast.school.slug}/pairs/{pair.pk}/planned/"
    assert viewer.post(url, plan_data()).status_code == 403
    curator = client_for(cast.curator)
    assert (
        curator.post(f"/o/{cast.school.slug}/pairs/{foreign.pk}/planned/", plan_data()).status_code
        == 404
    )
    edit = f"/o/{cast.school.slug}/pairs/planned/{foreign_meeting.pk}/edit/"
    assert curator.get(edit).status_code == 404
    cancel = f"/o/{cast.school.slug}/pairs/planned/{foreign_meeting.pk}/cancel/"
    assert curator.post(cancel).status_code == 404
    with tenant_scope(cast.school2):
        foreign_meeting.refresh_from_db()
    assert foreign_meeting.status == PlannedStatus.PLANNED


# --- the calendar page ------------------------------------------------------------------


def test_the_page_lists_meetings_and_roadmap_deadlines(cast):
    from tests.factories import first_activity

    meeting = make_planned_meeting(cast.school)
    activity = first_activity(cast.school)
    due = timezone.localdate() + dt.timedelta(days=5)
    from roadmaps.models import ActivityDueDate

    with tenant_scope(cast.school):
        ActivityDueDate.objects.create(organization=cast.school, activity=activity, due_on=due)
    page = client_for(cast.curator).get(f"/o/{cast.school.slug}/calendar/")
    body = page.content.decode()
    assert page.status_code == 200
    assert meeting.topic in body and "Кабинет 21" in body
    assert "Срок:" in body
    assert 'data-source="roadmaps.deadlines"' in body
    # The viewer reads the meetings; the feed's card is the curator's.
    viewer = client_for(cast.viewer).get(f"/o/{cast.school.slug}/calendar/").content.decode()
    assert meeting.topic in viewer and 'data-testid="feed-card"' not in viewer
    # The municipality's methodist: its own deadlines, no school's meetings.
    muni = client_for(cast.methodist).get(f"/o/{cast.muni.slug}/calendar/")
    assert muni.status_code == 200 and meeting.topic not in muni.content.decode()


def test_the_page_answers_in_a_fixed_number_of_queries(cast, django_assert_num_queries):
    pair = make_pair(cast.school, approved=True)
    make_planned_meeting(cast.school, pair=pair)
    client = client_for(cast.curator)
    url = f"/o/{cast.school.slug}/calendar/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for hours in (2, 4, 6):
        make_planned_meeting(cast.school, starts_at=tomorrow_at(hours + 8, days=hours))
    make_planned_meeting(cast.school)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_persons_calendar_and_bad_input(cast):
    pair = make_reachable_pair(cast.school)
    other_pair = make_reachable_pair(cast.school, n=2)
    mine = make_planned_meeting(cast.school, pair=pair, topic="Моя встреча")
    make_planned_meeting(cast.school, pair=other_pair, topic="Чужая встреча")
    mentor, _mentee = people_of(pair)
    client = client_for(cast.curator)
    body = client.get(f"/o/{cast.school.slug}/calendar/?person={mentor.pk}").content.decode()
    assert mine.topic in body and "Чужая встреча" not in body
    _foreign_mentor, foreign_mentee = people_of(make_reachable_pair(cast.school2, n=3))
    foreign = foreign_mentee.pk
    assert client.get(f"/o/{cast.school.slug}/calendar/?person={foreign}").status_code == 404
    assert client.get(f"/o/{cast.school.slug}/calendar/?start=вчера").status_code == 400
    assert client.get(f"/o/{cast.school.slug}/calendar/?person=abc").status_code == 400
    # A bounded window: half a year back, a year ahead; a person's calendar has no paging.
    assert client.get(f"/o/{cast.school.slug}/calendar/?start=2001-01-01").status_code == 400
    assert 'data-testid="next"' not in body
    page = client.get(f"/o/{cast.school.slug}/calendar/").content.decode()
    assert 'data-testid="next"' in page


# --- the ICS feeds ------------------------------------------------------------------------


def test_the_organisations_feed_is_issued_read_reissued_and_revoked(cast):
    meeting = make_planned_meeting(cast.school)
    client = client_for(cast.curator)
    issued = client.post(f"/o/{cast.school.slug}/calendar/feed/")
    assert issued.status_code == 200
    token = feed_token(issued)
    with tenant_scope(cast.school):
        link = PersonalLink.objects.get(purpose=LinkPurpose.ORG_FEED, revoked_at__isnull=True)
    # Only the token's hash is stored.
    assert token not in link.token_hash and len(link.token_hash) == 64

    anonymous = Client()
    feed = anonymous.get(f"/o/{cast.school.slug}/calendar.ics?token={token}")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert "no-store" in feed["Cache-Control"]
    (event,) = parse(feed.content)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{cast.school.slug}"
    assert str(event["SUMMARY"]) == meeting.topic
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["LOCATION"]) == "Кабинет 21"

    # Another school's address with this token, no token, a forged one: 404.
    assert anonymous.get(f"/o/{cast.school2.slug}/calendar.ics?token={token}").status_code == 404
    assert anonymous.get(f"/o/{cast.school.slug}/calendar.ics").status_code == 404
    assert anonymous.get(f"/o/{cast.school.slug}/calendar.ics?token=x").status_code == 404

    # Reissuing kills the old address.
    new = feed_token(client.post(f"/o/{cast.school.slug}/calendar/feed/"))
    assert anonymous.get(f"/o/{cast.school.slug}/calendar.ics?token={token}").status_code == 404
    assert anonymous.get(f"/o/{cast.school.slug}/calendar.ics?token={new}").status_code == 200
    assert client.post(f"/o/{cast.school.slug}/calendar/feed/revoke/").status_code == 302
    assert anonymous.get(f"/o/{cast.school.slug}/calendar.ics?token={new}").status_code == 404


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_leaves(cast):
    meeting = make_planned_meeting(cast.school)
    with tenant_scope(cast.school):
        token = organization_feed_issue(actor=None, organization=cast.school).token
        meeting_update(
            actor=None, meeting=meeting, starts_at=tomorrow_at(17), topic="Перенесена", place="Зал"
        )
    url = f"/o/{cast.school.slug}/calendar.ics?token={token}"
    (event,) = parse(Client().get(url).content)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{cast.school.slug}"
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == tomorrow_at(17)
    with tenant_scope(cast.school):
        meeting_cancel(actor=None, meeting=meeting)
    assert parse(Client().get(url).content) == []


def test_a_persons_feed_shows_their_meetings_only(cast):
    pair = make_reachable_pair(cast.school)
    other = make_reachable_pair(cast.school, n=2)
    make_planned_meeting(cast.school, pair=pair, topic="Моя встреча")
    make_planned_meeting(cast.school, pair=other, topic="Чужая встреча")
    _mentor, mentee = people_of(pair)
    with tenant_scope(cast.school):
        token = personal_link_issue(actor=None, participant=mentee, purpose="feed").token
    feed = Client().get(f"/o/{cast.school.slug}/calendar.ics?token={token}")
    assert [str(e["SUMMARY"]) for e in parse(feed.content)] == ["Моя встреча"]
    # No staff links in a person's feed.
    assert all("URL" not in e for e in parse(feed.content))


# --- the API ---------------------------------------------------------------------------


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def test_api_plans_moves_cancels_and_lists(cast):
    pair = make_pair(cast.school, approved=True)
    api = api_for(cast.curator)
    base = f"/api/v1/o/{cast.school.slug}"
    body = {"starts_at": tomorrow_at(15).isoformat(), "topic": "API", "place": "Кабинет 5"}
    created = api.post(f"{base}/pairs/{pair.pk}/planned-meetings/", body, format="json")
    assert created.status_code == 201, created.json()
    meeting_id = created.json()["id"]
    assert created.json()["status"] == "planned"
    moved = api.put(
        f"{base}/planned-meetings/{meeting_id}/",
        {**body, "starts_at": tomorrow_at(16).isoformat()},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    events = api.get(f"{base}/calendar/").json()
    assert [e["uid"] for e in events if e["source"] == "registry.meetings"] == [
        f"meeting-{meeting_id}@{cast.school.slug}"
    ]
    listed = api.get(f"{base}/pairs/{pair.pk}/planned-meetings/").json()
    assert [m["id"] for m in listed["results"]] == [meeting_id]
    cancelled = api.post(f"{base}/planned-meetings/{meeting_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_api_bad_input_roles_and_tenants(cast):
    pair = make_pair(cast.school, approved=True)
    foreign = make_pair(cast.school2, approved=True)
    base = f"/api/v1/o/{cast.school.slug}"
    api = api_for(cast.curator)
    past = {"starts_at": "2020-01-01T10:00:00+03:00", "topic": "x", "place": "y"}
    response = api.post(f"{base}/pairs/{pair.pk}/planned-meetings/", past, format="json")
    assert response.status_code == 400 and "starts_at" in response.json()
    response = api.post(f"{base}/pairs/{pair.pk}/planned-meetings/", {"topic": ""}, format="json")
    assert response.status_code == 400
    good = {"starts_at": tomorrow_at(15).isoformat(), "topic": "x", "place": "y"}
    assert (
        api.post(f"{base}/pairs/{foreign.pk}/planned-meetings/", good, format="json").status_code
        == 404
    )
    assert (
        api_for(cast.viewer)
        .post(f"{base}/pairs/{pair.pk}/planned-meetings/", good, format="json")
        .status_code
        == 403
    )
    assert api.get(f"{base}/calendar/?start=2026-12-10&end=2026-12-01").status_code == 400
    assert api.get(f"{base}/calendar/?start=junk").status_code == 400
    with tenant_scope(cast.school):
        assert not PlannedMeeting.objects.exists()


def test_api_feed_and_links(cast):
    pair = make_reachable_pair(cast.school)
    _mentor, mentee = people_of(pair)
    base = f"/api/v1/o/{cast.school.slug}"
    api = api_for(cast.curator)
    issued = api.post(f"{base}/calendar/feed/")
    assert issued.status_code == 201
    assert Client().get(issued.json()["url"].split("testserver")[-1]).status_code in (200, 404)
    token = issued.json()["url"].split("token=")[1]
    assert Client().get(f"/o/{cast.school.slug}/calendar.ics?token={token}").status_code == 200
    assert api.delete(f"{base}/calendar/feed/").status_code == 204
    assert Client().get(f"/o/{cast.school.slug}/calendar.ics?token={token}").status_code == 404

    link = api.post(f"{base}/participants/{mentee.pk}/links/")
    assert link.status_code == 201 and link.json()["sent_to"] == "mama.sidorova@mail.test"
    state = api.get(f"{base}/participants/{mentee.pk}/links/").json()
    assert [s["purpose"] for s in state] == ["page"] and "url" not in state[0]
    assert api.delete(f"{base}/participants/{mentee.pk}/links/").status_code == 204
    assert api.get(f"{base}/participants/{mentee.pk}/links/").json() == []
    foreign = make_reachable_pair(cast.school2, n=3)
    _m, foreign_mentee = people_of(foreign)
    assert api.post(f"{base}/participants/{foreign_mentee.pk}/links/").status_code == 404
    assert api_for(cast.viewer).post(f"{base}/participants/{mentee.pk}/links/").status_code == 403
