"""Registry import/export: template, preview, all-or-nothing import, bad files, export."""

import io
import os
import stat
import time
import zipfile
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant
from registry.services.importing import RegistryFileError, read_table, registry_import
from registry.services.resources import HEADERS, TEMPLATE_HEADERS
from tests.factories import make_consented, make_participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Fictional people. Columns as in HEADERS.
PUPIL = [
    "Тестова", "Алина", "Игоревна", date(2012, 3, 14), "обучающийся", 8, "А", "", "", None,
    "", "", "нет", "да", "нет", "нет", "да", "учитель – ученик",
]  # fmt: skip
TEACHER = [
    "Пробный", "Олег", "Саввич", "02.05.1999", "педагог", None, "", "учитель физики",
    "физика", 2, "+7 900 000-00-01", "probny@example.org", "нет", "нет", "нет", "+", "+",
    "учитель – учитель; учитель – ученик",
]  # fmt: skip
STUDENT = [
    "Учебная", "Вера", "", "11.11.2006", "студент", None, "", "", "", None, "", "",
    "нет", "нет", "нет", "да", "нет", "студент – ученик",
]  # fmt: skip


def workbook(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_grade(row, grade, last_name=None):
    row = list(row)
    row[5] = grade
    if last_name:
        row[0] = last_name
    return row


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.REGISTRY_IMPORT_DIR = tmp_path / "registry-imports"
    return settings.REGISTRY_IMPORT_DIR


def count(org) -> int:
    with tenant_scope(org):
        return Participant.objects.count()


def upload(client, org, content: bytes, name="list.xlsx"):
    url = reverse("registry:import", kwargs={"org_slug": org.slug})
    file = io.BytesIO(content)
    file.name = name
    return client.post(url, {"file": file})


def run(org, content: bytes, name="list.xlsx", dry_run=False, actor=None):
    with tenant_scope(org):
        return registry_import(
            actor=actor, organization=org, table=read_table(content, name), dry_run=dry_run
        )


# --- Template -------------------------------------------------------------------------


def test_template_has_the_russian_headers(client, cast):
    client.force_login(cast.curator)
    response = client.get(reverse("registry:import_template", kwargs={"org_slug": "school-a1"}))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == TEMPLATE_HEADERS and headers[: len(HEADERS)] == HEADERS
    assert "Вместимость" in headers and "Согласие: дата подписания" in headers
    assert headers[:5] == ["Фамилия", "Имя", "Отчество", "Дата рождения", "Категория"]
    assert "Формы наставничества" in headers and "Эл. почта" in headers


def test_the_page_links_the_template_and_the_export(client, cast):
    client.force_login(cast.curator)
    response = client.get(reverse("registry:import", kwargs={"org_slug": "school-a1"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("registry:import_template", kwargs={"org_slug": "school-a1"}) in html
    assert reverse("registry:export", kwargs={"org_slug": "school-a1"}) in html


def test_an_empty_template_filled_in_imports(cast):
    from registry.services.exporting import template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    book.worksheets[0].append(PUPIL)
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(cast.school, buffer.getvalue())
    assert report.committed, report
    assert count(cast.school) == 1


# --- The journey: upload → preview → import ---------------------------------------------


def test_a_good_file_previews_then_imports_every_row(client, cast):
    client.force_login(cast.curator)
    response = upload(client, cast.school, workbook([PUPIL, TEACHER, STUDENT]))
    assert response.status_code == 302
    assert count(cast.school) == 0, "the preview writes nothing"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-count="new">3<' in html
    assert (
        'data-testid="confirm"' in html
        and "disabled" not in html.split('data-testid="confirm"')[1][:40]
    )

    done = client.post(response["Location"])
    assert done.status_code == 302
    assert count(cast.school) == 3
    with tenant_scope(cast.school):
        pupil = Participant.objects.get(last_name="Тестова")
        teacher = Participant.objects.get(last_name="Пробный")
        assert (pupil.grade, pupil.class_letter, pupil.birth_date) == (8, "А", date(2012, 3, 14))
        assert pupil.is_gifted and pupil.is_mentee and not pupil.is_mentor
        assert pupil.organization == cast.school and pupil.created_by == cast.curator
        assert [f.name for f in pupil.mentee_forms.all()] == ["учитель – ученик"]
        assert teacher.is_young_specialist and teacher.is_mentor and teacher.is_mentee
        assert teacher.email == "probny@example.org"
        assert {f.code for f in teacher.mentor_forms.all()} == {
            "teacher-teacher",
            "teacher-student",
        }
        assert pupil.consent_state == "missing"
    head = AuditEntry.objects.get(action="registry.import")
    assert head.details["created"] == 3 and head.details["matched"] == 0
    assert head.actor == cast.curator and head.organization == cast.school
    assert AuditEntry.objects.filter(action="participant.create").count() == 3
    # The file is gone once imported: a second click finds nothing.
    assert client.post(response["Location"]).status_code == 404
    assert count(cast.school) == 3


def test_reimport_matches_known_people_and_updates_them(cast):
    make_participant(
        cast.school,
        last_name="тестова",  # case differs: still the same person
        first_name="Алина",
        patronymic="Игоревна",
        birth_date=date(2012, 3, 14),
        grade=7,
        phone="+7 111",
    )
    report = run(cast.school, workbook([PUPIL, TEACHER]), actor=cast.curator)
    assert report.committed
    assert [r.status for r in report.rows] == ["matched", "new"]
    assert count(cast.school) == 2
    with tenant_scope(cast.school):
        pupil = Participant.objects.get(first_name="Алина")
        assert pupil.grade == 8  # updated from the file
        assert pupil.phone == "+7 111"  # a blank cell erases nothing
    update = AuditEntry.objects.get(action="participant.update")
    assert "grade" in update.details["fields"] and "phone" not in update.details["fields"]
    assert "mentee_forms" in update.details["fields"]  # none before, one from the file

    again = run(cast.school, workbook([PUPIL, TEACHER]))
    assert [r.status for r in again.rows] == ["matched", "matched"]
    assert count(cast.school) == 2
    # Nothing changed the second time: nothing to audit per person.
    assert AuditEntry.objects.filter(action="participant.update").count() == 1
    with tenant_scope(cast.school):
        pupil = Participant.objects.get(first_name="Алина")
        assert [f.name for f in pupil.mentee_forms.all()] == ["учитель – ученик"]


def test_one_bad_row_writes_nothing_and_says_where(client, cast):
    client.force_login(cast.curator)
    bad = with_grade(PUPIL, "7Б", last_name="Ошибкина")
    response = upload(client, cast.school, workbook([PUPIL, TEACHER, bad]))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-row="4" data-status="error"' in html
    assert "В столбце «Класс» должно быть целое число, а не «7Б»" in html
    assert "ConversionSyntax" not in html and "Traceback" not in html
    assert 'data-count="error">1<' in html
    assert "disabled" in html.split('data-testid="confirm"')[1][:40]

    refused = client.post(response["Location"])
    assert refused.status_code == 400
    assert count(cast.school) == 0
    assert not AuditEntry.objects.filter(action__startswith="registry.").exists()


def test_validation_errors_roll_back_good_rows_too(cast):
    teacher_too_young = list(TEACHER)
    teacher_too_young[3] = "01.01.2015"
    report = run(cast.school, workbook([PUPIL, teacher_too_young, STUDENT]))
    assert not report.committed and not report.ok
    (error,) = [r for r in report.rows if r.status == "error"]
    assert error.row == 3
    assert "неправдоподобен" in error.errors[0] and "«Дата рождения»" in error.errors[0]
    assert count(cast.school) == 0


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (5, 12, "Класс должен быть от 1 до 11"),
        (5, None, "укажите класс"),
        (3, "31.02.2012", "должна быть дата в виде ДД.ММ.ГГГГ"),
        (4, "директор", "неизвестная категория «директор»"),
        (12, "может быть", "должно быть «да» или «нет», а не «может быть»"),
        (17, "ученик – робот", "нет такой формы: «ученик – робот»"),
        (11, "not-an-email", "«Эл. почта»"),
        (0, "", "Укажите фамилию"),
        (6, "АБВГДЕЖ", "«Литера»"),
    ],
)
def test_each_rule_reads_in_russian(cast, column, value, expected):
    row = list(PUPIL)
    row[column] = value
    report = run(cast.school, workbook([row]))
    (outcome,) = report.rows
    assert outcome.status == "error"
    assert expected in " ".join(outcome.errors)


def test_mentor_or_mentee_is_required(cast):
    row = list(PUPIL)
    row[15] = row[16] = "нет"
    (outcome,) = run(cast.school, workbook([row])).rows
    assert "наставник, наставляемый или оба" in " ".join(outcome.errors)


def test_readable_spellings_of_dates_booleans_and_categories(cast):
    row = list(TEACHER)
    row[3] = 36282  # an Excel serial date: 02.05.1999
    row[4] = "Учитель"
    row[15], row[16] = 1, "ДА"
    row[9] = "2,0"
    pupil = list(PUPIL)
    pupil[3] = datetime(2012, 3, 14)
    pupil[5] = 8.0
    report = run(cast.school, workbook([row, pupil]))
    assert report.committed, report.rows
    with tenant_scope(cast.school):
        teacher = Participant.objects.get(last_name="Пробный")
        assert teacher.birth_date == date(1999, 5, 2)
        assert teacher.category == "teacher" and teacher.experience_years == 2


def test_the_same_person_twice_in_the_file_is_an_error_on_the_second_row(cast):
    report = run(cast.school, workbook([PUPIL, TEACHER, PUPIL]))
    statuses = [(r.row, r.status) for r in report.rows]
    assert statuses == [(2, "new"), (3, "new"), (4, "error")]
    assert "уже есть в файле в строке 2" in report.rows[2].errors[0]
    assert count(cast.school) == 0


def test_row_numbers_are_the_spreadsheets_even_after_blank_rows(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(PUPIL)
    sheet.append([])
    sheet.append([])
    sheet.append(with_grade(TEACHER, "пятый"))
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(cast.school, buffer.getvalue())
    assert [(r.row, r.status) for r in report.rows] == [(2, "new"), (5, "error")]


def test_the_organisation_comes_from_the_url_never_from_the_file(client, cast):
    client.force_login(cast.curator)
    headers = [*HEADERS, "Организация"]
    response = upload(client, cast.school, workbook([[*PUPIL, "school-a2"]], headers=headers))
    page = client.get(response["Location"])
    assert "«Организация»" in page.content.decode()  # listed as skipped
    client.post(response["Location"])
    assert count(cast.school) == 1 and count(cast.school2) == 0


# --- The failed rows file --------------------------------------------------------------


def test_failed_rows_file_has_the_original_columns_and_an_error_column(client, cast):
    client.force_login(cast.curator)
    # openpyxl would store a leading "=" as a formula: "@" starts one in Excel too.
    evil = with_grade(PUPIL, "7Б", last_name="@SUM(1+1)*cmd|' /C calc'!A0")
    response = upload(client, cast.school, workbook([TEACHER, evil]))
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    url = reverse("registry:import_failed", kwargs={"org_slug": "school-a1", "token": token})
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, "Ошибка"]
    assert len(rows) == 2  # the header and the one bad row
    assert rows[1][0] == "'@SUM(1+1)*cmd|' /C calc'!A0"  # escaped, not a formula
    assert rows[1][3] == datetime(2012, 3, 14)  # dates stay dates
    assert rows[1][-1].startswith("Строка 3:")
    assert "«Класс»" in rows[1][-1]

    # Fixed and uploaded again, the failed rows file imports (its «Ошибка» is skipped).
    book = load_workbook(io.BytesIO(download.content))
    book.worksheets[0]["F2"] = 7
    book.worksheets[0]["A2"] = "Исправленная"
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(cast.school, buffer.getvalue())
    assert report.committed and report.ignored_columns == []


# --- CSV --------------------------------------------------------------------------------


def csv_bytes(rows, encoding, delimiter=";") -> bytes:
    lines = [delimiter.join(HEADERS)]
    for row in rows:
        cells = [
            v.strftime("%d.%m.%Y") if isinstance(v, date) else "" if v is None else str(v)
            for v in row
        ]
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines).encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1251", ";"), ("utf-8", ",")]
)
def test_csv_in_utf8_with_bom_and_in_cp1251(client, cast, encoding, delimiter):
    teacher = list(TEACHER)
    teacher[17] = "учитель – учитель"  # no «;» inside a cell of a «;» file
    content = csv_bytes([PUPIL, teacher], encoding, delimiter)
    client.force_login(cast.curator)
    response = upload(client, cast.school, content, name="список.csv")
    assert response.status_code == 302
    client.post(response["Location"])
    with tenant_scope(cast.school):
        names = sorted(Participant.objects.values_list("last_name", flat=True))
    assert names == ["Пробный", "Тестова"]


def test_csv_with_excels_separator_hint(cast):
    content = b"sep=;\r\n" + csv_bytes([PUPIL, with_grade(TEACHER, "7Б")], "utf-8-sig")[3:]
    report = run(cast.school, content, name="list.csv")
    assert [(r.row, r.status) for r in report.rows] == [(2, "new"), (3, "error")]


def test_csv_bad_row_reports_its_line(cast):
    content = csv_bytes([PUPIL, with_grade(TEACHER, "7Б")], "cp1251")
    report = run(cast.school, content, name="list.csv")
    assert [(r.row, r.status) for r in report.rows] == [(2, "new"), (3, "error")]


# --- Bad files --------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\x00" * 40


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bomb(total_mb: int) -> bytes:
    """An .xlsx-looking archive whose sheet inflates to `total_mb` megabytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(total_mb):
                member.write(chunk)
    return buffer.getvalue()


def empty_sheet() -> bytes:
    return workbook([], headers=[])


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG, "list.xlsx", "не похож на таблицу"),
        (docx_bytes(), "list.docx", "Это документ Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "list.xls", "старом формате"),
        (b"PK\x03\x04broken", "list.xlsx", "повреждён"),
        (empty_sheet(), "list.xlsx", "Таблица пустая"),
        (workbook([]), "list.xlsx", "нет ни одной строки"),
        (
            workbook([["Иванов", "Иван"]], headers=["Фамилия", "Имя"]),
            "list.xlsx",
            "не хватает столбцов: «Отчество», «Дата рождения», «Категория», «Наставник», "
            "«Наставляемый»",
        ),
        (b"", "list.csv", "айл пуст"),  # Django's own «Отправленный файл пуст.»
    ],
    ids=[
        "png-as-xlsx",
        "docx",
        "xls",
        "broken-zip",
        "empty-sheet",
        "headers-only",
        "headers",
        "empty",
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(
    client, cast, _import_dir, content, name, message
):
    client.force_login(cast.curator)
    response = upload(client, cast.school, content, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Traceback" not in html and "Exception" not in html
    assert count(cast.school) == 0
    assert not _import_dir.exists() or not list(_import_dir.iterdir())


def test_a_zip_bomb_is_refused_before_parsing_and_fast(client, cast):
    for bomb in (zip_bomb(2), zip_bomb(120)):  # by ratio; by total inflated size
        assert len(bomb) < 1024 * 1024
        started = time.perf_counter()
        with pytest.raises(RegistryFileError, match="zip-бомб"):
            read_table(bomb, "list.xlsx")
        assert time.perf_counter() - started < 1

    client.force_login(cast.curator)
    response = upload(client, cast.school, zip_bomb(2))
    assert response.status_code == 400 and "zip-бомб" in response.content.decode()


def test_files_over_10_mb_are_refused(client, cast):
    client.force_login(cast.curator)
    response = upload(client, cast.school, b"a;b\n" * (3 * 1024 * 1024), name="big.csv")
    assert response.status_code == 400
    assert "больше 10 МБ" in response.content.decode()
    with pytest.raises(RegistryFileError, match="слишком большой"):
        read_table(b"x" * (10 * 1024 * 1024 + 1), "big.csv")
    assert count(cast.school) == 0


# --- Where the uploaded file waits -------------------------------------------------------


def _token(response) -> str:
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def test_the_waiting_file_is_private_and_bound_to_user_and_school(client, cast, _import_dir):
    client.force_login(cast.curator)
    response = upload(client, cast.school, workbook([PUPIL]))
    token = _token(response)
    path = _import_dir / token
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(_import_dir / f"{token}.json").st_mode) == 0o600

    kwargs = {"org_slug": "school-a1", "token": token}
    # Another school's curator, at their own school's address: the token is nobody's there.
    client.force_login(cast.curator2)
    for name in ("registry:import_preview", "registry:import_failed"):
        other = reverse(name, kwargs={**kwargs, "org_slug": "school-a2"})
        assert client.get(other).status_code == 404
    assert (
        client.post(
            reverse("registry:import_preview", kwargs={**kwargs, "org_slug": "school-a2"})
        ).status_code
        == 404
    )
    # …and at ours, not a member: 404 as well.
    assert client.get(reverse("registry:import_preview", kwargs=kwargs)).status_code == 404
    assert count(cast.school) == 0 and count(cast.school2) == 0


def test_an_expired_upload_is_gone(client, cast, _import_dir):
    client.force_login(cast.curator)
    token = _token(upload(client, cast.school, workbook([PUPIL])))
    meta = _import_dir / f"{token}.json"
    import json

    data = json.loads(meta.read_text())
    data["created"] -= 3601
    meta.write_text(json.dumps(data))
    url = reverse("registry:import_preview", kwargs={"org_slug": "school-a1", "token": token})
    assert client.post(url).status_code == 404
    assert count(cast.school) == 0
    assert not (_import_dir / token).exists()


# --- Roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registry:import", "registry:import_template", "registry:export"])
def test_only_the_curator_imports_and_exports(client, cast, name):
    url = reverse(name, kwargs={"org_slug": "school-a1"})
    for user in (cast.viewer, cast.methodist):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(cast.curator)
    assert client.get(url).status_code == 200


def test_viewer_cannot_post_an_import(client, cast):
    client.force_login(cast.viewer)
    assert upload(client, cast.school, workbook([PUPIL])).status_code == 403
    assert count(cast.school) == 0


# --- Export -----------------------------------------------------------------------------


def test_export_hides_people_without_consent_and_escapes_formulas(client, cast):
    make_consented(
        cast.school,
        last_name="=cmd|' /C calc'!A0",
        first_name="Согласная",
        phone="+7 900 111-22-33",
        email="ok@example.org",
    )
    make_participant(
        cast.school,
        last_name="Безсогласия",
        first_name="Пётр",
        phone="+7 900 999-99-99",
        email="secret@example.org",
    )
    make_participant(cast.school2, last_name="Чужой")
    client.force_login(cast.curator)
    response = client.get(reverse("registry:export", kwargs={"org_slug": "school-a1"}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    assert headers == [*HEADERS, "Согласие"]
    by_name = {r[1]: dict(zip(headers, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {"Согласная", "Пётр"}

    hidden = by_name["Пётр"]
    assert hidden["Фамилия"] == "Безсогласия" and hidden["Категория"] == "обучающийся"
    assert hidden["Согласие"] == "Нужно согласие"
    assert hidden["Телефон"] in (None, "") and hidden["Эл. почта"] in (None, "")
    assert hidden["Дата рождения"] in (None, "") and hidden["Класс"] in (None, "")
    assert b"secret@example.org" not in response.content

    shown = by_name["Согласная"]
    assert shown["Фамилия"] == "'=cmd|' /C calc'!A0"
    assert shown["Телефон"] == "'+7 900 111-22-33"
    assert shown["Эл. почта"] == "ok@example.org"
    assert shown["Дата рождения"] == datetime(2012, 3, 14)
    assert shown["Согласие"] == "Согласие есть"

    entry = AuditEntry.objects.get(action="registry.export")
    assert entry.actor == cast.curator and entry.organization == cast.school
    assert entry.details == {"rows": 2, "without_consent": 1}


def test_an_export_imports_back_as_matches(client, cast):
    make_consented(cast.school, last_name="Кругова")
    client.force_login(cast.curator)
    content = client.get(reverse("registry:export", kwargs={"org_slug": "school-a1"})).content
    report = run(cast.school, content)
    assert report.committed, report.rows
    assert [r.status for r in report.rows] == ["matched"]
    assert report.ignored_columns == ["Согласие"]


# --- The fast sheet reader against openpyxl ----------------------------------------------

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def excel_style_workbook(date1904: bool = False) -> bytes:
    """What Excel writes and openpyxl never does: shared strings (with rich text and
    phonetic hints), custom date formats, cells without references, errors, formulas."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}">'
            f'<workbookPr date1904="{int(date1904)}"/>'
            '<sheets><sheet name="Список" sheetId="7" r:id="rId3"/>'
            '<sheet name="Другой" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="/xl/worksheets/sheet9.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{SHEET_NS}"><si><t>Фамилия</t></si><si><t>Дата</t></si>'
            "<si><r><t>Ива</t></r><r><rPr><b/></rPr><t>нова</t></r>"
            '<rPh sb="0" eb="3"><t>ИВАНОВА</t></rPh></si>'
            '<si><t xml:space="preserve"> с пробелом </t></si></sst>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{SHEET_NS}"><numFmts count="1">'
            '<numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>'
            '<fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            '</cellStyleXfs><cellXfs count="4">'
            + "".join(
                f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                for n in (0, 14, 164, 4)
            )
            + "</cellXfs></styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{SHEET_NS}"><sheetData/></worksheet>',
        "xl/worksheets/sheet9.xml": (
            f'<worksheet xmlns="{SHEET_NS}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>40982</v></c>'
            '<c r="D3" s="2"><v>40982</v></c><c r="E3" s="3"><v>1234.5</v></c>'
            '<c r="F3" t="b"><v>1</v></c><c r="G3" t="e"><v>#N/A</v></c>'
            '<c r="H3" t="str"><f>A3&amp;"!"</f><v>Иванова!</v></c></row>'
            '<row><c t="s"><v>3</v></c><c><v>7</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("date1904", [False, True])
def test_the_sheet_reader_reads_what_openpyxl_reads(date1904):
    from mentorship.files import xlsx_rows

    content = excel_style_workbook(date1904)
    ours = list(xlsx_rows(content))
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    theirs = [
        (number, list(values))
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)
        if any(v is not None for v in values)
    ]

    def padded(rows):
        width = max(len(v) for _n, v in theirs + ours)
        return [(n, v + [None] * (width - len(v))) for n, v in rows]

    assert padded(ours) == padded(theirs)
    assert ours[1][1][:3] == [
        "Иванова",
        datetime(2016, 3, 15) if date1904 else datetime(2012, 3, 14),
        None,
    ]
    assert ours[2] == (4, [" с пробелом ", 7])


def test_the_sheet_reader_refuses_entities():
    from mentorship.files import xlsx_rows

    content = excel_style_workbook()
    evil = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(evil, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + data.replace(b"<t>Fam", b"<t>&x;").replace(
                        "<t>Фамилия</t>".encode(), b"<t>&x;</t>"
                    )
                )
            target.writestr(item, data)
    # lxml keeps the entity unresolved: the file's text never reaches the values.
    rows = list(xlsx_rows(evil.getvalue()))
    assert "root:" not in str(rows)
    assert rows[0][1][1] == "Дата"


# --- The demo files ---------------------------------------------------------------------


def test_demo_files_of_school_40(cast):
    from django.conf import settings

    folder = settings.BASE_DIR / "fixtures" / "registry"
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_demo", folder / "build_demo.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.HEADERS == HEADERS
    with_mistake = run(cast.school, (folder / "school-40-registry.xlsx").read_bytes())
    errors = [r for r in with_mistake.rows if r.status == "error"]
    assert [(r.row, r.name) for r in errors] == [(5, "Ломакин Арсений Глебович")]
    assert "а не «7Б»" in errors[0].errors[0]
    assert count(cast.school) == 0

    clean = run(cast.school, (folder / "school-40-registry-clean.xlsx").read_bytes())
    assert clean.committed and clean.counts["new"] == 23
    with tenant_scope(cast.school):
        people = Participant.objects.all()
        assert {p.grade for p in people if p.category == "pupil"} == set(range(6, 12))
        assert sum(p.is_young_specialist for p in people) == 2
        assert sum(p.category == "college_student" for p in people) == 2
        assert [p.position for p in people if p.category == "partner"] == [
            "инженер-конструктор ПАО «КАМАЗ»"
        ]


def crc_damaged(content: bytes) -> bytes:
    """The zip opens, but the worksheet's compressed bytes are flipped: a bad CRC or a
    zlib error while reading it (issue 11: BadZipFile / zlib.error gave a 500)."""
    data = bytearray(content)
    member = b"xl/worksheets/sheet1.xml"
    at = data.index(member) + len(member) + 10  # inside the member's compressed data
    for i in range(at, at + 12):
        data[i] ^= 0xFF
    return bytes(data)


def test_a_workbook_with_a_damaged_sheet_is_a_russian_400_and_writes_nothing(client, cast):
    client.force_login(cast.curator)
    content = workbook([PUPIL, TEACHER])
    response = upload(client, cast.school, crc_damaged(content))
    assert response.status_code == 400
    assert "повреждён" in response.content.decode()
    assert count(cast.school) == 0
