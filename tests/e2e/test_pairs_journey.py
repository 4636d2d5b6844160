"""A curator of school No. 40 runs matching for a programme, sets one suggestion aside,
accepts the rest, issues the order on pairs, downloads its PDF and logs a first meeting."""

from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

PROGRAMME = "Наставничество в ранней профориентации"


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()


def test_match_accept_order_pdf_and_first_meeting(page, live_server, demo, shot):
    base = live_server.url
    login(page, base, "curator@demo.ru")
    page.get_by_role("link", name="Пары и группы").click()
    page.get_by_test_id("run-matching").click()
    page.get_by_role("link", name=PROGRAMME).click()

    suggestions = page.get_by_test_id("suggestion")
    expect(suggestions.first).to_be_visible()
    expect(page.get_by_test_id("unmatched")).to_contain_text("Соколова Полина Дмитриевна")
    expect(page.get_by_test_id("without-consent")).to_have_text("1")
    # The reasons are spelled out, with their points.
    expect(page.get_by_test_id("reasons").first).to_contain_text("+10")
    shot("pairs-01-suggestions")

    # Set one suggestion aside: matching re-runs without that mentee, who joins the
    # unmatched with a way back, and the freed seat goes to the one left over before.
    suggestions.filter(has_text="Ахмадуллин").get_by_test_id("reject-suggestion").click()
    expect(page.get_by_test_id("unmatched")).to_contain_text("Предложение отклонено")
    expect(page.get_by_test_id("suggestions")).to_contain_text("Соколова Полина Дмитриевна")

    # Swap two mentors by hand: each select shows the score and the free seats.
    for mentee, mentor in (("Лаптева", "Валиева"), ("Соколова", "Зайнуллина")):
        row = page.get_by_test_id("suggestion").filter(has_text=mentee)
        row.get_by_test_id("edit-suggestion").click()
        select = row.get_by_test_id("mentor-select")
        expect(select).to_contain_text("свободно мест")
        option = select.locator("option", has_text=mentor).first
        select.select_option(option.get_attribute("value"))
    shot("pairs-02-edited")

    page.get_by_test_id("accept-selected").click()
    expect(page.get_by_text("будут утверждены приказом")).to_be_visible()
    pairs = page.get_by_test_id("pairs")
    expect(pairs).to_contain_text("Предложена")
    expect(pairs).to_contain_text("Гусев А.И.")
    shot("pairs-03-accepted")

    # The school's own number and date, from its book of orders.
    page.get_by_label("№ приказа").fill("112-о")
    page.get_by_test_id("issue-order").click()
    status = page.get_by_test_id("document-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_test_id("document-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # Each pair from the order's date (today), never from the programme's 2021 start.
    text = " ".join(page_.extract_text() for page_ in PdfReader(path).pages)
    assert f"с {date.today():%d.%m.%Y}" in text and "01.09.2021" not in text
    assert "№ 112-о" in text
    shot("pairs-04-order-ready")

    page.get_by_role("link", name="Пары и группы").click()
    page.get_by_label("Статус").select_option("approved")
    page.get_by_role("button", name="Показать").click()
    approved = page.get_by_test_id("pairs").locator("tbody tr", has_text="Гусев А.И.")
    expect(approved).to_contain_text("Утверждена приказом")
    approved.get_by_role("link").first.click()

    form = page.get_by_test_id("meeting-form")
    form.get_by_label("Встреча").select_option("first")
    form.get_by_label("Тема").fill("Знакомство, цели и правила работы пары")
    form.get_by_label("Результат").fill("Договорились встречаться по четвергам")
    form.get_by_role("button", name="Записать встречу").click()
    expect(page.get_by_text("Встреча записана в журнал.")).to_be_visible()
    expect(page.get_by_test_id("meetings")).to_contain_text("Знакомство, цели и правила")
    expect(page.get_by_test_id("pair-status")).to_have_text("Работает")
    shot("pairs-05-first-meeting")
