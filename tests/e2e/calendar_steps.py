"""Issue 15, items 3–4, the steps of the participants' journey after a pair is approved
(tests/e2e/test_participants_online.py): a curator plans a meeting for a pair; it appears
in the organisation's ICS feed (fetched over HTTP, parsed back with icalendar) and on
both participants' pages, opened through their magic links on a 390 px phone."""

from __future__ import annotations

import datetime as dt
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone
from playwright.sync_api import expect

from tests.registry.calendar_makers import people_of

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def local(url: str, base: str) -> str:
    """The portal's absolute address (settings.PORTAL_URL) on the live test server."""
    parts = urlsplit(url)
    return f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def plan_a_meeting_and_follow_it(page, browser, base, slug, pair, curator_email, shot) -> None:
    """The curator (logged in) plans the pair's next meeting; it is in the calendar, in the
    private feed a calendar app reads, and on both people's own pages on a phone."""
    mentor, mentee = people_of(pair)
    # Plan the meeting from the pair's page.
    page.goto(f"{base}/o/{slug}/pairs/{pair.pk}/")
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
    expect(page.get_by_test_id("event").filter(has_text="Выбор темы проекта")).to_be_visible()
    page.get_by_test_id("feed-issue").click()
    feed_url = page.get_by_test_id("feed-url").input_value()
    shot("calendar-page-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A calendar app fetches the feed without a session.
    with urllib.request.urlopen(local(feed_url, base)) as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith("text/calendar")
        body = response.read()
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    (event,) = [e for e in events if str(e["SUMMARY"]) == "Выбор темы проекта"]
    assert str(event["SUMMARY"]) == "Выбор темы проекта"
    assert str(event["LOCATION"]) == "Кабинет 21, второй этаж"
    start = timezone.localtime(event.decoded("DTSTART"))
    assert (start.date(), start.hour, start.minute) == (day, 15, 30)

    # Magic links for both people, from their cards.
    page.set_viewport_size({"width": 1280, "height": 800})
    links = {}
    for person in (mentor, mentee):
        page.goto(f"{base}/o/{slug}/registry/{person.pk}/")
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
            expect(own.get_by_test_id("my-contacts")).to_contain_text(curator_email)
            assert own.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            ARTIFACTS.mkdir(exist_ok=True)
            file = ARTIFACTS / f"calendar-participant-{name}-390.png"
            own.screenshot(path=str(file), full_page=True)
            own.close()
    finally:
        phone.close()
