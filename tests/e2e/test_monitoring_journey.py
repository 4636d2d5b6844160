"""A methodist starts a monitoring campaign; the curator of school No. 40 invites and opens
the printable sheet of links; a pupil answers on a phone through one personal link; the
methodist sees the school's response count and rate go up (counts only, no names)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TITLE = "Мониторинг — проверка в браузере"
SCHOOL = "МБОУ «СШ №40»"
MENTEE_FORM = "Анкета удовлетворённости наставляемого"


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()


def logout(page) -> None:
    page.locator("a.dropdown-toggle.user-name").click()  # the user menu, not «Ещё»
    page.get_by_role("button", name="Выйти").click()


def answer_everything(phone) -> None:
    """Pick the best mark on every scale, the first option elsewhere, write a comment."""
    names = phone.eval_on_selector_all(
        "form input[type=radio], form input[type=checkbox]",
        "els => [...new Set(els.map(e => e.name))]",
    )
    for name in names:
        inputs = phone.locator(f'input[name="{name}"]')
        last = inputs.nth(inputs.count() - 1)
        target = last if re.search(r"_\d+$", last.get_attribute("id") or "") else inputs.first
        if "btn-check" in (target.get_attribute("class") or ""):
            phone.locator(f'label[for="{target.get_attribute("id")}"]').click()
        else:
            target.check()
    for area in phone.locator("form textarea").all():
        area.fill("Всё понравилось, хочу больше встреч")


def school_row(page):
    return page.get_by_test_id("school-progress").locator("tr", has_text=SCHOOL)


def test_campaign_invite_answer_on_a_phone_and_see_the_rate(page, browser, live_server, demo, shot):
    base = live_server.url

    # 1. The methodist starts a campaign for every school of the municipality.
    login(page, base, "methodist@demo.ru")
    page.goto(f"{base}/o/chelny/monitoring/")
    page.get_by_label("Название").fill(TITLE)
    page.get_by_role("button", name="Начать кампанию").click()
    expect(page.get_by_text(f"Кампания «{TITLE}» начата.")).to_be_visible()
    campaign_url = page.url
    expect(school_row(page)).to_contain_text("ещё не приглашали")
    shot("monitoring-01-campaign-started")
    logout(page)

    # 2. The curator invites the school's pairs and opens the sheet of personal links.
    login(page, base, "curator@demo.ru")
    page.goto(f"{base}/o/school-40/monitoring/")
    page.get_by_test_id("campaigns").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("invite").click()
    expect(page.get_by_text("Создано ссылок:")).to_be_visible()
    expect(page.get_by_test_id("responded")).to_have_text("0")
    shot("monitoring-02-invited")
    page.goto(base + page.get_by_test_id("sheet-link").get_attribute("href"))
    cards = page.get_by_test_id("card")
    expect(cards.first).to_be_visible()
    shot("monitoring-03-sheet")
    card = cards.filter(has_text=MENTEE_FORM).first
    link = card.locator(".link").inner_text().strip()
    token = re.search(r"/q/([\w-]+)/?$", link).group(1)
    page.goto(f"{base}/o/school-40/monitoring/")
    logout(page)

    # 3. A pupil opens the link on a phone, with no account, and answers.
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="ru-RU",
    )
    try:
        phone = phone_context.new_page()
        phone.goto(f"{base}/q/{token}/")
        expect(phone.get_by_test_id("school")).to_contain_text("СШ №40")
        expect(phone.locator("body")).to_contain_text(MENTEE_FORM)
        phone.screenshot(path=str(_artifact("monitoring-04-phone")), full_page=True)
        answer_everything(phone)
        phone.get_by_role("button", name="Отправить ответы").click()
        expect(phone.get_by_test_id("saved")).to_be_visible()
        phone.screenshot(path=str(_artifact("monitoring-05-phone-saved")), full_page=True)
    finally:
        phone_context.close()

    # 4. The methodist sees the school's response count and rate go up: counts only.
    login(page, base, "methodist@demo.ru")
    page.goto(campaign_url)
    expect(page.get_by_test_id("total-responded")).to_have_text("1")
    row = school_row(page)
    expect(row.locator(".progress-bar")).to_be_visible()
    rate = int(row.locator(".progress").get_attribute("aria-valuenow"))
    assert rate > 0
    expect(row.locator("td").nth(2)).to_have_text("1")
    shot("monitoring-06-rate-up")


def _artifact(name: str):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
