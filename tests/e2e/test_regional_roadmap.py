"""Issue 17: the regional centre imports its roadmap (the St Petersburg regional plan built
from the seed), hands the duties «на уровне ОО» to every municipality; a methodist finds
them among the municipality's roadmaps and submits the year's figures to the region; the
regional centre opens the municipal report and returns it with a comment, which the
methodist then sees; the regional centre downloads its own report of the year."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_roadmap_journey import login

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
DUTY = "Выдвижение куратора пилотного проекта."
COMMENT = "Не внесён контингент двух школ: внесите и сдайте отчёт снова."


def logout(page) -> None:
    """The user menu (the sections bar has its own «Ещё» dropdown, which may come last)."""
    page.locator("a.dropdown-toggle.user-name").click()
    page.get_by_role("button", name="Выйти").click()


def test_regional_roadmap_cascade_submission_and_return(page, live_server, demo, shot):
    base = live_server.url
    login(page, base, "regional@demo.ru")
    page.get_by_role("link", name="Дорожные карты", exact=True).click()
    page.get_by_role("link", name="Загрузить из Word или Excel").click()
    page.locator("input[type=file]").set_input_files(FIXTURE / "spb-appo.docx")
    page.locator("input[name=period_start]").fill("2021-09-01")
    page.locator("input[name=period_end]").fill("2022-08-31")
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.locator("body")).to_contain_text(DUTY)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_test_id("roadmap-table")).to_contain_text("для каждого муниципалитета")
    page.get_by_test_id("cascade").click()
    matrix = page.get_by_test_id("matrix")
    expect(matrix).to_contain_text("г. Набережные Челны")
    expect(page.locator("h1")).to_contain_text("по муниципалитетам")
    shot("region-01-matrix")
    # A municipality's row opens its own copy of this roadmap, with the duties in it.
    matrix.get_by_role("link", name="г. Набережные Челны").click()
    expect(page.get_by_test_id("roadmap-table")).to_contain_text(DUTY)
    expect(page).to_have_url(re.compile(r"/o/chelny/roadmaps/\d+/$"))
    logout(page)

    login(page, base, "methodist@demo.ru")
    page.get_by_role("link", name="Дорожные карты", exact=True).click()
    page.get_by_test_id("origin").first.locator("xpath=..").get_by_role("link").click()
    expect(page.get_by_test_id("roadmap-table")).to_contain_text(DUTY)
    page.get_by_role("link", name="Показатели", exact=True).click()
    page.get_by_test_id("submission-link").click()
    page.get_by_test_id("submit-year").click()
    expect(page.get_by_test_id("status")).to_have_text("Сдан")
    logout(page)

    login(page, base, "regional@demo.ru")
    page.get_by_role("link", name="Показатели", exact=True).click()
    page.get_by_test_id("submissions-link").click()
    row = page.get_by_test_id("submission-chelny")
    expect(row).to_contain_text("Сдан")
    expect(page.get_by_test_id("counts")).to_contain_text("Сдали: 1")
    shot("region-02-submissions")
    row.get_by_role("link", name="г. Набережные Челны").click()
    expect(page.get_by_test_id("figures")).to_contain_text("Дети 10–19 лет")
    page.get_by_label("Что доработать").fill(COMMENT)
    page.get_by_test_id("return-submission").click()
    expect(page.get_by_test_id("status")).to_have_text("Возвращён на доработку")
    expect(page.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    shot("region-03-returned")

    # The region's own report of the year, as PDF, from the region's indicators.
    page.goto(f"{base}/o/tatarstan/indicators/")
    page.get_by_test_id("report").click()
    status = page.get_by_test_id("document-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=60_000)
    with page.expect_download() as report:
        page.get_by_test_id("document-download").click()
    pdf = report.value.path().read_bytes()
    assert pdf[:5] == b"%PDF-"
    logout(page)

    login(page, base, "methodist@demo.ru")
    expect(page.locator("body")).to_contain_text("Замечания региона без ответа")
    page.get_by_role("link", name="Показатели", exact=True).click()
    page.get_by_test_id("submission-link").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    expect(page.get_by_test_id("submit-year")).to_be_visible()
