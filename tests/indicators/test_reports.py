"""The school and municipal reports through the document pipeline, the command, and who
may request and download them."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentorship.documents.services import document_render, document_request
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.documents.reports import report_year
from tests.indicators.conftest import YEAR, contingent, mentor, pair, person, pupils

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _some_data(cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 12))
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 2), form="teacher-teacher")
    contingent(cast.school, pupils_10_19=120, pupils_15_19=40)
    contingent(cast.muni, enterprises=15)


def _render(org, kind, year=YEAR):
    document = document_request(
        actor=None, organization=org, kind=kind, params={"year": year}, schedule=False
    )
    document = document_render(document.pk)
    assert document.status == DocumentStatus.READY, document.error
    return document


def test_municipal_report_pdf(cast, tmp_path):
    _some_data(cast)
    cast.muni.document_header = "Управление образования города А"
    cast.muni.save()
    document = _render(cast.muni, "municipal_report")
    with tenant_scope(cast.muni):
        text = pdf_text(document.file.read(), tmp_path)
    flat = " ".join(text.split())
    assert "Управление образования города А" in flat
    assert "ИТОГОВЫЙ ОТЧЁТ" in flat
    assert f"о реализации целевой модели наставничества за {YEAR} год" in flat
    assert "Показатели по образовательным организациям" in flat
    assert "Школа А1" in flat and "Школа А2" in flat
    assert "10,0 %" in flat  # 12 of 120
    assert "нет знам." in flat  # school 2 entered nothing
    assert "Стр. 1 из" in flat
    # School 2's two mentees are a small count: not printed as a figure.
    assert not re.search(r"(?<!\d)2 / ", flat)


def test_school_report_pdf(cast, tmp_path):
    _some_data(cast)
    document = _render(cast.school, "school_report")
    with tenant_scope(cast.school):
        text = pdf_text(document.file.read(), tmp_path)
    flat = " ".join(text.split())
    assert "ОТЧЁТ" in flat and "Стр. 1 из" in flat
    assert "учитель – ученик" in flat
    assert "Дети 10–19 лет — наставляемые 12 120 10,0 %" in flat


def test_a_school_report_names_nobody(cast, tmp_path):
    child = person(cast.school, last_name="Секретова")
    pair(cast.school, [mentor(cast.school, last_name="Наставникова")], [child])
    document = _render(cast.school, "school_report")
    with tenant_scope(cast.school):
        flat = " ".join(pdf_text(document.file.read(), tmp_path).split())
    assert "Секретова" not in flat and "Наставникова" not in flat


def test_report_year_comes_from_params_or_the_date(cast):
    today = datetime.date(YEAR, 11, 30)
    document = Document(organization=cast.muni, params={"year": "2024"}, date=today)
    assert report_year(document) == 2024
    document = Document(organization=cast.muni, params={}, date=datetime.date(2025, 11, 30))
    assert report_year(document) == 2025
    from mentorship.documents.kinds import DocumentDataError

    with pytest.raises(DocumentDataError):
        report_year(Document(organization=cast.muni, params={"year": "abc"}, date=today))
    with pytest.raises(DocumentDataError):
        report_year(Document(organization=cast.muni, params={"year": 1999}, date=today))


def test_render_document_command(cast, tmp_path):
    _some_data(cast)
    out = tmp_path / "municipal.pdf"
    call_command("render_document", "municipal_report", org="muni", year=YEAR - 1, out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    flat = " ".join(pdf_text(out.read_bytes(), tmp_path).split())
    assert f"за {YEAR - 1} год" in flat
    school_out = tmp_path / "school.pdf"
    call_command(
        "render_document", "school_report", org="school-a1", year=YEAR, out=str(school_out)
    )
    assert school_out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("render_document", "municipal_report", org="school-a1", out=str(out))


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("curator", "school", 302),
        ("viewer", "school", 403),
        ("methodist", "muni", 302),
        ("department", "muni", 302),
        # The region's own report (issue 17): the regional centre asks for it.
        ("regional", "region", 302),
    ],
)
def test_who_may_request_a_report(client, cast, who, where, status):
    client.force_login(getattr(cast, who))
    org = getattr(cast, where)
    response = client.post(f"/o/{org.slug}/indicators/report/", {"year": YEAR})
    assert response.status_code == status


def test_department_requests_and_downloads_the_municipal_report(
    client, cast, django_capture_on_commit_callbacks
):
    _some_data(cast)
    client.force_login(cast.department)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/o/{cast.muni.slug}/indicators/report/", {"year": YEAR})
    assert response.status_code == 302
    with tenant_scope(cast.muni):
        document = Document.objects.get(kind="municipal_report")
    assert document.status == DocumentStatus.READY, document.error
    assert document.params == {"year": YEAR}
    download = client.get(f"/o/{cast.muni.slug}/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The department also reads a school's report filed at the school.
    school_doc = _render(cast.school, "school_report")
    response = client.get(f"/o/{cast.school.slug}/documents/{school_doc.pk}/download/")
    assert response.status_code == 200
