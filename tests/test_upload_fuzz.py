"""Every upload point takes a few hundred damaged files and answers each in Russian: no
5xx, and nothing is written for a file it refuses (issue 11, item 5).

The points: the registry import (xlsx), the roadmap import (docx), an activity's
evidence (PDF, PNG, Word) and consent scans uploaded together in the consent queue (PDF).
A damaged copy that still opens may be accepted; then it is stored as the good file is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mentorship.tenancy.scoping import tenant_scope
from registry.models import Consent, Participant
from roadmaps.models import Activity, Roadmap
from roadmaps.services import cascade
from tests.factories import MINIMAL_PDF, make_participant, make_roadmap
from tests.fuzz import docx, mutations, png

ROADMAP_DOCX = Path(__file__).resolve().parents[1] / "fixtures" / "roadmaps" / "oblivsky.docx"
PER_POINT = 75


def _registry_workbook() -> bytes:
    from io import BytesIO

    from registry.services.resources import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([column.header for column in COLUMNS])
    for n in range(20):
        sheet.append([f"Тестова{n}", "Алина", "Игоревна", "14.03.2012", "обучающийся", 8, "А"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _url(name: str, org, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def _refused_or_taken(response) -> bool:
    """True when the file was refused with a page that says why (the form again)."""
    assert response.status_code < 500, response.content.decode()[:500]
    refused = response.status_code in (200, 400) and "сохранена" not in response.content.decode()
    if refused:
        html = response.content.decode()
        # The form comes back with the reason beside the field or above the form.
        assert "invalid-feedback" in html or "alert-danger" in html, html[html.find("<main") :]
    return refused


def test_the_registry_import_refuses_damaged_workbooks(client, cast):
    client.force_login(cast.curator)
    outcomes = {"refused": 0, "previewed": 0}
    for data in mutations(_registry_workbook(), PER_POINT, seed=21):
        response = client.post(
            _url("registry:import", cast.school),
            {"file": SimpleUploadedFile("list.xlsx", data)},
        )
        outcomes["refused" if _refused_or_taken(response) else "previewed"] += 1
        with tenant_scope(cast.school):
            # An upload only previews: the people are written on confirmation.
            assert Participant.objects.count() == 0
    assert outcomes["refused"] > PER_POINT // 2, outcomes


def test_the_roadmap_import_refuses_damaged_documents(client, cast):
    client.force_login(cast.methodist)
    outcomes = {"refused": 0, "previewed": 0}
    for data in mutations(ROADMAP_DOCX.read_bytes(), PER_POINT, seed=22):
        response = client.post(
            _url("roadmaps:roadmap_import", cast.muni),
            {
                "period_start": "2021-09-01",
                "period_end": "2022-08-31",
                "title": "",
                "file": SimpleUploadedFile("roadmap.docx", data),
            },
        )
        outcomes["refused" if _refused_or_taken(response) else "previewed"] += 1
        with tenant_scope(cast.muni):
            assert Roadmap.objects.count() == 0
    assert outcomes["refused"] > PER_POINT // 2, outcomes


@pytest.mark.parametrize(
    ("original", "name"),
    [(MINIMAL_PDF, "scan.pdf"), (png(), "scan.png"), (docx(), "order.docx")],
    ids=["pdf", "png", "docx"],
)
def test_activity_evidence_refuses_damaged_scans(client, cast, original, name):
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    with tenant_scope(cast.school):
        activity = Activity.objects.order_by("due_date").first()
    client.force_login(cast.curator)
    refused = 0
    for data in mutations(original, PER_POINT // 3, seed=23):
        with tenant_scope(cast.school):
            before = Activity.objects.get(pk=activity.pk)
        response = client.post(
            _url("roadmaps:activity_progress", cast.school, activity_id=activity.pk),
            {"status": "in_progress", "evidence_file": SimpleUploadedFile(name, data)},
        )
        if _refused_or_taken(response):
            refused += 1
            with tenant_scope(cast.school):
                after = Activity.objects.get(pk=activity.pk)
            assert (after.status, after.evidence_file.name) == (
                before.status,
                before.evidence_file.name,
            )
    assert refused > 0


def test_the_consent_queue_refuses_damaged_scans(client, cast):
    client.force_login(cast.curator)
    refused = 0
    for n, data in enumerate(mutations(MINIMAL_PDF, PER_POINT, seed=24)):
        # A new pupil each time, the only one ticked: the scan's name matches her.
        pupil = make_participant(cast.school, last_name=f"Скан{n:03d}вна", first_name="Мария")
        with tenant_scope(cast.school):
            consents_before = Consent.objects.count()
        response = client.post(
            _url("registry:consent_queue_record", cast.school),
            {
                "given_on": "2026-09-01",
                "person": [pupil.pk],
                f"giver_name_{pupil.pk}": "Родитель Ольга Петровна",
                f"giver_relation_{pupil.pk}": "мать",
                "scans": [SimpleUploadedFile(f"Скан{n:03d}вна.pdf", data)],
            },
        )
        if _refused_or_taken(response):
            refused += 1
            with tenant_scope(cast.school):
                assert Consent.objects.count() == consents_before
    assert refused > PER_POINT // 2
