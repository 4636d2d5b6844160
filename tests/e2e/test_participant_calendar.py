"""Issue 15, item 3–4 in a real browser: a curator plans a meeting for a pair; it appears
in the organisation's ICS feed (fetched over HTTP, parsed back with icalendar) and on
both participants' pages, opened through their magic links on a 390 px phone."""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import Role
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.registry.calendar_makers import make_reachable_pair, people_of

pytestmark = pytest.mark.e2e

NOTES_SHOTS = Path("/work/notes/shots")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def local(url: str, base: str) -> str:
    """The portal's absolute address (settings.PORTAL_URL) on the live test server."""
    parts = urlsplit(url)
    return f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def keep(path: Path, name: str) -> None:
    """Copy a screenshot into the team's notes, where the report lists it."""
    if NOTES_SHOTS.parent.exists():
        NOTES_SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, NOTES_SHOTS / name)


def test_planned_meeting_reaches_the_feed_and_both_participants_pages(
    page, browser, live_server, transactional_db, standard_forms, shot
):
    school = OrganizationFactory(slug="school-40", short_name="МБОУ «СШ №40»")
    curator = UserFactory(email="kurator@school40.test", first_name="Ольга", last_name="Титова")
    MembershipFactory(user=curator, organization=school, role=Role.CURATOR)
    pair = make_reachable_pair(school)
    mentor, mentee = people_of(pair)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(curator.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    # Plan the meeting from the pair's page.
    page.goto(f"{base}/o/{school.slug}/pairs/{pair.pk}/")
    page.get_by_test_id("plan-meeting").click()
    day = timezone.localdate() + dt.timedelta(days=2)
    page.get_by_label("Дата").fill(day.isoformat())
    page.get_by_label("Время").fill("15:30")
    page.get_by_label("Место").fill("Кабинет 21, второй этаж")
    page.get_by_label("Тема").fill("Выбор темы проекта")
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("planned-meeting")).to_contain_text("Выбор темы проекта")

    # The organisation's calendar on a phone, and its private feed.
    page.set_viewport_size(PHONE)
    # On a phone the sections fold behind the «Разделы» button.
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("link", name="Календарь").first.click()
    expect(page.get_by_test_id("event").first).to_contain_text("Выбор темы проекта")
    page.get_by_test_id("feed-issue").click()
    feed_url = page.get_by_test_id("feed-url").input_value()
    keep(shot("calendar-page-390"), "calendar-page-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A calendar app fetches the feed without a session.
    with urllib.request.urlopen(local(feed_url, base)) as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith("text/calendar")
        body = response.read()
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Выбор темы проекта"
    assert str(event["LOCATION"]) == "Кабинет 21, второй этаж"
    start = timezone.localtime(event.decoded("DTSTART"))
    assert (start.date(), start.hour, start.minute) == (day, 15, 30)

    # Magic links for both people, from their cards.
    page.set_viewport_size({"width": 1280, "height": 800})
    links = {}
    for person in (mentor, mentee):
        page.goto(f"{base}/o/{school.slug}/registry/{person.pk}/")
        page.get_by_test_id("link-issue").click()
        links[person.pk] = page.get_by_test_id("link-url").input_value()

    # Each opens their page on a phone, without logging in.
    phone = browser.new_context(locale="ru-RU", viewport=PHONE)
    try:
        for person, name in ((mentor, "mentor"), (mentee, "mentee")):
            own = phone.new_page()
            own.goto(local(links[person.pk], base))
            expect(own.get_by_test_id("person-name")).to_contain_text(person.first_name)
            meetings = own.get_by_test_id("my-meetings")
            expect(meetings).to_contain_text("Выбор темы проекта")
            expect(meetings).to_contain_text("15:30")
            expect(meetings).to_contain_text("Кабинет 21")
            expect(own.get_by_test_id("my-contacts")).to_contain_text(curator.email)
            assert own.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            ARTIFACTS.mkdir(exist_ok=True)
            file = ARTIFACTS / f"calendar-participant-{name}-390.png"
            own.screenshot(path=str(file), full_page=True)
            keep(file, f"calendar-participant-{name}-390.png")
            own.close()
    finally:
        phone.close()
