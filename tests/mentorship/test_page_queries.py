"""Hot pages keep a fixed number of SQL queries however many rows they show (issue 10,
item 7): each page is counted with a few rows and with several times more, and both
counts must equal the pinned figure. A new query per row, or a new query at all, fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.audit import record
from tests.factories import (
    ProgrammeFactory,
    first_activity,
    make_competition,
    make_council,
    make_course,
    make_participant,
    make_partner,
    make_roadmap,
)
from tests.monitoring.makers import make_campaign

_names = iter(range(10_000))


def _person(org):
    return make_participant(org, last_name=f"Ожидающий{next(_names)}")


def _audit_rows(org) -> None:
    record(actor=None, organization=org, action="document.download", obj=org)


# page → (where, who, how to add one row, pinned query count)
PAGES: dict[str, tuple[str, str, Callable, int]] = {
    "roadmaps:roadmap_list": ("muni", "methodist", lambda org: make_roadmap(org), 9),
    "roadmaps:school_activities": ("school", "curator", first_activity, 7),
    "registry:programme_list": (
        "school",
        "curator",
        lambda org: ProgrammeFactory(organization=org),
        7,
    ),
    "registry:partner_list": ("school", "curator", lambda org: make_partner(org), 8),
    "registry:consent_queue": ("school", "curator", _person, 9),
    "monitoring:campaign_list": ("muni", "methodist", make_campaign, 12),
    "audit_log": ("school", "curator", _audit_rows, 9),
    "registry:course_list": ("school", "curator", make_course, 7),
    "registry:council_list": ("muni", "methodist", make_council, 8),
    "registry:competition_list": ("muni", "methodist", make_competition, 9),
}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_query_count_is_fixed(client, cast, name):
    where, who, add_row, pinned = PAGES[name]
    org = getattr(cast, where)
    client.force_login(getattr(cast, who))
    url = reverse(name, kwargs={"org_slug": org.slug})
    client.get(url)  # warm: the session's first touch and per-process caches are not the page
    for _ in range(2):
        add_row(org)
    few = _count(client, url)
    for _ in range(6):
        add_row(org)
    many = _count(client, url)
    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 8"
    assert many == pinned, f"{name}: {many} queries, pinned {pinned}"
