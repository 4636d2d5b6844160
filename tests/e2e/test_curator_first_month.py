"""The curator's first month (issue 13), counted: from a school with one programme and
nothing else — the template downloaded, 30 pupils with their parents' consents and 5
mentors with capacities filled in (openpyxl, as the curator would in Excel), the import,
matching, every suggestion accepted, the order on pairs with the school's own number,
its PDF downloaded.

Every click, typed field and page load of the person is counted (the spreadsheet is
not: it is the curator's own list) and printed as
`BENCH curator first month: N clicks, M fields, P page loads, S s`; the goal is at most
40 clicks and 20 fields. `make bench` runs the same journey
(tests/benchmarks/test_bench_curator_first_month.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from tests.e2e.layout import assert_fits

pytestmark = pytest.mark.e2e

PASSWORD = "Pervyi-Mesyac-2026"
CURATOR = "curator@first-month.test"
PROGRAMME = "Билет в будущее"
ORDER_NUMBER = "45-од"
SIGNED = date(2026, 9, 3)
PUPILS, MENTORS, CAPACITY = 30, 5, 6
GOAL_CLICKS, GOAL_FIELDS = 40, 20

# Fictional people: surnames × first names give 30 distinct pupils.
SURNAMES = ["Белова", "Галиева", "Дроздова", "Зарипова", "Котова", "Лебедева"]
FIRST_NAMES = ["Алина", "Вера", "Дарина", "Ксения", "Милана"]
FATHERS = ["Ильдар", "Олег", "Руслан", "Сергей", "Тимур"]
MENTOR_NAMES = [
    ("Ахметова", "Гульнара", "Рашидовна", "учитель математики", "математика"),
    ("Волков", "Андрей", "Петрович", "учитель физики", "физика"),
    ("Исаева", "Наталья", "Викторовна", "учитель химии", "химия"),
    ("Мухина", "Ольга", "Сергеевна", "учитель литературы", "литература"),
    ("Юсупов", "Марат", "Ильдарович", "учитель информатики", "информатика"),
]


@dataclass
class Tally:
    """What the person did: clicks (a file chosen counts as one), typed fields, and
    loads of the main frame (navigations, not htmx swaps)."""

    clicks: int = 0
    fields: int = 0
    loads: int = 0
    started: float = field(default_factory=time.monotonic)
    pdf: Path | None = None

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def fill(self, target: Locator, value: str) -> None:
        self.fields += 1
        target.fill(value)

    def choose_file(self, target: Locator, path: Path) -> None:
        self.clicks += 1
        target.set_input_files(path)

    def line(self) -> str:
        seconds = time.monotonic() - self.started
        return (
            f"BENCH curator first month: {self.clicks} clicks, {self.fields} fields, "
            f"{self.loads} page loads, {seconds:.1f} s"
        )


@pytest.fixture
def fresh_school(transactional_db):
    """A school with its curator and one programme, and nothing else."""
    from mentorship.models import OrganizationKind, Role
    from registry.catalog import ensure_standard_forms
    from registry.models import MentoringForm
    from tests.factories import (
        MembershipFactory,
        OrganizationFactory,
        ProgrammeFactory,
        UserFactory,
    )

    # A transactional test before this one flushed the migrated forms of mentoring.
    ensure_standard_forms(MentoringForm)
    region = OrganizationFactory(kind=OrganizationKind.REGION, slug="tatarstan")
    muni = OrganizationFactory(kind=OrganizationKind.MUNICIPALITY, parent=region, slug="chelny")
    school = OrganizationFactory(parent=muni, slug="school-17", short_name="МБОУ «СШ №17»")
    curator = UserFactory(email=CURATOR)
    curator.set_password(PASSWORD)
    curator.save()
    MembershipFactory(user=curator, organization=school, role=Role.CURATOR)
    ProgrammeFactory(organization=school, name=PROGRAMME)
    return school


def fill_the_list(template: Path, out: Path) -> None:
    """What the curator types in Excel: 30 pupils with a parent's signed consent each,
    5 teachers who mentor up to 6 pupils each and sign their own consents."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]

    def add(**cells) -> None:
        sheet.append([cells.get(h) for h in headers])

    for n in range(PUPILS):
        last = SURNAMES[n % len(SURNAMES)]
        first = FIRST_NAMES[n // len(SURNAMES)]
        father = FATHERS[n % len(FATHERS)]
        add(
            **{
                "Фамилия": last,
                "Имя": first,
                "Отчество": f"{father}овна",
                "Дата рождения": date(2011 + n % 4, 1 + n % 12, 1 + n % 27),
                "Категория": "обучающийся",
                "Класс": 9 - n % 4,
                "Литера": "А",
                "Наставник": "нет",
                "Наставляемый": "да",
                "Формы наставничества": "учитель – ученик",
                "Представитель: ФИО": f"{last} Елена {father}овна",
                "Представитель: кем приходится": "мать",
                "Представитель: телефон или эл. почта": f"+7 917 000-00-{n:02d}",
                "Согласие: дата подписания": SIGNED,
                "Согласие на бумаге": "да",
            }
        )
    for last, first, patronymic, position, subject in MENTOR_NAMES:
        add(
            **{
                "Фамилия": last,
                "Имя": first,
                "Отчество": patronymic,
                "Дата рождения": date(1984, 5, 17),
                "Категория": "педагог",
                "Должность": position,
                "Предмет": subject,
                "Стаж": 12,
                "Наставник": "да",
                "Наставляемый": "нет",
                "Формы наставничества": "учитель – ученик",
                "Вместимость": CAPACITY,
                "Согласие: дата подписания": SIGNED,
                "Согласие: цели": "участие в программе; база наставников",
            }
        )
    book.save(out)


def curator_first_month(page: Page, base: str, workdir: Path) -> Tally:
    """The journey in the browser; returns what it cost."""
    tally = Tally()
    page.on("framenavigated", lambda frame: frame == page.main_frame and _load(tally))

    page.goto(f"{base}/accounts/login/")
    tally.fill(page.get_by_label("Электронная почта"), CURATOR)
    tally.fill(page.get_by_label("Пароль"), PASSWORD)
    tally.click(page.get_by_role("button", name="Войти"))

    # The registry, its import page and the portal's own template.
    tally.click(page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Реестр"))
    tally.click(page.get_by_test_id("import-link"))
    with page.expect_download() as template:
        tally.click(page.get_by_test_id("template-link"))
    blank = workdir / "registry-template.xlsx"
    template.value.save_as(blank)
    filled = workdir / "registry-school-17.xlsx"
    fill_the_list(blank, filled)

    tally.choose_file(page.locator("input[type=file]"), filled)
    tally.click(page.get_by_role("button", name="Загрузить и проверить"))
    expect(page.get_by_test_id("ready")).to_be_visible()
    expect(page.locator("[data-count=consents]")).to_have_text(str(PUPILS + MENTORS))
    tally.click(page.get_by_test_id("confirm"))
    expect(page.get_by_text("Реестр загружен из файла")).to_be_visible()

    # Matching for the one programme; every suggestion accepted.
    tally.click(
        page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Пары и группы")
    )
    tally.click(page.get_by_test_id("run-matching"))
    tally.click(page.get_by_role("link", name=PROGRAMME))
    expect(page.get_by_test_id("suggestion")).to_have_count(PUPILS)
    expect(page.get_by_test_id("without-consent")).to_have_text("0")
    tally.click(page.get_by_test_id("accept-selected"))
    expect(page.get_by_text("будут утверждены приказом")).to_be_visible()

    # The order with the school's own number (and date), then its PDF.
    # The pairs page takes the school's own number; the date defaults to today.
    tally.fill(page.locator("[data-testid=order-form] input[name=number]"), ORDER_NUMBER)
    tally.click(page.get_by_test_id("issue-order"))
    status = page.get_by_test_id("document-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=60_000)
    with page.expect_download() as order:
        tally.click(page.get_by_test_id("document-download"))
    pdf = workdir / "order.pdf"
    order.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    tally.pdf = pdf
    return tally


def _load(tally: Tally) -> None:
    tally.loads += 1


def check_the_result(school, pdf: Path) -> None:
    """Everyone the pool allows is placed; the order lists every pair."""
    import subprocess

    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import ConsentState, MentorProfile, Pair, Participant

    with tenant_scope(school):
        people = list(Participant.objects.all())
        assert len(people) == PUPILS + MENTORS
        assert {p.consent_state for p in people} == {ConsentState.VALID}
        assert set(MentorProfile.objects.values_list("max_mentees", flat=True)) == {CAPACITY}
        pairs = list(Pair.objects.all())
        assert len(pairs) == PUPILS  # 5 mentors × 6 seats: every pupil placed
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Об утверждении наставнических пар" in text
    for last, *_rest in MENTOR_NAMES:
        assert last in text
    # The school's own number; every pair starts on the order's date (today's, the default).
    assert ORDER_NUMBER in text
    assert text.count(date.today().strftime("%d.%m.%Y")) >= PUPILS


def test_curator_first_month(page, live_server, fresh_school, tmp_path, shot):
    tally = curator_first_month(page, live_server.url, tmp_path)
    line = tally.line()
    print(line)
    shot("first-month-order")
    check_the_result(fresh_school, tally.pdf)
    assert tally.clicks <= GOAL_CLICKS, line
    assert tally.fields <= GOAL_FIELDS, line


def test_forms_that_come_back_later_are_recorded_from_the_queue_on_a_phone(
    page, live_server, fresh_school, tmp_path, shot
):
    """Three pupils imported without their consents; two signed forms come back with
    their scans: ticked, one date, scans chosen together, one click — at 390 px."""
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import ConsentState, Participant
    from registry.services.participants import participant_create
    from tests.factories import MINIMAL_PDF

    with tenant_scope(fresh_school):
        for last in ("Белова", "Котова", "Лебедева"):
            participant_create(
                actor=None,
                organization=fresh_school,
                last_name=last,
                first_name="Алина",
                patronymic="Руслановна",
                birth_date=date(2012, 4, 2),
                category="pupil",
                grade=8,
                is_mentee=True,
            )
    scans = []
    for name in ("Белова Алина согласие.pdf", "Котова.pdf"):
        path = tmp_path / name
        path.write_bytes(MINIMAL_PDF)
        scans.append(path)

    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Электронная почта").fill(CURATOR)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("org-title")).to_be_visible()
    page.goto(f"{base}/o/school-17/registry/consents/")
    assert_fits(page, 390)
    for last, parent in (("Белова", "Белова Ирина Олеговна"), ("Котова", "Котов Руслан Ильич")):
        row = page.get_by_test_id("queue-row").filter(has_text=last)
        row.get_by_role("checkbox").check()
        row.get_by_role("textbox").fill(parent)
        row.get_by_role("combobox").select_option("мать" if last == "Белова" else "отец")
    expect(page.locator("#ticked-count")).to_have_text("Отмечено: 2")
    page.locator("input[name=scans]").set_input_files(scans)
    shot("first-month-queue-390")
    page.get_by_test_id("record-ticked").click()
    expect(page.get_by_text("Записано 2 согласия (сканов: 2).")).to_be_visible()
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-row")).to_contain_text("Лебедева")
    with tenant_scope(fresh_school):
        states = dict(Participant.objects.values_list("last_name", "consent_state"))
        scanned = {
            p.last_name: bool(p.consents.get().scan)
            for p in Participant.objects.filter(consent_state=ConsentState.VALID)
        }
    assert states == {
        "Белова": ConsentState.VALID,
        "Котова": ConsentState.VALID,
        "Лебедева": ConsentState.MISSING,
    }
    assert scanned == {"Белова": True, "Котова": True}
