"""/metrics behind its token, the JSON request log, /healthz's backlog."""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from mentorship import metrics
from mentorship.documents.services import document_request
from mentorship.models import Document
from mentorship.observability import JsonFormatter, RequestIdFilter
from mentorship.ratelimit import redis_client
from mentorship.tenancy.scoping import unscoped_reads

TOKEN = "scrape-token-0123456789"
needs_redis = pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL")


@pytest.fixture
def prefix(settings):
    """Queues and task counters of this test only, on the shared Redis."""
    settings.QUEUE_PREFIX = f"test-{uuid.uuid4().hex[:12]}-"
    yield settings.QUEUE_PREFIX
    if settings.REDIS_URL:
        client = redis_client()
        for key in client.scan_iter(f"*{settings.QUEUE_PREFIX}*"):
            client.delete(key)


def scrape(client, token: str | None = TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/metrics", **headers)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus' text format, or None."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    head = f"{name}{{{wanted}}}" if labels else name
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if key == head or (labels and key.startswith(name + "{") and _has(key, labels)):
            return float(value)
    return None


def _has(key: str, labels: dict[str, str]) -> bool:
    return all(f'{k}="{v}"' in key for k, v in labels.items())


# --- /metrics -----------------------------------------------------------------------------


def test_metrics_do_not_exist_without_a_token_setting(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404
    assert scrape(client, None).status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"],
)
def test_metrics_refuse_a_missing_or_wrong_token(client, db, settings, header):
    settings.METRICS_TOKEN = TOKEN
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert b"portal_" not in response.content


def test_metrics_count_requests_by_route_and_report_the_backlog(client, cast, settings, prefix):
    settings.METRICS_TOKEN = TOKEN
    client.force_login(cast.curator)
    before = sample(
        scrape(client).content.decode(),
        "portal_http_requests_total",
        method="GET",
        route="o/<slug:org_slug>/",
        status="200",
    )
    assert client.get("/o/school-a1/").status_code == 200
    document_request(actor=None, organization=cast.school, kind="staff_list", schedule=False)
    with unscoped_reads():
        Document.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=7))
    if settings.REDIS_URL:
        redis_client().rpush(prefix + "documents", b"m1", b"m2")
        metrics.count_task("mentorship.documents.render", "success", 1.5)
        metrics.count_task("mentorship.documents.render", "success", 0.5)
        metrics.count_task("roadmaps.send_deadline_reminders", "failure", None)

    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    after = sample(
        text, "portal_http_requests_total", method="GET", route="o/<slug:org_slug>/", status="200"
    )
    assert after == (before or 0) + 1
    assert sample(text, "portal_http_request_duration_seconds_count", route="o/<slug:org_slug>/")
    assert sample(text, "portal_http_request_db_queries_count", route="o/<slug:org_slug>/")
    assert "/o/school-a1/" not in text  # patterns, never raw paths (or slugs) as labels
    assert sample(text, "portal_documents_pending") == 1
    assert 7 * 60 <= sample(text, "portal_documents_oldest_pending_seconds") < 9 * 60
    if settings.REDIS_URL:
        assert sample(text, "portal_queue_length", queue="documents") == 2
        assert sample(text, "portal_queue_length", queue="mail") == 0
        render = {"task": "mentorship.documents.render"}
        assert sample(text, "portal_celery_tasks_total", **render, state="success") == 2
        assert sample(text, "portal_celery_task_duration_seconds_total", **render) == 2.0
        reminders = {"task": "roadmaps.send_deadline_reminders", "state": "failure"}
        assert sample(text, "portal_celery_tasks_total", **reminders) == 1


# --- Request id and the JSON log ----------------------------------------------------------


@pytest.fixture
def json_log():
    """The request logger as LOG_FORMAT=json sets it up, into a buffer."""
    logger = logging.getLogger("mentorship.request")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_one_json_line_per_request_with_id_user_and_organisation(client, cast, json_log):
    client.force_login(cast.curator)
    response = client.get("/o/school-a1/", HTTP_X_REQUEST_ID="nginx-req-0001abcd")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "nginx-req-0001abcd"
    client.get("/o/school-b1/")  # a stranger's school: 404, still one line
    client.logout()
    client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces\n{}")

    home, foreign, health = json_log()
    assert home["request_id"] == "nginx-req-0001abcd"
    assert home["user_id"] == cast.curator.pk and home["organization"] == "school-a1"
    assert home["status"] == 200 and home["method"] == "GET" and home["path"] == "/o/school-a1/"
    assert home["route"] == "o/<slug:org_slug>/"
    assert home["duration_ms"] > 0 and home["db_queries"] > 0
    assert home["logger"] == "mentorship.request" and home["level"] == "INFO"
    assert foreign["status"] == 404 and foreign["organization"] is None
    assert foreign["user_id"] == cast.curator.pk
    assert len(foreign["request_id"]) == 32 and foreign["request_id"] != home["request_id"]
    # A header that does not look like an id is replaced, never copied into the log.
    assert health["request_id"] != "bad id with spaces\n{}" and health["user_id"] is None


def test_every_record_of_a_request_carries_its_id(client, db):
    from mentorship.observability import request_id_var

    record = logging.makeLogRecord({"msg": "x"})
    token = request_id_var.set("abc123abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "abc123abc123" and entry["message"] == "x"


@pytest.mark.parametrize(("value", "formatter"), [("json", "json"), ("", "text")])
def test_log_format_comes_from_the_environment(value, formatter):
    env = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    env.update(LOG_FORMAT=value, DJANGO_SETTINGS_MODULE="mentorship.settings")
    code = (
        "from django.conf import settings as s; "
        "print(s.LOGGING['handlers']['console']['formatter'], "
        "s.LOGGING['loggers']['mentorship.request']['level'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    level = "INFO" if formatter == "json" else "WARNING"
    assert out.stdout.split() == [formatter, level]


# --- /healthz -----------------------------------------------------------------------------


def test_healthz_reports_queue_lengths_and_the_oldest_pending_document(client, cast, prefix):
    data = client.get("/healthz").json()
    assert data["documents_pending"] == 0 and data["oldest_pending_document_seconds"] is None
    document_request(actor=None, organization=cast.school, kind="staff_list", schedule=False)
    with unscoped_reads():
        Document.objects.update(updated_at=timezone.now() - datetime.timedelta(seconds=90))
    data = client.get("/healthz").json()
    assert data["documents_pending"] == 1
    assert 90 <= data["oldest_pending_document_seconds"] < 150
    # In the tests Celery is eager (no broker to ask): queues are reported only by a
    # portal that has one.
    assert data["broker"] == "eager" and "queues" not in data


@needs_redis
def test_healthz_queue_lengths_come_from_redis(client, db, prefix):
    from mentorship.celery import app

    redis_client().rpush(prefix + "mail", b"a")
    redis_client().rpush(prefix + "heavy", b"a", b"b", b"c")
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        data = client.get("/healthz").json()
    finally:
        app.conf.task_always_eager = saved
    assert data["broker"] == "ok"
    assert data["queues"] == {"mail": 1, "documents": 0, "heavy": 3}
