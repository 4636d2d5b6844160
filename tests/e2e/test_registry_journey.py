"""A curator imports the school's list, fixes the bad row, records a parent's consent for
a pupil and then withdraws it: the pupil leaves the active lists."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registry"
PUPIL = "Воронцова Милена Артёмовна"


def test_import_consent_and_withdrawal(page, live_server, demo, shot):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill("curator@demo.ru")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()

    page.get_by_role("link", name="Реестр", exact=True).click()
    page.get_by_test_id("import-link").click()
    page.locator("input[type=file]").set_input_files(FIXTURES / "school-40-registry.xlsx")
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.locator("body")).to_contain_text("7Б")
    expect(page.get_by_test_id("confirm")).to_be_disabled()
    shot("registry-01-bad-row")

    # The curator corrects the class in her file and uploads it again.
    page.goto(f"{base}/o/school-40/registry/import/")
    page.locator("input[type=file]").set_input_files(FIXTURES / "school-40-registry-clean.xlsx")
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_test_id("confirm")).to_be_enabled()
    page.get_by_test_id("confirm").click()
    expect(page.locator("body")).to_contain_text(PUPIL)

    page.get_by_role("link", name=PUPIL).click()
    form = page.locator("#consent-record")
    form.locator("input[name=given_by][value=parent]").check()
    form.locator("input[name=giver_name]").fill("Воронцов Артём Сергеевич")
    form.locator("input[name=giver_relation]").fill("отец")
    form.locator("input[name=given_on]").fill("2026-09-01")
    form.locator("input[name=purposes][value=programme]").check()
    form.get_by_role("button", name="Записать согласие").click()
    expect(page.locator("body")).to_contain_text("Согласие есть")
    shot("registry-02-consent")

    page.get_by_text("Отозвать согласие").click()
    page.locator("[name$=reason]").first.fill("Заявление родителя об отзыве")
    page.get_by_role("button", name="Отозвать", exact=True).click()
    expect(page.locator("body")).to_contain_text("Согласие отозвано")
    shot("registry-03-withdrawn")

    page.goto(f"{base}/o/school-40/registry/?consent=valid")
    expect(page.locator("body")).not_to_contain_text(PUPIL)
    page.goto(f"{base}/o/school-40/registry/consents/")
    expect(page.locator("body")).to_contain_text(PUPIL)
