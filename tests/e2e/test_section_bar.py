"""The organisation's sections stay on one row on a laptop's screen (1280 and 1366 px), for the
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


@pytest.mark.parametrize("width", [1280, 1366])
def test_sections_fit_one_row_on_a_laptop(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    for email, home in HOMES.items():
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Электронная почта").fill(email)
        page.get_by_label("Пароль").fill("demo12345")
        page.get_by_role("button", name="Войти").click()
        page.goto(f"{live_server.url}{home}")
        # The daily sections and the «Ещё» toggle (what it holds is hidden until opened).
        links = page.get_by_role("navigation", name="Разделы").locator("a.nav-link")
        expect(links.first).to_be_visible()
        tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
        assert len(tops) == 1, f"{email} at {width} px: sections wrap onto {len(tops)} rows"
