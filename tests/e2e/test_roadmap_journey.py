"""A methodist imports the Naberezhnye Chelny roadmap and hands its school duties to every
school; a curator marks one done with the signed order's scan; the methodist sees it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.roadmaps.test_api import PDF_BYTES

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
DUTY = "Изучение и систематизация имеющихся материалов"


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()


def logout(page) -> None:
    page.locator("a.dropdown-toggle.user-name").click()  # the user menu, not «Ещё»
    page.get_by_role("button", name="Выйти").click()


def test_import_cascade_mark_done_and_see_it(page, live_server, demo, shot, tmp_path):
    base = live_server.url
    login(page, base, "methodist@demo.ru")
    page.get_by_role("link", name="Дорожные карты", exact=True).click()
    page.get_by_role("link", name="Загрузить из Word или Excel").click()
    page.locator("input[type=file]").set_input_files(FIXTURE / "naberezhnye-chelny-2023-2024.docx")
    page.locator("input[name=period_start]").fill("2023-09-01")
    page.locator("input[name=period_end]").fill("2024-08-31")
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_text("Пока вы не нажмёте «Сохранить»")).to_be_visible()
    expect(page.locator("body")).to_contain_text(DUTY)
    shot("roadmap-01-import-preview")
    # The demo already holds last cycle's roadmap from this very file and period: the
    # preview says so before saving, and saving another takes a tick (issue 14).
    expect(page.get_by_test_id("duplicates")).to_contain_text("уже загружена")
    page.get_by_label("Да, сохранить ещё одну такую дорожную карту").check()
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_test_id("roadmap-table")).to_contain_text("на уровне ОО")
    imported_url = page.url
    shot("roadmap-02-imported")
    page.get_by_test_id("cascade").click()
    expect(page.get_by_test_id("matrix")).to_contain_text("МБОУ «СШ №40»")
    logout(page)

    login(page, base, "curator@demo.ru")
    page.get_by_role("link", name="Мероприятия школы", exact=True).click()
    row = page.get_by_test_id("school-activities").locator("tr", has_text=DUTY).first
    row.get_by_role("link", name="Отметить").click()
    page.get_by_label("Статус").select_option("done")
    page.get_by_label("Комментарий").fill("Приказ № 45-о от 10.10.2023, скан приложен")
    scan = tmp_path / "prikaz.pdf"
    # A PDF that opens: the evidence check reads the file, not only its signature.
    scan.write_bytes(PDF_BYTES)
    page.locator("input[type=file]").set_input_files(scan)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Отметка о выполнении сохранена.")).to_be_visible()
    shot("roadmap-03-curator-marked")
    logout(page)

    login(page, base, "methodist@demo.ru")
    page.goto(imported_url)
    page.get_by_role("link", name="Выполнение по школам").click()
    school_row = page.get_by_test_id("matrix").locator("tr", has_text="МБОУ «СШ №40»")
    expect(school_row).to_contain_text("Выполнено")
    expect(
        page.get_by_test_id("matrix").locator("tr", has_text="МБОУ «Гимназия №26»")
    ).not_to_contain_text("Выполнено")
    shot("roadmap-04-matrix")
