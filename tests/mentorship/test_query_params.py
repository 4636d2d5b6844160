"""Issue 11, item 6: query parameters are validated. `?year=abc`, a non-integer id, a
bad yes/no, an unknown choice, a date that does not read: 400 with a Russian message, on
the web pages and in the API, never a page quietly shown for the default and never a 500.

Each place that reads the query string (grep request.GET / query_params) is here, once
with junk and once with a valid value."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from mentorship.query import BadQuery, query_choice, query_flag, query_int
from mentorship.tenancy.scoping import tenant_scope
from tests.factories import ProgrammeFactory, make_participant, make_roadmap
from tests.monitoring.conftest import (
    active_pair,
    invitations,
    invite,
    school_row,
    start_campaign,
)

YEAR = date.today().year


@pytest.fixture
def world(cast, settings):
    settings.MONITORING_PUBLIC_RATE_LIMIT = 0
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        section = roadmap.sections.order_by("position").first()
    participant = make_participant(cast.school)
    programme = ProgrammeFactory(organization=cast.school)
    campaign = start_campaign(cast)
    active_pair(cast.school)
    invite(cast, campaign)
    row = school_row(campaign, cast.school)
    return SimpleNamespace(
        roadmap=roadmap,
        section=section,
        participant=participant,
        programme=programme,
        row=row,
        invitations=invitations(cast.school),
    )


@dataclass
class Case:
    id: str
    role: str | None  # None: anonymous (the public questionnaire link)
    url: object  # (cast, world) -> path
    junk: list[dict]
    valid: dict


def _o(name, org="school", **kwargs):
    def url(cast, world):
        resolved = {k: (v(world) if callable(v) else v) for k, v in kwargs.items()}
        return reverse(name, kwargs={"org_slug": getattr(cast, org).slug, **resolved})

    return url


def _api(path, org="school"):
    def url(cast, world):
        return f"/api/v1/o/{getattr(cast, org).slug}/" + path.format(w=world)

    return url


BAD_YEARS = [{"year": "abc"}, {"year": "1900"}, {"year": "2024.5"}]
BAD_PAGES = [{"page": "abc"}, {"page": "0"}]

WEB = [
    Case(
        "audit",
        "curator",
        _o("audit_log"),
        [{"action": "no-such"}, {"person": "abc"}, {"since": "31.02.2024"}, *BAD_PAGES],
        {"since": "2024-01-01", "page": "1"},
    ),
    Case("notifications", "curator", lambda c, w: reverse("notification_list"), BAD_PAGES, {}),
    Case("documents", "curator", _o("document_list"), BAD_PAGES, {"page": "1"}),
    Case(
        "school-activities",
        "curator",
        _o("roadmaps:school_activities"),
        [{"overdue": "maybe"}],
        {"overdue": "1"},
    ),
    Case(
        "matrix",
        "methodist",
        _o("roadmaps:roadmap_matrix", "muni", roadmap_id=lambda w: w.roadmap.pk),
        [{"overdue": "2"}, {"format": "pdf"}],
        {"overdue": "0"},
    ),
    Case(
        "import-deadline",
        "methodist",
        _o("roadmaps:roadmap_import_deadline", "muni"),
        [{"text": "март 2027", "period_start": "2026-13-01", "period_end": "2027-08-31"}],
        {"text": "март 2027", "period_start": "2026-09-01", "period_end": "2027-08-31"},
    ),
    Case(
        "access-log",
        "curator",
        _o("registry:participant_access_log", participant_id=lambda w: w.participant.pk),
        BAD_PAGES,
        {"page": "1"},
    ),
    Case(
        "subject-export",
        "curator",
        _o("registry:participant_subject_export", participant_id=lambda w: w.participant.pk),
        [{"requested_on": "вчера"}, {"download": "xml"}],
        {"requested_on": "2026-01-15"},
    ),
    Case(
        "mentor-base",
        "methodist",
        _o("registry:mentor_base", "muni"),
        [{"school": "abc"}, {"category": "alien"}, *BAD_PAGES],
        {"category": ""},
    ),
    Case(
        "matching",
        "curator",
        _o("registry:programme_matching", programme_id=lambda w: w.programme.pk),
        [{"skip": "abc"}],
        {"skip": "1"},
    ),
    Case(
        "matching-options",
        "curator",
        _o("registry:programme_matching_options", programme_id=lambda w: w.programme.pk),
        [{"mentee": "abc"}, {"mentee": "1", "current": "x"}],
        None,  # a valid mentee is covered by tests/registry/test_matching.py
    ),
    Case(
        "pairs",
        "curator",
        _o("registry:pair_list"),
        [{"status": "alien"}, {"programme": "abc"}, {"programme": "999999"}, *BAD_PAGES],
        {"status": "proposed"},
    ),
    Case(
        "people",
        "curator",
        _o("registry:participant_list"),
        [{"category": "alien"}, {"grade": "abc"}, {"form": "x"}, {"consent": "?"}, *BAD_PAGES],
        {"category": "pupil", "grade": "8"},
    ),
    Case("consent-queue", "curator", _o("registry:consent_queue"), BAD_PAGES, {"page": "1"}),
    Case(
        "public-answer",
        None,
        lambda c, w: reverse("monitoring_public:answer", kwargs={"token": w.invitations[0].token}),
        [{"saved": "maybe"}],
        {"saved": "1"},
    ),
    Case(
        "campaign-sheet",
        "curator",
        _o("monitoring:school_campaign_sheet", school_campaign_id=lambda w: w.row.pk),
        [{"all": "yes please"}],
        {"all": "1"},
    ),
    Case("dashboard", "methodist", _o("indicators:dashboard", "muni"), BAD_YEARS, {"year": YEAR}),
    Case("export", "methodist", _o("indicators:export", "muni"), BAD_YEARS, {"year": YEAR}),
    Case("contingent", "curator", _o("indicators:contingent"), BAD_YEARS, {"year": YEAR}),
    Case("targets", "methodist", _o("indicators:targets", "muni"), BAD_YEARS, {"year": YEAR}),
]

API = [
    Case(
        "api-organizations",
        "methodist",
        _api("organizations/", "muni"),
        [{"closed": "maybe"}, *BAD_PAGES],
        {"closed": "true"},
    ),
    Case(
        "api-roadmaps",
        "methodist",
        _api("roadmaps/", "muni"),
        [{"status": "alien"}, *BAD_PAGES],
        {"status": "draft"},
    ),
    Case(
        "api-activities",
        "methodist",
        _api("roadmaps/{w.roadmap.pk}/activities/", "muni"),
        [
            {"overdue": "maybe"},
            {"deadline_unclear": "2"},
            {"section": "abc"},
            {"section": "1.5"},
            {"status": "alien"},
        ],
        {"overdue": "false", "deadline_unclear": "true"},
    ),
    Case(
        "api-matrix",
        "methodist",
        _api("roadmaps/{w.roadmap.pk}/matrix/", "muni"),
        [{"overdue": "maybe"}],
        {"overdue": "true"},
    ),
    Case(
        "api-participants",
        "curator",
        _api("participants/"),
        [{"category": "alien"}, {"grade": "abc"}, {"role": "boss"}, {"consent_state": "?"}],
        {"category": "pupil", "grade": "8"},
    ),
    Case(
        "api-pairs",
        "curator",
        _api("pairs/"),
        [{"status": "alien"}, {"programme": "abc"}, *BAD_PAGES],
        {"status": "proposed"},
    ),
    Case(
        "api-suggestions",
        "curator",
        _api("programmes/{w.programme.pk}/suggestions/"),
        [{"skip": "abc"}],
        {"skip": "1"},
    ),
    Case(
        "api-mentor-base",
        "methodist",
        _api("mentor-base/", "muni"),
        [{"school": "abc"}, {"category": "alien"}, *BAD_PAGES],
        {"category": "teacher"},
    ),
    Case("api-indicators", "methodist", _api("indicators/", "muni"), BAD_YEARS, {"year": YEAR}),
]


def _get(client, cast, world, case, params):
    if case.role:
        client.force_login(getattr(cast, case.role))
    return client.get(case.url(cast, world), params)


@pytest.mark.parametrize("case", WEB, ids=[c.id for c in WEB])
def test_a_web_page_answers_junk_parameters_with_400_and_a_russian_message(
    client, cast, world, case
):
    for params in case.junk:
        response = _get(client, cast, world, case, params)
        assert response.status_code == 400, (params, response.status_code)
        page = response.content.decode()
        name = next(iter(params)) if len(params) == 1 else None
        assert "Параметр «" in page, params
        if name:
            assert f"Параметр «{name}»" in page
    if case.valid is not None:
        assert _get(client, cast, world, case, case.valid).status_code == 200


@pytest.mark.parametrize("case", API, ids=[c.id for c in API])
def test_the_api_answers_junk_parameters_with_400_in_the_validation_shape(
    client, cast, world, case
):
    for params in case.junk:
        response = _get(client, cast, world, case, params)
        assert response.status_code == 400, (params, response.status_code, response.content)
        body = response.json()
        assert set(body) == set(params), body  # {"name": ["…"]}, the parameter named
        messages = [m for value in body.values() for m in value]
        assert messages and all(any("а" <= ch <= "я" for ch in m.lower()) for m in messages)
    assert _get(client, cast, world, case, case.valid).status_code == 200


def test_a_posted_year_that_does_not_read_is_refused_not_saved_for_this_year(client, cast):
    """Before: a contingent posted with year=abc was saved as the current year's."""
    from monitoring.indicators.models import Contingent

    client.force_login(cast.curator)
    url = reverse("indicators:contingent", kwargs={"org_slug": cast.school.slug})
    response = client.post(url, {"year": "abc", "pupils_10_19": "100"})
    assert response.status_code == 400
    with tenant_scope(cast.school):
        assert not Contingent.objects.exists()


def test_a_400_logs_one_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.curator)
    url = reverse("indicators:contingent", kwargs={"org_slug": cast.school.slug})
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url, {"year": "abc"}).status_code == 400
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    text = logging.getLogger().handlers[0].format(records[0])
    assert "Traceback" not in text


def test_the_helpers():
    assert query_int({}, "x", 5) == 5
    assert query_int({"x": " 7 "}, "x") == 7
    assert query_flag({"x": "true"}, "x") is True
    assert query_flag({"x": "0"}, "x") is False
    assert query_flag({}, "x") is False
    assert query_choice({"x": ""}, "x", ["a"], default="a") == "a"
    for call in (
        lambda: query_int({"x": "1e3"}, "x"),
        lambda: query_int({"x": "0"}, "x", min_value=1),
        lambda: query_flag({"x": "maybe"}, "x"),
        lambda: query_choice({"x": "b"}, "x", ["a"]),
    ):
        with pytest.raises(BadQuery) as error:
            call()
        assert "Параметр «x»" in error.value.message


@pytest.mark.parametrize(
    "path",
    ["/api/v1/o/{school}/participants/abc/", "/api/v1/o/no-such-org/participants/"],
)
def test_api_404s_are_json_even_under_debug(client, cast, settings, path):
    """Under DEBUG (make run) Django's 404 page is HTML; the API's schema says Error."""
    settings.DEBUG = True
    client.force_login(cast.curator)
    response = client.get(path.format(school=cast.school.slug))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
