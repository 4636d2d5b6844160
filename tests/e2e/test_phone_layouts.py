"""Phone layouts (issue 13, item 6): at 390 px nothing of these pages runs off the screen,
and the registry, the school's activities and the pairs are cards with their status and
action in view; the «С чего начать» radio group reads as three options, not a column of
single words. Every page is also shot at 1366 and 390 px into test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import assert_fits

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# document.documentElement.scrollWidth: what the page needs sideways.
SCROLL_WIDTH = "document.documentElement.scrollWidth"


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("org-title")).to_be_visible()


def in_view(locator) -> bool:
    """The element is on the phone's screen sideways: not cut off at the right edge."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def look(page, shot, base: str, path: str, name: str) -> None:
    """Both widths: no horizontal overflow at 390 px, and a screenshot at each."""
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}{path}")
    shot(f"phone-layouts-{name}-1366")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}{path}")
    shot(f"phone-layouts-{name}-390")
    assert_fits(page, PHONE["width"])


def _issue_pair_order() -> int:
    """The demo school's order on its pairs announced as the registry announces it (its
    pairs in the demo already work; tests/roadmaps/test_autotick.py issues a real one):
    the roadmap's «Издание приказа «Об утверждении наставнических пар/групп»» ticks."""
    from django.utils import timezone

    from mentorship.models import Document, DocumentStatus, Organization
    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.evidence import announce_pair_order
    from roadmaps.models import Activity

    school = Organization.objects.get(slug="school-40")
    with tenant_scope(school):
        order = Document.objects.create(
            organization=school,
            kind="pair_order",
            number="45-о",
            date=timezone.localdate(),
            status=DocumentStatus.READY,
        )
        announce_pair_order(order)
        duty = Activity.objects.get(title__startswith="Издание приказа «Об утверждении")
    assert duty.status == "done", duty.auto_note
    return duty.pk


def _unread_notifications(email: str, count: int) -> None:
    """The bell's badge widens the top bar: the pages must fit the phone with it shown."""
    from mentorship.models import User
    from mentorship.notifications.models import Notification

    user = User.objects.get(email=email)
    Notification.objects.bulk_create(
        Notification(user=user, title=f"Уведомление {n}") for n in range(count)
    )


def test_the_curators_pages_fit_a_phone(page, live_server, demo, shot):
    base = live_server.url
    duty = _issue_pair_order()
    _unread_notifications("curator@demo.ru", 12)
    login(page, base, "curator@demo.ru")
    pages = {
        "registry": "/o/school-40/registry/",
        "activities": "/o/school-40/activities/",
        "pairs": "/o/school-40/pairs/",
        "roadmaps": "/o/school-40/roadmaps/",
        "progress": f"/o/school-40/roadmaps/activities/{duty}/progress/",
    }
    for name, path in pages.items():
        look(page, shot, base, path, f"curator-{name}")

    # Cards: the status and the action of a row are on the screen, no header row.
    page.goto(f"{base}/o/school-40/registry/")
    table = page.get_by_test_id("registry")
    expect(table.locator("thead")).to_be_hidden()
    first = table.locator("tbody tr").first
    assert in_view(first.get_by_test_id("consent-badge"))
    assert in_view(first.locator("td").nth(1).locator("a"))  # the name opens the person
    expect(first.locator("td[data-label='Роль']")).to_be_visible()

    page.goto(f"{base}/o/school-40/activities/")
    rows = page.get_by_test_id("school-activities").locator("tbody tr")
    assert in_view(rows.first.get_by_role("link", name="Отметить"))
    assert in_view(rows.first.locator("td[data-label='Статус'] .badge"))
    # The order's item, ticked by the portal, says why, with the order's link.
    reason = page.get_by_test_id("auto-done")
    expect(reason).to_contain_text("Отмечено автоматически: издан приказ № 45-о")
    assert in_view(reason.get_by_role("link"))

    page.goto(f"{base}/o/school-40/pairs/")
    pair = page.get_by_test_id("pairs").locator("tbody tr").first
    assert in_view(pair.get_by_test_id("pair-status"))
    assert in_view(pair.get_by_role("link", name="Открыть пару"))

    # On a wide screen the tables stay tables and the phone-only button is hidden.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/o/school-40/pairs/")
    expect(page.get_by_test_id("pairs").locator("thead")).to_be_visible()
    expect(page.get_by_role("link", name="Открыть пару").first).to_be_hidden()


def test_the_start_from_choice_reads_as_three_options(page, live_server, demo, shot):
    base = live_server.url
    login(page, base, "methodist@demo.ru")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{base}/o/chelny/roadmaps/")
        option = page.get_by_label("Типовая дорожная карта по этапам целевой модели")
        expect(option).to_be_checked()
        label = page.locator("label", has_text="Типовая дорожная карта по этапам")
        # One word per line made this label ~7 lines tall; now it takes one or two.
        assert label.bounding_box()["height"] < 60
        assert page.evaluate(SCROLL_WIDTH) <= size["width"]
    page.get_by_label("Копия дорожной карты прошлого года").check()
    expect(page.get_by_label("Пустая дорожная карта")).not_to_be_checked()


def test_the_methodists_roadmap_pages_fit_a_phone(page, live_server, demo, shot):
    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope
    from roadmaps.models import Roadmap

    chelny = Organization.objects.get(slug="chelny")
    with tenant_scope(chelny):
        current = Roadmap.objects.filter(status="draft").order_by("-pk").first()
        previous = Roadmap.objects.get(status="approved")
        activity = current.activities.order_by("pk").first()
    base = live_server.url
    login(page, base, "methodist@demo.ru")
    pages = {
        "roadmaps": "/o/chelny/roadmaps/",
        "draft": f"/o/chelny/roadmaps/{current.pk}/",
        "approved": f"/o/chelny/roadmaps/{previous.pk}/",
        "activity-edit": f"/o/chelny/roadmaps/activities/{activity.pk}/edit/",
    }
    for name, path in pages.items():
        look(page, shot, base, path, f"methodist-{name}")
    # Last cycle's approval item ticked itself when the demo approved that roadmap.
    page.goto(f"{base}{pages['approved']}")
    expect(page.get_by_test_id("auto-done").first).to_contain_text(
        "Отмечено автоматически: дорожная карта утверждена приказом № 498 от 12.09.2023"
    )
    page.goto(f"{base}{pages['activity-edit']}")
    expect(page.get_by_label("Отмечается автоматически, когда")).to_be_visible()
