"""Two web nodes over the same PostgreSQL, Redis and object storage (issue 18).

Two gunicorn processes on different ports, as docker-compose runs two `web` replicas
behind nginx, plus a documents worker; files in moto's S3 server. A curator logs in on
node A, uploads evidence and asks for a PDF there, then reads both from node B with the
session started on A. Nothing is on either node's disk.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from mentorship.celery import app as celery_app
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity
from roadmaps.services import cascade
from tests.factories import MINIMAL_PDF, PASSWORD, make_roadmap
from tests.mentorship.test_s3_media import PREFIX, keys, s3, s3_server  # noqa: F401
from tests.workerproc import WorkerProcess, own_queues

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (make test sets it)"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One gunicorn web node of the portal."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"node-{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "mentorship.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"node exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"node did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def csrf(session: requests.Session) -> str:
    return session.cookies["csrftoken"]


def test_a_curator_works_on_node_a_and_reads_it_all_on_node_b(s3, cast, tmp_path, settings):  # noqa: F811
    # The nodes check passwords with the portal's hashers, not the tests' fast MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (cast.curator, cast.curator2):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    with tenant_scope(cast.school):
        activity = Activity.objects.first()

    prefix = f"test-{uuid.uuid4().hex[:12]}-"
    db = connection.settings_dict
    database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    storage_url = settings.MEDIA_STORAGE_URL
    common = {
        "DATABASE_URL": database,
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_STORAGE_URL": storage_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "QUEUE_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp_path / "no-local-media"),
        "VAR_DIR": str(tmp_path / "var"),
    }
    env = {
        **os.environ,
        **common,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
    }
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with own_queues(celery_app, prefix):
        worker = WorkerProcess(
            prefix=prefix,
            mail_dir=mail_dir,
            database=database,
            media_root=tmp_path / "no-local-media",
            queues=("documents",),
            **{k: v for k, v in common.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")},
        )
        a, b = Node("a", env, tmp_path), Node("b", env, tmp_path)
        try:
            a.wait_until_up()
            b.wait_until_up()
            _journey(a, b, cast, activity, s3)
        finally:
            a.stop()
            b.stop()
            worker.stop()
    assert not (tmp_path / "no-local-media").exists()


def _journey(a: Node, b: Node, cast, activity, s3) -> None:  # noqa: F811
    session = requests.Session()
    login = session.get(f"{a.url}/accounts/login/")
    assert login.status_code == 200
    response = session.post(
        f"{a.url}/accounts/login/",
        data={
            "username": cast.curator.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf(session),
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]

    # Node A: the evidence scan and a PDF request.
    school = f"/o/{cast.school.slug}"
    response = session.post(
        f"{a.url}{school}/roadmaps/activities/{activity.pk}/progress/",
        data={"status": "done", "csrfmiddlewaretoken": csrf(session)},
        files={"evidence_file": ("приказ.pdf", MINIMAL_PDF, "application/pdf")},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    response = session.post(
        f"{a.url}{school}/documents/request/",
        data={
            "kind": "staff_list",
            "date": "2026-09-01",
            "number": "",
            "csrfmiddlewaretoken": csrf(session),
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    document_id = int(re.search(r"/documents/(\d+)/", response.headers["Location"]).group(1))

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with unscoped_reads():
            document = Document.objects.get(pk=document_id)
        if document.status == DocumentStatus.READY:
            break
        assert document.status != DocumentStatus.FAILED, document.error
        time.sleep(0.2)
    assert document.status == DocumentStatus.READY

    # Node B, the session started on A: both files, read from the bucket.
    page = session.get(f"{b.url}{school}/", allow_redirects=False)
    assert page.status_code == 200
    evidence = session.get(f"{b.url}{school}/roadmaps/activities/{activity.pk}/evidence/")
    assert evidence.status_code == 200 and evidence.content == MINIMAL_PDF
    pdf = session.get(f"{b.url}{school}/documents/{document_id}/download/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert f"{PREFIX}/{document.file.name}" in keys(s3)
    # Another school's curator on node B: the same 404 as for a missing object.
    stranger = requests.Session()
    stranger.get(f"{b.url}/accounts/login/")
    stranger.post(
        f"{b.url}/accounts/login/",
        data={
            "username": cast.curator2.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": stranger.cookies["csrftoken"],
        },
    )
    foreign = stranger.get(f"{b.url}{school}/documents/{document_id}/download/")
    assert foreign.status_code == 404
