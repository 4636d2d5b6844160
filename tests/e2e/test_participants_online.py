"""Issue 15 in Chromium: the curator of school No. 40 sends intake links to two
candidates; both answer on a 390 px phone; the curator accepts the answers; a group
meeting is held; both rank each other first on their phones; matching names the mutual
choice among its reasons; the pair is accepted and approved by the order; a planned
meeting is in the ICS feed (parsed back) and on both participants' own pages."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.calendar_steps import plan_a_meeting_and_follow_it
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_monitoring_journey import login

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ru-RU", "is_mobile": True}


def _candidates():
    """Two fresh candidates of school No. 40 with consents on paper (the registry's part,
    which its own journeys cover), and a programme «учитель – ученик» of their own."""
    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import MentoringForm
    from tests.factories import ProgrammeFactory, make_consented

    school = Organization.objects.get(slug="school-40")
    with tenant_scope(school):
        programme = ProgrammeFactory(
            organization=school,
            name="Олимпиадная физика",
            form=MentoringForm.objects.get(code="teacher-student"),
        )
    mentor = make_consented(
        school,
        last_name="Кандидатова",
        first_name="Вера",
        patronymic="Павловна",
        category="teacher",
        grade=None,
        class_letter="",
        birth_date=date(1984, 5, 5),
        is_mentor=True,
        is_mentee=False,
    )
    mentee = make_consented(
        school,
        last_name="Новичков",
        first_name="Артём",
        patronymic="",
        birth_date=date(2010, 9, 9),
        grade=10,
    )
    return programme, mentor, mentee


def _link_on_sheet(page, base, sheet_href, name) -> str:
    page.goto(base + sheet_href)
    card = page.get_by_test_id("card").filter(has_text=name).first
    return card.locator(".link").inner_text().strip()


def _path(link: str) -> str:
    return re.search(r"(/q/[\w-]+/)$", link).group(1)


def test_intake_on_phones_group_meeting_rankings_and_the_mutual_choice(
    page, browser, live_server, demo, shot
):
    base = live_server.url
    programme, mentor, mentee = _candidates()

    # 1. The curator sends both candidates their questionnaire (no e-mail: the QR sheet).
    login(page, base, "curator@demo.ru")
    page.goto(f"{base}/o/school-40/intake/")
    page.get_by_label("Кандидатова В.П.").check()
    page.get_by_label("Новичков А.").check()
    page.get_by_test_id("send").click()
    expect(page.get_by_text("Создано ссылок: 2")).to_be_visible()
    sheet = page.get_by_test_id("sheet-link").get_attribute("href")
    mentor_link = _link_on_sheet(page, base, sheet, "Кандидатова")
    mentee_link = _link_on_sheet(page, base, sheet, "Новичков")

    # 2. Both answer on a phone.
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(base + _path(mentor_link))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Чем я могу быть полезен в качестве наставника?"
    )
    _fill(phone, "Чем я могу быть полезен в качестве наставника?", "Помогу с олимпиадой")
    _fill(phone, "Ваши сильные стороны и компетенции", "олимпиадная физика")
    _fill(phone, "Когда вам удобно встречаться?", "вторник после 15:00")
    phone.get_by_text("Да", exact=True).click()
    phone.get_by_label("3", exact=True).check()
    phone.get_by_role("button", name="Отправить ответы").click()
    expect(phone.get_by_test_id("saved")).to_be_visible()
    shot("participants-01-mentor-answered-on-phone")

    phone.goto(base + _path(mentee_link))
    _fill(phone, "В чём вам нужна помощь наставника?", "Хочу подготовиться к олимпиаде по физике")
    _fill(phone, "Когда вам удобно встречаться?", "четверг после уроков")
    phone.get_by_role("button", name="Отправить ответы").click()
    expect(phone.get_by_test_id("saved")).to_be_visible()

    # 3. The curator reviews and accepts both at once.
    page.goto(f"{base}/o/school-40/intake/review/")
    expect(page.get_by_text("Помогу с олимпиадой")).to_be_visible()
    page.get_by_test_id("accept-all").click()
    expect(page.get_by_text("Принято в реестр анкет: 2.")).to_be_visible()

    # 4. A group meeting: plan, invite, mark attendance, send the links for the choice.
    page.goto(f"{base}/o/school-40/group-meetings/")
    page.get_by_label("Программа").select_option(label=programme.name)
    page.get_by_label("Тема").fill("Знакомство наставников и наставляемых")
    page.get_by_test_id("create").click()
    page.locator(f'input[name="mentor"][value="{mentor.pk}"]').check()
    page.locator(f'input[name="mentee"][value="{mentee.pk}"]').check()
    page.get_by_test_id("invite").click()
    expect(page.get_by_text("Приглашено: 2.")).to_be_visible()
    for box in page.locator('input[name="attended"]').all():
        box.check()
    page.get_by_test_id("attendance").click()
    expect(page.get_by_text("Отмечено присутствовавших: 2.")).to_be_visible()
    meeting_url = page.url
    page.get_by_test_id("choice-send").click()
    expect(page.get_by_text("Создано ссылок: 2")).to_be_visible()
    sheet = page.get_by_role("link", name="Лист с QR-кодами").get_attribute("href")
    mentor_choice = _link_on_sheet(page, base, sheet, "Кандидатова")
    mentee_choice = _link_on_sheet(page, base, sheet, "Новичков")

    # 5. Both rank each other first on their phones.
    phone.goto(base + _path(mentee_choice))
    phone.get_by_label("Выбор № 1").select_option(label="Кандидатова Вера")
    phone.screenshot(path=str(ARTIFACTS / "participants-02-ranking-on-phone.png"), full_page=True)
    phone.get_by_role("button", name="Отправить выбор").click()
    expect(phone.get_by_test_id("saved")).to_be_visible()
    phone.goto(base + _path(mentor_choice))
    phone.get_by_label("Выбор № 1").select_option(label="Новичков Артём")
    phone.get_by_role("button", name="Отправить выбор").click()
    expect(phone.get_by_test_id("saved")).to_be_visible()

    # 6. The meeting shows the mutual choice, and matching names it among its reasons.
    page.goto(meeting_url)
    expect(page.get_by_test_id("mutual")).to_contain_text("Кандидатова В.П. — Новичков А.")
    page.goto(f"{base}/o/school-40/pairs/programmes/{programme.pk}/matching/")
    row = page.get_by_test_id("suggestion").filter(has_text="Новичков Артём")
    expect(row).to_contain_text(
        "Взаимный выбор: после групповой встречи оба назвали друг друга первыми"
    )
    shot("participants-03-matching-mutual-choice")

    # 7. The curator accepts that pair alone; the order on pairs approves it.
    for other in page.get_by_test_id("suggestion").filter(has_not_text="Новичков Артём").all():
        other.locator("input[name=accept]").uncheck()
    page.get_by_test_id("accept-selected").click()
    expect(page.get_by_text("Создана 1 предложенная пара.")).to_be_visible()
    page.locator("[data-testid=order-form] input[name=number]").fill("112-о")
    page.get_by_test_id("issue-order").click()
    status = page.get_by_test_id("document-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=60_000)

    # 8. Their first meeting, planned: in the calendar, the feed and both people's pages.
    pair = _pair_of(mentee)
    assert pair.status == "approved", pair.status
    plan_a_meeting_and_follow_it(page, browser, base, "school-40", pair, "curator@demo.ru", shot)


def _pair_of(mentee):
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import Pair

    with tenant_scope(mentee.organization):
        return Pair.objects.get(members__participant=mentee)


def _fill(phone, question: str, value: str) -> None:
    fieldset = phone.locator("fieldset", has=phone.locator("legend", has_text=question)).first
    fieldset.locator("textarea").fill(value)
