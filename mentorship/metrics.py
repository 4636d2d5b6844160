"""Prometheus metrics at /metrics, behind a bearer token (METRICS_TOKEN).

- requests: `portal_http_requests_total{method,route,status}`, latency
  `portal_http_request_duration_seconds{method,route}`, database queries per request
  `portal_http_request_db_queries{method,route}` (histograms), by URL pattern (bounded
  label values, never the raw path), counted by mentorship.observability's middleware;
- Celery: `portal_celery_tasks_total{task,state}` and
  `portal_celery_task_duration_seconds_total{task}`, counted by the workers in Redis
  (every worker process, every node) and read here at scrape time;
- backlog: `portal_queue_length{queue}` (Redis), `portal_documents_pending` and
  `portal_documents_oldest_pending_seconds` (the database), read at scrape time.

gunicorn's worker processes each count their own requests: with PROMETHEUS_MULTIPROC_DIR
set (docker-compose sets it) prometheus_client writes them to files there and a scrape
adds them up. Without METRICS_TOKEN the endpoint does not exist (404); a wrong or
missing token is 403.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10)
QUERY_BUCKETS = (1, 2, 5, 10, 20, 30, 50, 100, 200)

REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests by URL pattern, method and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL pattern.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Histogram(
    "portal_http_request_db_queries",
    "Database queries per request, by URL pattern.",
    ["method", "route"],
    buckets=QUERY_BUCKETS,
)

# Celery task counts live in Redis so that every worker process on every node adds to
# the same numbers (a worker has no HTTP endpoint of its own to scrape).
TASKS_KEY = "portal:metrics:celery:tasks"
TASK_SECONDS_KEY = "portal:metrics:celery:seconds"


def observe_request(method: str, route: str, status: int, seconds: float, queries: int) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    QUERIES.labels(method, route).observe(queries)


def count_task(task: str, state: str, seconds: float | None) -> None:
    """Called by the workers' task signals (mentorship.celery); never raises."""
    if not getattr(settings, "REDIS_URL", ""):
        return
    from mentorship.ratelimit import redis_client

    try:
        pipe = redis_client().pipeline()
        pipe.hincrby(_key(TASKS_KEY), f"{task}|{state}", 1)
        if seconds is not None:
            pipe.hincrbyfloat(_key(TASK_SECONDS_KEY), task, seconds)
        pipe.execute()
    except Exception:  # noqa: BLE001 - metrics must never fail a task
        logger.warning("Task metrics not recorded", exc_info=True)


def _key(base: str) -> str:
    prefix = getattr(settings, "QUEUE_PREFIX", "")
    return f"{base}:{prefix}" if prefix else base


class BacklogCollector:
    """Read at scrape time: queue lengths, documents pending, Celery task counters."""

    def collect(self):
        from mentorship.health import queue_lengths, unscoped_pending_documents

        try:
            lengths = queue_lengths()
        except Exception:  # noqa: BLE001 - an unreachable broker: no numbers, not a 500
            logger.warning("Queue lengths unavailable", exc_info=True)
            lengths = None
        if lengths is not None:
            family = GaugeMetricFamily(
                "portal_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
            )
            for queue, length in lengths.items():
                family.add_metric([queue], length)
            yield family
        pending = unscoped_pending_documents()
        yield GaugeMetricFamily(
            "portal_documents_pending",
            "Documents queued or being rendered.",
            value=pending.count,
        )
        yield GaugeMetricFamily(
            "portal_documents_oldest_pending_seconds",
            "How long the oldest unfinished document has waited (0 if none).",
            value=pending.oldest_age_seconds or 0,
        )
        yield from self._tasks()

    def _tasks(self):
        if not getattr(settings, "REDIS_URL", ""):
            return
        from mentorship.ratelimit import redis_client

        try:
            counts = redis_client().hgetall(_key(TASKS_KEY))
            seconds = redis_client().hgetall(_key(TASK_SECONDS_KEY))
        except Exception:  # noqa: BLE001
            logger.warning("Task metrics unavailable", exc_info=True)
            return
        total = CounterMetricFamily(
            "portal_celery_tasks", "Celery tasks finished, by state.", labels=["task", "state"]
        )
        for key, value in sorted(counts.items()):
            task, _, state = key.decode().rpartition("|")
            total.add_metric([task, state], int(value))
        yield total
        duration = CounterMetricFamily(
            "portal_celery_task_duration_seconds",
            "Time spent running Celery tasks.",
            labels=["task"],
        )
        for key, value in sorted(seconds.items()):
            duration.add_metric([key.decode()], float(value))
        yield duration


def registry() -> CollectorRegistry:
    """This process's metrics, or every gunicorn worker's with PROMETHEUS_MULTIPROC_DIR."""
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return REGISTRY


def authorized(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token)


@require_GET
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorized(request):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    started = time.monotonic()
    output = generate_latest(registry())
    backlog = CollectorRegistry(auto_describe=False)
    backlog.register(BacklogCollector())
    output += generate_latest(backlog)
    response = HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
    response["X-Scrape-Seconds"] = f"{time.monotonic() - started:.3f}"
    return response
