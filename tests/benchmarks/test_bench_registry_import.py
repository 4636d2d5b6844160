"""A 10,000-row registry file: read, every row validated, imported all or nothing.

Run by `make bench` only; prints its figures for the closing notes. A thousand of the
people are already in the registry, so matching is measured too.
"""

import io
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant
from registry.services.importing import read_table, registry_import
from registry.services.resources import HEADERS
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.bench

ROWS = 10_000
KNOWN = 1_000
SURNAMES = ["Белова", "Грачёва", "Дроздова", "Журавлёва", "Лебедева", "Орлова", "Синицына"]
NAMES = ["Анна", "Варвара", "Дарья", "Злата", "Кира", "Милана", "Полина", "Ульяна"]
PATRONYMICS = ["Андреевна", "Глебовна", "Денисовна", "Кирилловна", "Матвеевна", "Фёдоровна"]


def person(i: int) -> list:
    """A unique fictional person per index: name combinations times birth dates."""
    name = (
        SURNAMES[i % 7],
        NAMES[(i // 7) % 8],
        PATRONYMICS[(i // 56) % 6],
    )
    if i % 10 == 9:  # every tenth is a teacher
        birth = date(1975, 1, 1) + timedelta(days=i // 336)
        return [*name, birth, "педагог", None, "", "учитель", "история", i % 30, "", "",
                "нет", "нет", "нет", "да", "нет", "учитель – ученик"]  # fmt: skip
    birth = date(2009, 1, 1) + timedelta(days=i // 336)
    return [*name, birth, "обучающийся", 6 + i % 6, "АБВГ"[i % 4], "", "", None,
            "", "", "нет", "да" if i % 5 == 0 else "нет", "нет", "нет", "да",
            "учитель – ученик; ученик – ученик"]  # fmt: skip


def excel_like(row: list) -> list:
    # Excel stores no empty cells; openpyxl would write "" as a cell of its own.
    return [None if v == "" else v for v in row]


def big_workbook() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Участники")
    sheet.append(HEADERS)
    for i in range(ROWS):
        sheet.append(excel_like(person(i)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_10000_rows_all_or_nothing(db):
    school = OrganizationFactory(slug="bench-school", short_name="Школа замера")
    curator = UserFactory(email="curator@bench-import.test")
    content = big_workbook()
    with tenant_scope(school):
        Participant.objects.bulk_create(
            Participant(
                organization=school,
                last_name=p[0],
                first_name=p[1],
                patronymic=p[2],
                birth_date=p[3],
                category="pupil" if p[4] == "обучающийся" else "teacher",
                grade=p[5],
                is_mentee=True,
            )
            for p in map(person, range(0, ROWS, ROWS // KNOWN))
        )

        started = time.perf_counter()
        preview = registry_import(
            actor=curator, organization=school, table=read_table(content, "big.xlsx"), dry_run=True
        )
        preview_s = time.perf_counter() - started
        assert preview.ok and not preview.committed
        assert Participant.objects.count() == KNOWN

        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            table = read_table(content, "big.xlsx")
            read_s = time.perf_counter() - started
            report = registry_import(actor=curator, organization=school, table=table)
        import_s = time.perf_counter() - started
        # This process's own CPU time: the wall clock also counts other work on the machine.
        cpu_s = time.process_time() - cpu

        assert report.committed, report.general_errors
        assert report.counts == {"total": ROWS, "new": ROWS - KNOWN, "matched": KNOWN, "error": 0}
        assert Participant.objects.count() == ROWS
        assert Participant.mentee_forms.through.objects.count() > ROWS
    assert AuditEntry.objects.filter(action="participant.create").count() == ROWS - KNOWN
    print(
        f"\nBENCH registry import {ROWS} rows: {import_s:.1f} s "
        f"(CPU {cpu_s:.1f} s; reading the xlsx {read_s:.1f} s; {len(queries)} queries; "
        f"{KNOWN} matched); dry-run preview {preview_s:.1f} s; file {len(content) // 1024} KB"
    )
    assert import_s < 20


def test_one_bad_row_in_10000_writes_nothing(db):
    school = OrganizationFactory(slug="bench-school-2", short_name="Школа замера 2")
    rows = [person(i) for i in range(ROWS)]
    rows[7_777][5] = "7Б"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Участники")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(excel_like(row))
    buffer = io.BytesIO()
    book.save(buffer)
    with tenant_scope(school):
        started = time.perf_counter()
        report = registry_import(
            actor=None, organization=school, table=read_table(buffer.getvalue(), "bad.xlsx")
        )
        elapsed = time.perf_counter() - started
        assert not report.committed
        assert [r.row for r in report.rows if r.status == "error"] == [7_779]
        assert Participant.objects.count() == 0
    print(f"\nBENCH registry import {ROWS} rows with one bad row, refused: {elapsed:.1f} s")
