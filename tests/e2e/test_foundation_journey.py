"""The demo methodist logs in, sees the schools, switches organisation, logs out."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_methodist_journey(page, live_server, demo, shot):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Вход в портал наставничества")).to_be_visible()
    shot("01-login")

    page.get_by_label("Электронная почта").fill("methodist@demo.ru")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()

    expect(page.get_by_test_id("org-title")).to_have_text("г. Набережные Челны")
    schools = page.get_by_test_id("schools")
    expect(schools).to_contain_text("МБОУ «СШ №40»")
    expect(schools).to_contain_text("МБОУ «Гимназия №26»")
    expect(schools).not_to_contain_text("Нижнекамск")
    expect(page.get_by_test_id("roles")).to_have_text("Методист")
    shot("02-methodist-home")

    page.get_by_test_id("org-switcher").get_by_role("button").or_(
        page.get_by_test_id("org-switcher").locator("a.dropdown-toggle")
    ).first.click()
    page.get_by_role("link", name="МБОУ «СШ №40»").last.click()
    expect(page.get_by_test_id("org-title")).to_have_text("МБОУ «СШ №40»")
    shot("03-switched-to-school")

    page.get_by_role("link", name="Программы").click()
    expect(page.get_by_test_id("programmes")).to_contain_text("Билет в будущее")

    page.locator("nav a.dropdown-toggle", has_text="Галиева").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("heading", name="Вы вышли из портала")).to_be_visible()
    page.goto(f"{live_server.url}/o/chelny/")
    expect(page.get_by_role("heading", name="Вход в портал наставничества")).to_be_visible()


def test_curator_cannot_open_another_school(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Электронная почта").fill("curator@demo.ru")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("org-title")).to_have_text("МБОУ «СШ №40»")
    response = page.goto(f"{live_server.url}/o/gymnasium-26/")
    assert response.status == 404
    expect(page.get_by_text("Страница не найдена")).to_be_visible()
