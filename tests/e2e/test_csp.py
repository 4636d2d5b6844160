"""The Content-Security-Policy holds in a real browser: no violation on the main pages of
each role, and the pages still work (a confirm dialog, a script-driven form, the API docs).

Every violation is caught twice: by a `securitypolicyviolation` listener installed before
any page script, and by Chromium's console message about the refused resource.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ROLES = {
    "curator@demo.ru": "/o/school-40/",
    "viewer@demo.ru": "/o/school-40/",
    "methodist@demo.ru": "/o/chelny/",
    "department@demo.ru": "/o/chelny/",
    "regional@demo.ru": "/o/tatarstan/",
}
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def violations(page):
    console: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def collected() -> list[str]:
        return console + page.evaluate("window.__csp || []")

    return collected


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("org-title")).to_be_visible()


@pytest.mark.parametrize("email", list(ROLES))
def test_no_csp_violation_on_the_main_pages_of_each_role(
    page, live_server, demo, violations, email
):
    login(page, live_server.url, email)
    response = page.goto(f"{live_server.url}{ROLES[email]}")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    links = page.locator("nav.section-nav a.nav-link, main a[href^='/o/']")
    targets = sorted(set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))")))
    pages = [t for t in targets if t and t.startswith("/o/") and "export" not in t][:25]
    assert pages, "no pages to visit"
    seen = []
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        found = violations()
        assert found == [], f"{path}: {found}"
        seen.append(path)
    print(f"\n{email}: {len(seen)} pages, 0 CSP violations")


def test_confirm_and_scripted_forms_work_under_the_policy(page, live_server, demo, violations):
    login(page, live_server.url, "curator@demo.ru")
    # A script-driven form: the participant form shows the chosen category's fields.
    page.goto(f"{live_server.url}/o/school-40/registry/new/")
    page.get_by_label("Категория").select_option("teacher")
    page.get_by_label("Категория").select_option("pupil")
    assert violations() == []

    page.context.clear_cookies()
    login(page, live_server.url, "methodist@demo.ru")
    page.goto(f"{live_server.url}/o/chelny/monitoring/")
    campaign = page.locator("a[href*='/monitoring/campaigns/']").first
    campaign.click()
    close = page.get_by_role("button", name="Завершить досрочно")
    if close.count():
        asked = []

        def dismiss(dialog):
            asked.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", dismiss)
        close.click()
        assert asked and "Завершить кампанию?" in asked[0]
        expect(close).to_be_visible()  # dismissed: nothing was posted
    assert violations() == []


def _invitation():
    """A campaign started today at the demo municipality, school No. 40 invited."""
    from datetime import timedelta

    from django.utils import timezone

    from mentorship.models import Organization, User
    from mentorship.tenancy.scoping import tenant_scope
    from monitoring.models import CampaignSchool, Invitation
    from monitoring.services.campaigns import campaign_create, campaign_invite
    from tests.monitoring.conftest import standard

    chelny, school = (Organization.objects.get(slug=s) for s in ("chelny", "school-40"))
    today = timezone.localdate()
    with tenant_scope(chelny):
        campaign = campaign_create(
            actor=User.objects.get(email="methodist@demo.ru"),
            organization=chelny,
            title="Проверка политики",
            stage="interim",
            starts_on=today,
            ends_on=today + timedelta(days=7),
            mentor_questionnaire=standard("mentor_satisfaction"),
            mentee_questionnaire=standard("mentee_satisfaction"),
        )
    with tenant_scope(school):
        row = CampaignSchool.objects.get(campaign=campaign)
        campaign_invite(actor=User.objects.get(email="curator@demo.ru"), campaign_school=row)
        return row, Invitation.objects.filter(campaign=campaign).first()


def test_the_participants_pages_hold_the_policy(page, live_server, demo, violations):
    row, invitation = _invitation()
    page.goto(f"{live_server.url}/q/{invitation.token}/")
    expect(page.get_by_role("button", name="Отправить")).to_be_visible()
    assert violations() == []
    login(page, live_server.url, "curator@demo.ru")
    page.goto(f"{live_server.url}/o/school-40/monitoring/school/{row.pk}/sheet/?all=1")
    expect(page.get_by_role("button", name="Печать")).to_be_visible()
    assert violations() == []


def test_the_api_docs_load_their_own_assets_without_violations(page, live_server, demo, violations):
    login(page, live_server.url, "curator@demo.ru")
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI renders the whole schema in the browser: seconds on a loaded CI machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "API портала наставничества", timeout=30_000
    )
    assert violations() == []
