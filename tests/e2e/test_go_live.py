"""A municipality goes live without a developer (issue 12): the demo regional centre adds
a municipality and invites its methodist; the methodist accepts from the letter, uploads
the list of three schools with their curators, and one curator accepts.

No /admin/, no shell: every step in the browser, the letters read from Django's outbox.
"""

import re

import pytest
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://\S+(/invite/[A-Za-z0-9_-]+/)")
PASSWORD = "Solnechnyi-Veter-57"
# INNs with valid check digits (python-stdnum), not used by the demo's schools.
SCHOOLS = [
    (
        "МБОУ «Средняя общеобразовательная школа №1» ЕМР",
        "МБОУ «СОШ №1»",
        "1646000014",
        "школа",
        "Хасанова Г.Р.",
        "Сафина Алсу Ринатовна",
        "alsu.safina@elabuga.test",
    ),  # fmt: skip
    (
        "МБОУ «Гимназия №2» ЕМР",
        "МБОУ «Гимназия №2»",
        "1646000021",
        "школа",
        "Иванов П.С.",
        "Кузьмина Ольга Петровна",
        "kuzmina@elabuga.test",
    ),  # fmt: skip
    (
        "ГАПОУ «Елабужский политехнический колледж»",
        "ГАПОУ «ЕПК»",
        "1646000039",
        "колледж",
        "Галиев Р.М.",
        "Лаптева Мария Сергеевна",
        "lapteva@elabuga.test",
    ),  # fmt: skip
]


def _link(email: str) -> str:
    letters = [m for m in mail.outbox if email in m.to]
    assert letters, f"no letter to {email}"
    return LINK.search(letters[-1].body).group(1)


def _log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def _section(page, name: str):
    """A section of the bar: a daily one, or an occasional one under «Ещё» (opened)."""
    bar = page.get_by_role("navigation", name="Разделы")
    link = bar.get_by_role("link", name=name)
    if not link.is_visible():
        bar.get_by_role("button", name="Ещё").click()
    return link


def _log_out(page) -> None:
    page.context.clear_cookies()


def _accept(page, base: str, email: str) -> None:
    page.goto(base + _link(email))
    form = page.get_by_test_id("accept-form")
    expect(form).to_be_visible()
    form.get_by_label("Пароль", exact=True).fill(PASSWORD)
    form.get_by_label("Пароль ещё раз").fill(PASSWORD)
    page.get_by_test_id("accept").click()
    expect(page.get_by_text("Добро пожаловать!")).to_be_visible()


def _school_list(path, typo: bool = False) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Полное наименование",
            "Краткое наименование",
            "ИНН",
            "Вид",
            "Руководитель (Фамилия И.О.)",
            "Куратор: фамилия, имя, отчество",
            "Куратор: должность",
            "Куратор: электронная почта",
        ]
    )
    for full, short, inn, kind, head, curator, email in SCHOOLS:
        if typo and kind == "колледж":
            inn, email = inn[:-1] + "0", email.replace("@", " at ")
        sheet.append([full, short, inn, kind, head, curator, "Заместитель директора", email])
    book.save(path)


def test_a_municipality_goes_live(page, live_server, demo, shot, tmp_path):
    base = live_server.url

    # 1. The regional centre adds the municipality and invites its methodist.
    _log_in(page, base, "regional@demo.ru", "demo12345")
    _section(page, "Организации").click()
    page.get_by_test_id("add-organization").click()
    page.get_by_label("Полное наименование").fill(
        "Управление образования Елабужского муниципального района"
    )
    page.get_by_label("Краткое наименование").fill("Елабужский район")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_test_id("org-title")).to_have_text("Елабужский район")
    invite = page.get_by_test_id("invite-form")
    invite.get_by_label("Электронная почта").fill("metodist@elabuga.test")
    invite.get_by_label("Фамилия").fill("Гарифуллина")
    invite.get_by_label("Имя").fill("Эльмира")
    invite.get_by_label("Роль").select_option("methodist")
    invite.get_by_role("button", name="Пригласить").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("metodist@elabuga.test")
    shot("go-live-01-region-invites-methodist")
    _log_out(page)

    # 2. The methodist accepts from the letter and sets a password.
    _accept(page, base, "metodist@elabuga.test")
    expect(page.get_by_test_id("org-title")).to_have_text("Елабужский район")

    # 3. ... uploads the list of three schools with their curators, previews, confirms.
    _section(page, "Организации").click()
    page.get_by_test_id("bulk-start").click()
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert download.value.suggested_filename == "bulk-start-schools.xlsx"
    # First the list with a typo: the preview says what is wrong, and nothing is written.
    _school_list(tmp_path / "typo.xlsx", typo=True)
    page.locator("input[type=file]").set_input_files(tmp_path / "typo.xlsx")
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_test_id("not-ready")).to_be_visible()
    expect(page.get_by_test_id("confirm")).to_be_disabled()
    expect(page.get_by_test_id("row-errors")).to_contain_text("Контрольные цифры ИНН")
    shot("go-live-02a-bulk-preview-errors")
    page.get_by_role("link", name="Загрузить другой файл").click()
    _school_list(tmp_path / "schools.xlsx")
    page.locator("input[type=file]").set_input_files(tmp_path / "schools.xlsx")
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_test_id("ready")).to_be_visible()
    expect(page.get_by_test_id("summary")).to_contain_text("3 организации будут добавлены")
    expect(page.get_by_test_id("summary")).to_contain_text("3 приглашения кураторам")
    shot("go-live-02-bulk-preview")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_text("Добавлены 3 организации, отправлено 3 приглашения.")).to_be_visible()
    rows = page.get_by_test_id("organization")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("pending-invitation")).to_have_count(3)
    shot("go-live-03-schools")
    _log_out(page)

    # 4. One curator accepts and lands at the school, whose home is a to-do list: the
    # first steps, none done yet, each linking where it is done.
    _accept(page, base, "alsu.safina@elabuga.test")
    expect(page.get_by_test_id("org-title")).to_have_text("МБОУ «СОШ №1»")
    steps = page.get_by_test_id("first-steps")
    expect(steps.get_by_test_id("steps-progress")).to_have_text("0 из 5")
    expect(steps.locator("li[data-done='0']")).to_have_count(5)
    expect(steps.get_by_role("link", name="Создайте программу наставничества")).to_have_attribute(
        "href", re.compile(r"/o/[\w-]+/programmes/$")
    )
    expect(page.get_by_test_id("todo-people_without_consent")).to_contain_text("0")
    school_home = page.url
    shot("go-live-04a-first-steps")
    _section(page, "Сотрудники").click()
    expect(page.get_by_test_id("members")).to_contain_text("Сафина Алсу Ринатовна")
    shot("go-live-04-school-staff")

    # 5. ... creates the school's first programme in the browser: the empty list says what
    # to do, the form is filled in and saved, and the programme's page shows an empty pool
    # and the next step (people and their consents).
    _section(page, "Программы").click()
    expect(page.get_by_test_id("programmes-empty")).to_contain_text("Программ пока нет")
    shot("go-live-04-programmes-empty")
    page.get_by_test_id("create-programme").click()
    form = page.get_by_test_id("programme-form")
    form.get_by_label("Наименование программы").fill("Наставничество в ранней профориентации")
    form.get_by_label("Форма наставничества").select_option(label="учитель – ученик")
    expect(form.get_by_label("Ответственный за программу")).to_have_value(re.compile(r"^\d+$"))
    form.get_by_label("Проект / программа (оператор)").fill("Проект «Билет в будущее»")
    form.get_by_label("Кто является наставниками").fill("Педагоги")
    form.get_by_label("Наставляемые", exact=True).fill("Обучающиеся 6–11 классов")
    form.get_by_label("Наставляемых на одного наставника").fill("2")
    form.get_by_label("Начало").fill("2026-09-01")
    form.get_by_label("Окончание").fill("2027-05-31")
    form.get_by_label("Цели и задачи").fill("Ранняя профориентация обучающихся 6–11 классов")
    form.get_by_label("Ожидаемые результаты").fill("Осознанный выбор профиля обучения")
    shot("go-live-04a-programme-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("programme-title")).to_have_text(
        "Наставничество в ранней профориентации"
    )
    expect(
        page.get_by_text("Программа «Наставничество в ранней профориентации» создана.")
    ).to_be_visible()
    expect(page.get_by_test_id("pool-mentors-count")).to_contain_text("0")
    expect(page.get_by_test_id("pool-mentees-count")).to_have_text("0")
    next_step = page.get_by_test_id("next-step")
    expect(next_step).to_contain_text("В программе пока нет ни наставников, ни наставляемых.")
    expect(next_step.get_by_test_id("add-participant")).to_be_visible()
    expect(page.get_by_test_id("programme-fields")).to_contain_text("Сафина Алсу Ринатовна")
    shot("go-live-04b-programme-page")
    # 6. Back home: the checklist has the programme step done.
    page.goto(school_home)
    expect(page.get_by_test_id("first-steps").get_by_test_id("steps-progress")).to_have_text(
        "1 из 5"
    )
    shot("go-live-04c-first-steps-after-programme")

    # The methodist sees the curator joined and the other two still invited.
    _log_out(page)
    _log_in(page, base, "metodist@elabuga.test", PASSWORD)
    # The methodist's home: the three schools, the curator who joined by name, the other
    # two waiting for their curators' answer; sorted by the curator column on request.
    schools = page.get_by_test_id("schools")
    expect(schools.get_by_test_id("row")).to_have_count(3)
    expect(schools).to_contain_text("Сафина А.Р.")
    expect(schools.get_by_text("приглашение отправлено")).to_have_count(2)
    schools.get_by_test_id("sort-curator").click()
    expect(schools.get_by_test_id("row").last).to_contain_text("Сафина А.Р.")
    shot("go-live-04b-methodist-home")
    _section(page, "Организации").click()
    expect(page.get_by_test_id("pending-invitation")).to_have_count(2)
    expect(page.get_by_test_id("organizations")).to_contain_text("Сафина А.Р.")
    _section(page, "Сотрудники").click()
    expect(page.get_by_test_id("who-invites")).to_contain_text("Региональный центр")
    shot("go-live-05-municipality-staff")
    # On a phone (390 px) the pages stay usable: the tables scroll, nothing overflows.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/o/{page.url.split('/o/')[1].split('/')[0]}/organizations/")
    shot("go-live-06-schools-390")
