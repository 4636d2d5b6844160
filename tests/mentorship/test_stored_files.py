"""Replaced or deleted evidence and consent scans leave the storage once the change commits
(issue 11, item 6): before, every replaced scan stayed on disk for good."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from mentorship.tenancy.scoping import tenant_scope
from registry.models import Consent
from registry.services.consent import participant_depersonalize
from roadmaps.models import Activity
from roadmaps.services import authoring, progress
from tests.factories import MINIMAL_PDF, first_consent, make_roadmap


def _pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def _activity(cast) -> Activity:
    roadmap = make_roadmap(cast.school)
    with tenant_scope(cast.school):
        return roadmap.activities.order_by("pk").first()


def _mark(cast, activity: Activity, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.school):
        progress.activity_set_progress(
            actor=cast.curator, activity=activity, status="done", evidence_file=_pdf()
        )
        activity.refresh_from_db()
    return activity.evidence_file.name


def test_a_replaced_evidence_scan_is_deleted_after_commit(cast, django_capture_on_commit_callbacks):
    activity = _activity(cast)
    first = _mark(cast, activity, django_capture_on_commit_callbacks)
    assert default_storage.exists(first)

    second = _mark(cast, activity, django_capture_on_commit_callbacks)

    assert second != first and default_storage.exists(second)
    assert not default_storage.exists(first)


def test_a_failed_replacement_keeps_the_old_scan(cast, django_capture_on_commit_callbacks):
    activity = _activity(cast)
    first = _mark(cast, activity, django_capture_on_commit_callbacks)

    with (
        django_capture_on_commit_callbacks(execute=True),
        tenant_scope(cast.school),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        progress.activity_set_progress(
            actor=cast.curator, activity=activity, status="done", evidence_file=_pdf()
        )
        raise RuntimeError("rolled back")

    assert default_storage.exists(first)


def test_deleting_an_activity_or_its_section_deletes_the_scan(
    cast, django_capture_on_commit_callbacks
):
    activity = _activity(cast)
    name = _mark(cast, activity, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.school):
        authoring.section_delete(actor=cast.curator, section=activity.section)
    assert not default_storage.exists(name)


def test_depersonalising_deletes_the_consent_scans_after_commit(
    cast, django_capture_on_commit_callbacks
):
    consent = first_consent(cast.school)
    name = consent.scan.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.school):
        participant_depersonalize(actor=None, participant=consent.participant)
        consent.refresh_from_db()

    assert consent.scan.name == "" and not default_storage.exists(name)


def test_deleting_a_consent_deletes_its_scan(cast, django_capture_on_commit_callbacks):
    consent = first_consent(cast.school)
    name = consent.scan.name
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.school):
        Consent.objects.filter(pk=consent.pk).delete()
    assert not default_storage.exists(name)
