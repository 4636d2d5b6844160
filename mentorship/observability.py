"""One middleware for what operators see of each request: an id, a log line, metrics.

- The request id: the proxy's X-Request-ID when it looks like one (nginx sets it), else
  a fresh one; sent back in the response header and put on every log record written
  while the request runs (`RequestIdFilter`), so one id ties nginx's line, the portal's
  line and any error in between.
- One log line per request on the `mentorship.request` logger: method, path, URL
  pattern, status, duration, database queries, user id and organisation slug. With
  LOG_FORMAT=json every record is one JSON object per line (`JsonFormatter`), ready for
  Loki/ELK; the line is written at INFO then, and kept quiet otherwise.
- Prometheus counters and histograms (mentorship/metrics.py).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse

from mentorship import metrics

request_logger = logging.getLogger("mentorship.request")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Attributes every LogRecord has; anything else was passed in `extra` and is logged too.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class ObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.monotonic()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            seconds = time.monotonic() - started
            response["X-Request-ID"] = request_id
            self._record(request, response, seconds, queries)
            return response
        finally:
            request_id_var.reset(token)

    def _record(
        self, request: HttpRequest, response: HttpResponse, seconds: float, queries: int
    ) -> None:
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else "unmatched"
        if route == "metrics":  # the scraper's own requests would drown the rest
            return
        metrics.observe_request(request.method or "", route, response.status_code, seconds, queries)
        if not request_logger.isEnabledFor(logging.INFO):
            return
        user = getattr(request, "user", None)
        tenant = getattr(request, "tenant", None)
        organization = getattr(tenant, "organization", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "db_queries": queries,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "organization": getattr(organization, "slug", None),
            },
        )


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
