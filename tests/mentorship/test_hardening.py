"""Issue 11's smaller findings in the core: sessions of a working day, the API's
description behind login, one log line for an expected refusal."""

from __future__ import annotations

import logging
import time

from django.urls import reverse

from mentorship.sessions import LOGGED_IN_AT, SEEN_AT


def test_api_schema_and_docs_need_a_login(client, cast):
    assert client.get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    client.force_login(cast.curator)
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200
    assert client.get("/api/docs/").status_code == 200


def _age_session(client, *, seen_ago: int, logged_in_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN_AT] = now - seen_ago
    session[LOGGED_IN_AT] = now - logged_in_ago
    session.save()


def test_an_idle_session_ends_with_a_russian_message(client, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    client.force_login(cast.curator)
    home = reverse("org_home", args=[cast.school.slug])
    assert client.get(home).status_code == 200
    _age_session(client, seen_ago=2 * 3600 + 60, logged_in_ago=3 * 3600)
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "Сеанс завершён после перерыва в работе" in page


def test_a_session_ends_after_a_working_day_even_when_busy(client, cast, settings):
    settings.SESSION_MAX_AGE = 10 * 3600
    client.force_login(cast.curator)
    _age_session(client, seen_ago=60, logged_in_ago=10 * 3600 + 60)
    response = client.get(reverse("org_home", args=[cast.school.slug]))
    assert response.status_code == 302
    assert "Рабочий сеанс закончился" in client.get(response["Location"]).content.decode()


def test_an_active_session_is_not_written_on_every_request(client, cast, django_assert_num_queries):
    client.force_login(cast.curator)
    url = reverse("org_home", args=[cast.school.slug])
    client.get(url)
    seen = client.session[SEEN_AT]
    client.get(url)
    assert client.session[SEEN_AT] == seen  # touched at most every SESSION_TOUCH_INTERVAL


def test_the_session_cookie_lasts_a_working_day_not_two_weeks(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_an_expected_403_logs_one_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.viewer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/o/{cast.school.slug}/documents/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    handler = logging.getLogger().handlers[0]
    text = handler.format(records[0])
    assert "Forbidden" in text and "Traceback" not in text


def _console_lines(record: logging.LogRecord) -> list[str]:
    """What the console handlers on the record's way up would print, as logging does."""
    lines = []
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        for handler in logger.handlers:
            is_console = type(handler) is logging.StreamHandler
            if is_console and record.levelno >= handler.level and handler.filter(record):
                lines.append(handler.format(record))
        logger = logger.parent if logger.propagate else None
    return lines


def test_an_expected_403_prints_one_line_in_the_development_console_too(
    client, cast, caplog, settings
):
    """Before: under DEBUG (make run) Django's own console handler on "django" printed
    each refusal again, with its traceback, before ours."""
    settings.DEBUG = True
    client.force_login(cast.viewer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/o/{cast.school.slug}/documents/").status_code == 403
    record = next(r for r in caplog.records if r.name == "django.request")
    lines = _console_lines(record)
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
