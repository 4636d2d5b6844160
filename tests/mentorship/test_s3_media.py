"""Media in S3-compatible object storage (MEDIA_STORAGE_URL), against moto's S3 server.

moto runs as a real HTTP server in a thread (ThreadedMotoServer), so boto3 and
django-storages talk to it over the network exactly as they would to MinIO: evidence
uploaded on the web, a PDF rendered by the document task, a registry upload waiting for
its confirmation all land in the bucket, nothing in MEDIA_ROOT, and users get them only
through the permission-checked views.
"""

from __future__ import annotations

import io
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from mentorship.media_storage import MediaStorageURLError, media_storage
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.models import Activity
from roadmaps.services import cascade
from tests.factories import MINIMAL_PDF, make_roadmap
from tests.registry.test_import_export import PUPIL, count, workbook

BUCKET = "portal-media"
PREFIX = "media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch, tmp_path):
    """The portal's media in a fresh bucket of the moto server; MEDIA_ROOT must stay empty."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    for bucket in client.list_buckets()["Buckets"]:  # left by an earlier test
        for item in client.list_objects_v2(Bucket=bucket["Name"]).get("Contents", []):
            client.delete_object(Bucket=bucket["Name"], Key=item["Key"])
        client.delete_bucket(Bucket=bucket["Name"])
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "local-media"
    settings.REGISTRY_IMPORT_DIR = tmp_path / "local-imports"
    url = f"s3://{BUCKET}/{PREFIX}?endpoint_url={s3_server}&region_name=us-east-1"
    settings.MEDIA_STORAGE_URL = url
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(url)}
    yield client
    assert not Path(settings.MEDIA_ROOT).exists(), "a file went to the local disk"
    assert not Path(settings.REGISTRY_IMPORT_DIR).exists(), "an upload went to the local disk"


def keys(client, prefix: str = "") -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def assert_private(client, key: str) -> None:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)  # no AllUsers


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_storage_is_the_bucket(s3):
    assert default_storage.__class__.__name__ == "S3Storage"
    name = default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))
    assert keys(s3) == [f"{PREFIX}/{name}"]
    assert_private(s3, f"{PREFIX}/{name}")
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"hello"


def test_evidence_goes_to_the_bucket_and_out_only_through_the_tenant(
    s3, client, cast, django_capture_on_commit_callbacks
):
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    client.force_login(cast.curator)
    progress = reverse(
        "roadmaps:activity_progress", kwargs={"org_slug": "school-a1", "activity_id": activity.pk}
    )
    scan = io.BytesIO(MINIMAL_PDF)
    scan.name = "приказ.pdf"
    response = client.post(progress, {"status": "done", "evidence_file": scan})
    assert response.status_code == 302

    stored = keys(s3, f"{PREFIX}/evidence/")
    assert len(stored) == 1 and stored[0].endswith(".pdf")
    assert s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read() == MINIMAL_PDF
    assert_private(s3, stored[0])

    evidence = reverse(
        "roadmaps:activity_evidence", kwargs={"org_slug": "school-a1", "activity_id": activity.pk}
    )
    response = client.get(evidence)
    assert response.status_code == 200 and body(response) == MINIMAL_PDF
    assert response["Content-Disposition"].startswith("attachment;")
    # Another school's curator: the same 404 at her school's address and at ours.
    client.force_login(cast.curator2)
    assert client.get(evidence).status_code == 404
    foreign = evidence.replace("school-a1", "school-a2")
    assert client.get(foreign).status_code == 404

    # A new scan replaces the old object once the change commits.
    client.force_login(cast.curator)
    second = io.BytesIO(MINIMAL_PDF + b"\n% second\n")
    second.name = "second.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(progress, {"status": "done", "evidence_file": second})
    now = keys(s3, f"{PREFIX}/evidence/")
    assert len(now) == 1 and now != stored


def test_a_generated_pdf_is_stored_in_the_bucket_and_downloaded_by_the_view(
    s3, client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.curator)
    request = reverse("document_request", kwargs={"org_slug": "school-a1"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request, {"kind": "staff_list", "date": "2026-09-01"})
    assert response.status_code == 302, response.content[:2000]
    with tenant_scope(cast.school):
        document = Document.objects.get()
    assert document.status == DocumentStatus.READY, document.error

    stored = keys(s3, f"{PREFIX}/documents/school-a1/")
    assert stored == [f"{PREFIX}/{document.file.name}"]
    assert_private(s3, stored[0])
    pdf = s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read()
    assert pdf.startswith(b"%PDF")

    download = reverse(
        "document_download", kwargs={"org_slug": "school-a1", "document_id": document.pk}
    )
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == pdf
    client.force_login(cast.curator2)
    assert client.get(download).status_code == 404
    assert client.get(download.replace("school-a1", "school-a2")).status_code == 404

    # Rendering again stores a new object and deletes the old one.
    client.force_login(cast.curator)
    regenerate = reverse(
        "document_regenerate", kwargs={"org_slug": "school-a1", "document_id": document.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(regenerate).status_code == 302
    again = keys(s3, f"{PREFIX}/documents/school-a1/")
    assert len(again) == 1 and again != stored


def test_a_registry_upload_waits_in_the_bucket_until_imported(s3, client, cast):
    client.force_login(cast.curator)
    file = io.BytesIO(workbook([PUPIL]))
    file.name = "list.xlsx"
    upload = reverse("registry:import", kwargs={"org_slug": "school-a1"})
    response = client.post(upload, {"file": file})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    pending = f"{PREFIX}/pending/registry-imports/"
    assert keys(s3, pending) == [f"{pending}{token}", f"{pending}{token}.json"]
    assert_private(s3, f"{pending}{token}")

    preview = reverse("registry:import_preview", kwargs={"org_slug": "school-a1", "token": token})
    client.force_login(cast.curator2)  # not hers: nothing to see
    assert client.get(preview.replace("school-a1", "school-a2")).status_code == 404
    client.force_login(cast.curator)
    assert client.get(preview).status_code == 200
    assert client.post(preview).status_code == 302
    assert count(cast.school) == 1
    assert keys(s3, pending) == []
    # A second click on the same preview finds nothing to import.
    assert client.post(preview).status_code == 404
    assert count(cast.school) == 1


@pytest.mark.parametrize(
    "url",
    [
        "ftp://bucket",
        "s3://",
        "s3://key:secret@bucket",
        "s3://bucket?endpoint=http://x",
    ],
)
def test_a_storage_url_that_cannot_be_read_is_refused(url):
    with pytest.raises(MediaStorageURLError):
        media_storage(url)


def test_the_storage_url_options():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    config = media_storage("s3://b/p/q?endpoint_url=http://minio:9000&region_name=ru-1&verify=0")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "b" and options["location"] == "p/q"
    assert options["endpoint_url"] == "http://minio:9000" and options["addressing_style"] == "path"
    assert options["region_name"] == "ru-1" and options["verify"] is False
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
    aws = media_storage("s3://b")["OPTIONS"]
    assert aws["location"] == "" and "endpoint_url" not in aws and "addressing_style" not in aws
