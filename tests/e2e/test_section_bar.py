"""The organisation's sections stay on one row on a laptop's screen (1366 px), for the
role with the most sections of each level: a wrapped bar pushes every page down and hides
which section is open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HOMES = {
    "curator@demo.ru": "/o/school-40/",
    "methodist@demo.ru": "/o/chelny/",
    "regional@demo.ru": "/o/tatarstan/",
}


def test_sections_fit_one_row_at_1366_px(page, live_server, demo):
    page.set_viewport_size({"width": 1366, "height": 800})
    for email, home in HOMES.items():
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Электронная почта").fill(email)
        page.get_by_label("Пароль").fill("demo12345")
        page.get_by_role("button", name="Войти").click()
        page.goto(f"{live_server.url}{home}")
        links = page.get_by_role("navigation", name="Разделы").get_by_role("link")
        expect(links.first).to_be_visible()
        tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
        assert len(tops) == 1, f"{email}: sections wrap onto {len(tops)} rows"
