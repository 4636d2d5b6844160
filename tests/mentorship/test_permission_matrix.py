"""Every URL pattern, every role, another organisation's URLs and objects: never 200.

The patterns are discovered from the URL resolver, not listed by hand. A pattern under
/o/<org_slug>/ is walked with every role; any other pattern must be in PUBLIC_PATTERNS,
reviewed on purpose, so a new URL outside the tenant cannot slip past this test.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import (
    ProgrammeFactory,
    first_activity,
    first_consent,
    first_section,
    make_child,
    make_invitation,
    make_meeting,
    make_membership,
    make_pair,
    make_participant,
    make_partner,
    make_plan,
    make_roadmap,
)
from tests.mentorship.test_documents import make_ready_document
from tests.monitoring.makers import make_campaign, make_questionnaire, make_school_campaign

# Patterns that do not belong to an organisation: auth, health, API schema, landing.
PUBLIC_PATTERNS = {
    "",
    "healthz",
    "accounts/login/",
    "accounts/logout/",
    "accounts/password_change/",
    "accounts/password_change/done/",
    "accounts/password_reset/",
    "accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/",
    "accounts/reset/done/",
    "api/schema/",
    "api/docs/",
    # The user's own notifications, filtered by user (tests/roadmaps/test_reminders.py).
    "notifications/",
    "notifications/read-all/",
    # A participant's personal questionnaire link: no account by design; the unguessable
    # token is the key, and a forged one gets the same 404 as a missing one
    # (tests/monitoring/test_public.py).
    "q/<slug:token>/",
    # A staff invitation's link: the person may have no account yet, so the page is
    # public and the unguessable single-use token is the key; a forged, replaced or used
    # one gets a 404 or a Russian message (tests/mentorship/test_staff_views.py).
    "invite/<slug:token>/",
}
# Django admin: superusers only, guarded by Django itself.
ADMIN_PREFIX = "admin/"


# How to make an object owned by a given organisation, for each URL kwarg that names one.
# A new kwarg makes this test fail until it is taught here: no URL goes unchecked.
OBJECT_MAKERS: dict[str, Callable] = {
    "programme_id": lambda org: ProgrammeFactory(organization=org).pk,
    "roadmap_id": lambda org: make_roadmap(org).pk,
    "participant_id": lambda org: make_participant(org).pk,
    "consent_id": lambda org: first_consent(org).pk,
    "partner_id": lambda org: make_partner(org).pk,
    "pair_id": lambda org: make_pair(org).pk,
    "meeting_id": lambda org: make_meeting(org).pk,
    "plan_id": lambda org: make_plan(org).pk,
    "section_id": lambda org: first_section(org).pk,
    "activity_id": lambda org: first_activity(org).pk,
    "document_id": lambda org: make_ready_document(org, content=None).pk,
    "token": lambda org: "x" * 32,  # an import preview token valid for nobody
    "questionnaire_id": lambda org: make_questionnaire(org).pk,
    "campaign_id": lambda org: make_campaign(org).pk,
    "school_campaign_id": lambda org: make_school_campaign(org).pk,
    "membership_id": lambda org: make_membership(org).pk,
    "invitation_id": lambda org: make_invitation(org).pk,
    "organization_id": lambda org: make_child(org).pk,
}


@dataclass
class Route:
    pattern: str
    name: str | None
    params: list[str]


def _walk(patterns, prefix: str = "") -> Iterator[Route]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            params = list(p.pattern.converters) if hasattr(p.pattern, "converters") else []
            if not params and hasattr(p.pattern, "regex"):
                params = list(p.pattern.regex.groupindex)
            yield Route(route, p.name, params)


def all_routes() -> list[Route]:
    routes = []
    for r in _walk(get_resolver().url_patterns):
        if r.pattern.startswith(ADMIN_PREFIX):
            continue
        routes.append(r)
    return routes


def _full_params(route: Route) -> list[str]:
    # Converters of included prefixes are not on the leaf pattern: read them from the route.
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", route.pattern)


def _url(route: Route, kwargs: dict) -> str:
    import re

    def sub(match):
        return str(kwargs[match.group(1)])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sub, route.pattern).replace("^", "").replace("$", "")


def tenant_routes() -> list[Route]:
    return [r for r in all_routes() if "org_slug" in _full_params(r)]


def test_every_pattern_is_either_tenant_or_reviewed_public():
    unknown = [
        r.pattern
        for r in all_routes()
        if "org_slug" not in _full_params(r) and r.pattern not in PUBLIC_PATTERNS
    ]
    assert unknown == [], f"URL patterns outside /o/<org_slug>/ not reviewed: {unknown}"


def test_matrix_covers_a_meaningful_set_of_patterns():
    assert len(tenant_routes()) >= 4


@pytest.mark.parametrize("route", tenant_routes(), ids=lambda r: r.pattern)
def test_no_role_reaches_another_organisations_pages_or_objects(client, cast, route):
    params = [p for p in _full_params(route) if p != "org_slug"]
    missing = [p for p in params if p not in OBJECT_MAKERS]
    assert not missing, f"teach OBJECT_MAKERS how to make a foreign {missing} for {route.pattern}"

    # Organisations outside each role's reach: another region for everyone; a sibling
    # school and the other municipality for the school and municipal roles.
    outside = {
        "curator": [cast.far_school, cast.school2, cast.other_school, cast.muni],
        "school_viewer": [cast.far_school, cast.school2, cast.other_school, cast.muni],
        "methodist": [
            cast.far_school,
            cast.far_muni,
            cast.other_muni,
            cast.other_school,
            cast.region,
        ],
        "department": [cast.far_school, cast.far_muni, cast.other_muni, cast.other_school],
        "regional": [cast.far_school, cast.far_muni, cast.far_region],
    }
    objects_of = {
        org.pk: {p: OBJECT_MAKERS[p](org) for p in params}
        for org in {o.pk: o for orgs in outside.values() for o in orgs}.values()
    }

    for role, user in cast.users_by_role().items():
        client.force_login(user)
        own_slug = user.memberships.first().organization.slug
        attempts = []
        for org in outside[role]:
            # another organisation's URL with its own objects
            attempts.append({"org_slug": org.slug, **objects_of[org.pk]})
            if params:
                # own organisation's URL with another organisation's objects
                attempts.append({"org_slug": own_slug, **objects_of[org.pk]})
        for kwargs in attempts:
            url = _url(route, kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (403, 404, 405), (
                    f"{role} {method.upper()} {url} -> {response.status_code}"
                )


@pytest.mark.parametrize("route", tenant_routes(), ids=lambda r: r.pattern)
def test_anonymous_never_reaches_a_tenant_page(client, cast, route):
    params = [p for p in _full_params(route) if p != "org_slug"]
    kwargs = {"org_slug": cast.school.slug}
    kwargs.update({p: OBJECT_MAKERS[p](cast.school) for p in params})
    url = _url(route, kwargs)
    response = client.get(url)
    assert response.status_code in (302, 401), f"anonymous GET {url} -> {response.status_code}"
