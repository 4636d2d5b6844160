"""The curator of school No. 40 works with the school's programmes in the browser: the
demo's programmes are listed, one shows its pool of consented people and leads to
matching; a new programme is created, edited and closed, and stays readable."""

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import assert_fits

pytestmark = pytest.mark.e2e

PROGRAMME = "Наставничество в ранней профориентации"


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()


def test_curator_runs_the_schools_programmes(page, live_server, demo, shot):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, base, "curator@demo.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Программы").click()
    rows = page.get_by_test_id("programme")
    expect(rows).to_have_count(4)  # the seeds' four programmes of school No. 40
    expect(page.get_by_test_id("create-programme")).to_be_visible()
    shot("programmes-01-list-1366")

    # A programme with people waiting: its pool, counts and the way to matching.
    rows.filter(has_text=PROGRAMME).get_by_role("link", name=PROGRAMME).click()
    expect(page.get_by_test_id("programme-title")).to_have_text(PROGRAMME)
    pool = page.get_by_test_id("pool")
    expect(pool).to_contain_text("Соколова Полина Дмитриевна")
    expect(page.get_by_test_id("next-step")).to_contain_text("Подберите пары")
    expect(page.get_by_test_id("pool-without-consent")).to_contain_text("1")
    shot("programmes-02-detail-1366")
    page.get_by_test_id("matching").click()
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    page.go_back()

    # A new programme: the form, a refusal in Russian, then saved; edited; closed.
    page.goto(f"{base}/o/school-40/programmes/new/")
    form = page.get_by_test_id("programme-form")
    form.get_by_label("Наименование программы").fill("Школа молодого педагога")
    form.get_by_label("Форма наставничества").select_option(label="учитель – учитель")
    form.get_by_label("Кто является наставниками").fill("Опытные педагоги")
    form.get_by_label("Начало").fill("2026-09-01")
    form.get_by_label("Окончание").fill("2026-06-01")
    page.get_by_test_id("save").click()
    expect(page.get_by_text("Укажите, кто является наставляемыми в программе.")).to_be_visible()
    expect(page.get_by_text("Окончание программы раньше её начала.")).to_be_visible()
    shot("programmes-03-form-errors-1366")
    form.get_by_label("Наставляемые", exact=True).fill("Молодые специалисты со стажем до 3 лет")
    form.get_by_label("Окончание").fill("2027-06-01")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("programme-title")).to_have_text("Школа молодого педагога")
    page.get_by_test_id("edit").click()
    page.get_by_label("Цели и задачи").fill("Адаптация молодых педагогов")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("programme-fields")).to_contain_text("Адаптация молодых педагогов")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("closed-note")).to_contain_text("Программа закрыта")
    expect(page.get_by_test_id("matching")).to_have_count(0)
    shot("programmes-04-closed-1366")

    # At phone width (390 px) the list, the form and the page stay usable.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/o/school-40/programmes/")
    expect(page.get_by_test_id("create-programme")).to_be_visible()
    shot("programmes-05-list-390")
    page.get_by_test_id("create-programme").click()
    expect(page.get_by_test_id("programme-form")).to_be_visible()
    shot("programmes-06-form-390")
    page.goto(f"{base}/o/school-40/programmes/")
    page.get_by_role("link", name=PROGRAMME).click()
    expect(page.get_by_test_id("pool")).to_be_visible()
    shot("programmes-07-detail-390")
    # The page is no wider than the phone: nothing overflows sideways.
    assert_fits(page, 390)
