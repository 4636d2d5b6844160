"""The roadmap through the document pipeline: A4 landscape, the table, the approval stamp."""

import subprocess
from datetime import date

from django.urls import reverse

from mentorship.models import Document
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.services import authoring
from tests.factories import make_roadmap


def pdf_text(document) -> str:
    with document.file.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_methodist_prints_an_approved_roadmap(client, cast, django_capture_on_commit_callbacks):
    roadmap = make_roadmap(cast.muni, title="Дорожная карта города А")
    with tenant_scope(cast.muni):
        authoring.roadmap_approve(
            actor=cast.department,
            roadmap=roadmap,
            order_number="77-од",
            order_date=date(2026, 9, 3),
        )
    client.force_login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roadmaps:roadmap_pdf", args=["muni", roadmap.pk]))
    with tenant_scope(cast.muni):
        document = Document.objects.get()
    assert response["Location"] == reverse("document_detail", args=["muni", document.pk])
    assert document.status == "ready", document.error
    text = pdf_text(document)
    assert "УТВЕРЖДЕНА" in text and "№ 77-од" in text
    assert "Дорожная карта города А" in text
    assert "Мониторинг реализации дорожной карты" in text and "1 раз в квартал" in text
    assert "Стр. 1 из" in text


def test_school_viewer_cannot_print_and_foreign_roadmap_is_404(client, cast):
    mine = make_roadmap(cast.school)
    foreign = make_roadmap(cast.school2)
    client.force_login(cast.viewer)
    assert (
        client.post(reverse("roadmaps:roadmap_pdf", args=["school-a1", mine.pk])).status_code == 403
    )
    client.force_login(cast.curator)
    assert (
        client.post(reverse("roadmaps:roadmap_pdf", args=["school-a1", foreign.pk])).status_code
        == 404
    )
