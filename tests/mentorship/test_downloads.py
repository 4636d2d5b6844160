"""Issue 11, items 5-6: uploaded files leave the portal as downloads, never as pages.

An evidence or consent scan passed the upload checks, but a browser shown one inline
would render whatever it decides the bytes are, at the portal's address. Every view that
serves a stored file answers `Content-Disposition: attachment` with
`X-Content-Type-Options: nosniff`; the generated documents already did.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship.tenancy.scoping import tenant_scope
from tests.factories import MINIMAL_PDF, first_activity, first_consent
from tests.mentorship.test_documents import make_ready_document


def _assert_download(response, starts: bytes) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;"), response[
        "Content-Disposition"
    ]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(starts)


def test_evidence_is_downloaded_as_an_attachment(client, cast):
    """Before: roadmaps/views/progress.py served it with as_attachment=False."""
    activity = first_activity(cast.school)
    client.force_login(cast.curator)
    posted = client.post(
        reverse(
            "roadmaps:activity_progress",
            kwargs={"org_slug": cast.school.slug, "activity_id": activity.pk},
        ),
        {"status": "done", "evidence_file": SimpleUploadedFile("акт.pdf", MINIMAL_PDF)},
    )
    assert posted.status_code == 302
    response = client.get(
        reverse(
            "roadmaps:activity_evidence",
            kwargs={"org_slug": cast.school.slug, "activity_id": activity.pk},
        )
    )
    _assert_download(response, b"%PDF-")
    assert response["Content-Type"] == "application/pdf"


def test_a_consent_scan_is_downloaded_as_an_attachment(client, cast):
    """Before: registry/views/consent.py served it with as_attachment=False."""
    consent = first_consent(cast.school)
    client.force_login(cast.curator)
    response = client.get(
        reverse(
            "registry:consent_scan", kwargs={"org_slug": cast.school.slug, "consent_id": consent.pk}
        )
    )
    _assert_download(response, b"%PDF-")
    # Another school's curator: the same address is a 404.
    client.force_login(cast.curator2)
    other = client.get(
        reverse(
            "registry:consent_scan",
            kwargs={"org_slug": cast.school2.slug, "consent_id": consent.pk},
        )
    )
    assert other.status_code == 404


@pytest.mark.parametrize("name", ["scan.html", "scan.svg", "scan"])
def test_a_stored_name_that_a_browser_would_render_is_still_a_download(client, cast, name):
    """Whatever the stored name says, the browser is told to save the file, not show it."""
    activity = first_activity(cast.school)
    with tenant_scope(cast.school):
        activity.evidence_file.save(name, SimpleUploadedFile(name, b"<script>1</script>"))
    client.force_login(cast.curator)
    response = client.get(
        reverse(
            "roadmaps:activity_evidence",
            kwargs={"org_slug": cast.school.slug, "activity_id": activity.pk},
        )
    )
    _assert_download(response, b"<script>")


def test_a_generated_document_is_downloaded_as_an_attachment(client, cast):
    document = make_ready_document(cast.school, number="7")
    client.force_login(cast.curator)
    response = client.get(
        reverse(
            "document_download", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
        )
    )
    _assert_download(response, b"%PDF-")
