"""Every route × every role × every method it takes, own and foreign organisations,
asserting the exact code the named rules give.

The routes are discovered from the URL resolver, not listed by hand; the expected code of
each comes from the route's own named rule (mentorship/tenancy/rules.py): `tenant_view(rule)`
on a web view, the viewset's `action_roles[action]` on an API route. So the test cannot
drift from the code, and a route without a named rule fails here.

- In an organisation the role reaches (its own, and the subtree below it): 404 where the
  page does not exist at that level, 403 where the rule leaves the role out, otherwise
  the page answers (GET 200/302; a write 2xx/302/400/409 for the empty body we send).
- In an organisation outside its reach: 404, whatever the method.
- In its own organisation with another organisation's object: the rule's 404/403 first,
  else 404 (a stranger's object and a missing one look the same).
- A method the route does not take: 405 at home, 404 elsewhere.

The cast and one object of each kind per organisation are built once per test run and
rolled back at its end; each route's test runs in a savepoint of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from mentorship.documents import kinds
from mentorship.models import Role
from mentorship.tenancy.rules import Rule
from tests.conftest import Cast, build_cast
from tests.factories import (
    ProgrammeFactory,
    first_activity,
    first_consent,
    first_section,
    make_child,
    make_competition,
    make_council,
    make_council_meeting,
    make_course,
    make_invitation,
    make_meeting,
    make_membership,
    make_nominee,
    make_pair,
    make_participant,
    make_partner,
    make_plan,
    make_planned_meeting,
    make_review,
    make_roadmap,
)
from tests.mentorship.test_documents import make_ready_document
from tests.monitoring.makers import (
    make_campaign,
    make_practice,
    make_questionnaire,
    make_school_campaign,
    practice_file_of,
)

# Patterns that do not belong to an organisation: auth, health, API schema, landing.
PUBLIC_PATTERNS = {
    "",
    "healthz",
    # Prometheus: no session, a bearer token (METRICS_TOKEN); 404 without the setting,
    # 403 without the token (tests/mentorship/test_observability.py).
    "metrics",
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
    # A participant's own page through their magic link: no account by design; the
    # token is the key, and a forged, revoked or reissued one, or a withdrawn consent,
    # gets the same 404 (tests/registry/test_participant_page.py).
    "p/<slug:token>/",
    "p/<slug:token>/tasks/<int:task_id>/",
    "p/<slug:token>/calendar/",
}
# Routes under /o/<org_slug>/ opened by a secret token in the query string instead of a
# login (`tenant_token_view`): a calendar app subscribes to the feed without a session.
# Reviewed here; the token's rules are tested in tests/registry/test_calendar.py.
TOKEN_PATTERNS = {"o/<slug:org_slug>/calendar.ics"}
ADMIN_PREFIX = "admin/"  # Django admin: superusers only, guarded by Django itself.

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
    "planned_meeting_id": lambda org: make_planned_meeting(org).pk,
    "plan_id": lambda org: make_plan(org).pk,
    "section_id": lambda org: first_section(org).pk,
    "activity_id": lambda org: activity_with_evidence(org).pk,
    # A staff list with a real file, so that a download by an allowed role succeeds.
    "document_id": lambda org: make_ready_document(org).pk,
    # An import preview token valid for nobody: its pages answer 404 even to those allowed.
    "token": lambda org: "x" * 32,
    "questionnaire_id": lambda org: make_questionnaire(org).pk,
    "campaign_id": lambda org: make_campaign(org).pk,
    "school_campaign_id": lambda org: make_school_campaign(org).pk,
    "membership_id": lambda org: make_membership(org).pk,
    "invitation_id": lambda org: make_invitation(org).pk,
    "organization_id": lambda org: make_child(org).pk,
    "review_id": lambda org: make_review(org).pk,
    "course_id": lambda org: make_course(org).pk,
    "council_id": lambda org: make_council(org).pk,
    "council_meeting_id": lambda org: make_council_meeting(org).pk,
    # A draft practice with one material; the material's route names both.
    "practice_id": lambda org: make_practice(org).pk,
    "file_id": practice_file_of,
    # A competition is its municipality's; a school reads its municipality's, so a
    # sibling school's would not be foreign: made at municipalities only.
    "competition_id": lambda org: make_competition(org).pk,
    # The jury's address: nobody in the cast sits on this jury, so it is a 404 to all.
    "jury_competition_id": lambda org: make_competition(org, "Жюри").pk,
    # A school's nominee with its materials (in its municipality's competition).
    "nominee_id": lambda org: make_nominee(org).pk,
    "group_meeting_id": lambda org: make_group_meeting(org).pk,
    "response_id": lambda org: make_intake_response(org).pk,
}
# Objects that only exist at some levels of the tree; elsewhere a missing id stands in
# (the rule's 404 for the level comes first there).
OBJECT_LEVELS: dict[str, set[str]] = {
    "participant_id": {"school"},
    "consent_id": {"school"},
    "pair_id": {"school"},
    "meeting_id": {"school"},
    "group_meeting_id": {"school"},
    "response_id": {"school"},
    "planned_meeting_id": {"school"},
    "plan_id": {"school"},
    "programme_id": {"school"},
    "school_campaign_id": {"school", "municipality"},
    "campaign_id": {"municipality", "school"},
    "roadmap_id": {"region", "municipality", "school"},
    "section_id": {"region", "municipality", "school"},
    "activity_id": {"region", "municipality", "school"},
    "review_id": {"municipality"},
    "course_id": {"municipality", "school"},
    "council_id": {"municipality", "school"},
    "council_meeting_id": {"municipality", "school"},
    "practice_id": {"school"},
    "file_id": {"school"},
    "competition_id": {"municipality"},
    "jury_competition_id": {"municipality"},
    "nominee_id": {"school"},
}
MISSING_ID = 987654321
# Kwargs whose value is never a real object here: an allowed role gets the page's 404.
NEVER_FOUND = {"token", "jury_competition_id"}


def make_group_meeting(org):
    from django.utils import timezone

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.group_meetings import group_meeting_create

    programme = ProgrammeFactory(organization=org)
    with tenant_scope(org):
        return group_meeting_create(actor=None, programme=programme, held_on=timezone.localdate())


def make_intake_response(org):
    """An intake answer waiting for review (an allowed POST accepts it: 302)."""
    from mentorship.tenancy.scoping import tenant_scope
    from monitoring.models import Response
    from monitoring.services.intake import intake_send
    from tests.monitoring.intake_people import (
        MENTOR_ANSWERS,
        answer_on_phone,
        link_of,
        mentor_candidate,
    )

    person = mentor_candidate(org, last_name=f"Кандидат{org.pk}", email="")
    with tenant_scope(org):
        intake_send(actor=None, school=org, participant_ids=[person.pk])
    answer_on_phone(link_of(org, person).token, MENTOR_ANSWERS)
    with tenant_scope(org):
        return Response.objects.get(participant=person)


def activity_with_evidence(org):
    """A roadmap activity with a scan attached, so the evidence download has a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentorship.tenancy.scoping import tenant_scope
    from roadmaps.services.progress import activity_set_progress
    from tests.factories import MINIMAL_PDF

    activity = first_activity(org)
    with tenant_scope(org):
        return activity_set_progress(
            actor=None,
            activity=activity,
            status="in_progress",
            evidence_file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF),
        )


def _document_guard(method: str, roles: frozenset[str]) -> int | None:
    """A document is guarded by its kind too (the objects here are staff lists): read by
    the kind's readers, requested again by the kind's own roles."""
    kind = kinds.get("staff_list")
    allowed = kinds.may_read(kind, roles) if method == "get" else set(kind.roles) & roles
    return None if allowed else 403


# Objects that add a check of their own after the route's rule: kwarg → guard.
OBJECT_GUARDS: dict[str, Callable[[str, frozenset[str]], int | None]] = {
    "document_id": _document_guard,
}

# A page answers: 200, a redirect, or 400 for a fragment that needs query parameters the
# matrix does not send (it sends none).
GET_OK = {200, 302, 400}
WRITE_OK = {200, 201, 202, 204, 302, 400, 409}
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Route:
    pattern: str
    name: str | None
    callback: Callable

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)

    def url(self, kwargs: dict) -> str:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), self.pattern)
        return "/" + path.replace("^", "").replace("$", "")

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    def rules(self) -> dict[str, Rule]:
        """Method → the named rule that guards it, read from the view itself."""
        actions = getattr(self.callback, "actions", None)
        if actions:  # a DRF viewset route
            action_roles = self.callback.cls.action_roles
            return {
                m: action_roles[a]
                for m, a in actions.items()
                if m not in ("head", "options") and isinstance(action_roles.get(a), Rule)
            }
        rule = getattr(self.callback, "tenant_rule", None)
        if rule is None:
            return {}
        write = getattr(self.callback, "tenant_write_rule", None) or rule
        methods = allowed_methods(self.callback) or ("get", "post")
        return {m: rule if m in ("get", "head", "options") else write for m in methods}


def allowed_methods(view: Callable) -> tuple[str, ...] | None:
    """The methods of `require_http_methods` (require_GET, require_POST) around a view."""
    func = view
    while func is not None:
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list)
                and value
                and all(isinstance(m, str) and m.isupper() for m in value)
            ):
                methods = tuple(m.lower() for m in value if m != "HEAD")
                return methods
        func = getattr(func, "__wrapped__", None)
    return None


def _walk(patterns, prefix: str = "") -> Iterator[Route]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield Route(route, p.name, p.callback)


def all_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if not r.pattern.startswith(ADMIN_PREFIX)]


def token_routes() -> list[Route]:
    return [r for r in all_routes() if getattr(r.callback, "tenant_token_view", False)]


def tenant_routes() -> list[Route]:
    return [
        r
        for r in all_routes()
        if "org_slug" in r.params and not getattr(r.callback, "tenant_token_view", False)
    ]


# --- the world, built once per run ------------------------------------------------------


@dataclass
class World:
    cast: Cast
    objects: dict[int, dict[str, int]]  # organisation pk → kwarg → object id
    media_root: str

    def reach(self, role: str) -> list:
        """Organisations where the role's one membership applies: its own and below."""
        c = self.cast
        return {
            Role.CURATOR: [c.school],
            Role.SCHOOL_VIEWER: [c.school],
            Role.METHODIST: [c.muni, c.school],
            Role.DEPARTMENT: [c.muni, c.school],
            Role.REGIONAL: [c.region, c.muni, c.school],
        }[role]

    def outside(self, role: str) -> list:
        c = self.cast
        school_roles = [c.far_school, c.school2, c.other_school, c.muni]
        municipal = [c.far_school, c.far_muni, c.other_muni, c.other_school, c.region]
        return {
            Role.CURATOR: school_roles,
            Role.SCHOOL_VIEWER: school_roles,
            Role.METHODIST: municipal,
            Role.DEPARTMENT: municipal,
            Role.REGIONAL: [c.far_school, c.far_muni, c.far_region],
        }[role]


def _level(org) -> str:
    from mentorship.tenancy.rules import level_of

    return level_of(org)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    from django.test import override_settings

    media_root = str(tmp_path_factory.mktemp("matrix-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cast = build_cast()
            orgs = [
                cast.region,
                cast.muni,
                cast.school,
                cast.school2,
                cast.other_muni,
                cast.other_school,
                cast.far_region,
                cast.far_muni,
                cast.far_school,
            ]
            objects: dict[int, dict[str, int]] = {}
            for org in orgs:
                made = {}
                for param, maker in OBJECT_MAKERS.items():
                    levels = OBJECT_LEVELS.get(param)
                    made[param] = (
                        maker(org) if levels is None or _level(org) in levels else (MISSING_ID)
                    )
                objects[org.pk] = made
            yield World(cast=cast, objects=objects, media_root=media_root)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the tests -------------------------------------------------------------------------


def test_every_pattern_is_either_tenant_or_reviewed_public():
    unknown = [
        r.pattern
        for r in all_routes()
        if "org_slug" not in r.params and r.pattern not in PUBLIC_PATTERNS
    ]
    assert unknown == [], f"URL patterns outside /o/<org_slug>/ not reviewed: {unknown}"


def test_token_routes_are_reviewed_and_closed_without_their_token(world, db):
    """A route that skips the login (the ICS feed) is listed by hand, and without a valid
    token it is a 404 for everyone: anonymous, a member, another organisation's member."""
    assert {r.pattern for r in token_routes()} == TOKEN_PATTERNS
    school = world.cast.school
    member = Client()
    member.force_login(world.cast.users_by_role()[Role.CURATOR])
    for route in token_routes():
        url = route.url({"org_slug": school.slug})
        for client in (Client(), member):
            assert client.get(url).status_code == 404
            assert client.get(url + "?token=" + "x" * 43).status_code == 404
            assert client.post(url).status_code == 405


def test_every_tenant_route_declares_a_named_rule():
    missing = [r.pattern for r in tenant_routes() if not r.rules()]
    assert missing == [], (
        f"routes without a named rule (tenant_view(rule) / action_roles): {missing}"
    )


def _guarded(params: list[str], method: str, roles: frozenset[str]) -> int | None:
    for param in params:
        guard = OBJECT_GUARDS.get(param)
        if guard and (status := guard(method, roles)):
            return status
    return None


def _request(client: Client, method: str, url: str):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return (
        getattr(client, method)(url, data={}, content_type="application/json")
        if (url.startswith("/api/"))
        else getattr(client, method)(url, data={})
    )


@pytest.mark.parametrize("route", tenant_routes(), ids=lambda r: r.pattern)
def test_route_answers_each_role_with_the_code_its_rule_gives(world, db, settings, route):
    settings.MEDIA_ROOT = world.media_root
    rules = route.rules()
    assert rules, f"{route.pattern} declares no named rule"
    params = [p for p in route.params if p != "org_slug"]
    missing = [p for p in params if p not in OBJECT_MAKERS]
    assert not missing, f"teach OBJECT_MAKERS how to make {missing} for {route.pattern}"
    taken = set(rules)
    # A web route answers 405 itself for a method it does not take.
    tried = taken if route.is_api else set(METHODS[:2]) | taken
    failures = []
    client = Client()
    for role, user in world.cast.users_by_role().items():
        client.force_login(user)
        roles = frozenset({role})
        for org in world.reach(role):
            own_objects = world.objects[org.pk]
            for method in sorted(tried):
                # Within a savepoint: a write must not change what the next request sees.
                sid = transaction.savepoint()
                url = route.url({"org_slug": org.slug, **{p: own_objects[p] for p in params}})
                code = _request(client, method, url).status_code
                transaction.savepoint_rollback(sid)
                if method not in taken:
                    expected = {405}
                else:
                    status = rules[method].expected_status(org, roles)
                    if status == 200:
                        status = _guarded(params, method, roles) or 200
                    if status == 200:
                        expected = GET_OK if method == "get" else WRITE_OK
                        if any(own_objects[p] == MISSING_ID or p in NEVER_FOUND for p in params):
                            expected = expected | {404}
                    else:
                        expected = {status}
                if code not in expected:
                    failures.append(f"{role} {method.upper()} {url} -> {code}, want {expected}")
            # Own organisation, another organisation's objects.
            if params:
                for foreign in world.outside(role)[:2]:
                    kwargs = {
                        "org_slug": org.slug,
                        **{p: world.objects[foreign.pk][p] for p in params},
                    }
                    url = route.url(kwargs)
                    for method in sorted(taken):
                        sid = transaction.savepoint()
                        code = _request(client, method, url).status_code
                        transaction.savepoint_rollback(sid)
                        status = rules[method].expected_status(org, roles)
                        expected = 404 if status == 200 else status
                        if code != expected:
                            failures.append(
                                f"{role} {method.upper()} {url} (foreign object) -> {code}, "
                                f"want {expected}"
                            )
        for org in world.outside(role):
            kwargs = {"org_slug": org.slug, **{p: world.objects[org.pk][p] for p in params}}
            url = route.url(kwargs)
            for method in sorted(tried):
                code = _request(client, method, url).status_code
                if code != 404:
                    failures.append(f"{role} {method.upper()} {url} (outside) -> {code}, want 404")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", tenant_routes(), ids=lambda r: r.pattern)
def test_anonymous_never_reaches_a_tenant_page(world, db, route):
    params = [p for p in route.params if p != "org_slug"]
    school = world.cast.school
    url = route.url({"org_slug": school.slug, **{p: world.objects[school.pk][p] for p in params}})
    code = Client().get(url).status_code
    assert code == (401 if route.is_api else 302), f"anonymous GET {url} -> {code}"


def test_matrix_covers_web_and_api():
    routes = tenant_routes()
    assert sum(r.is_api for r in routes) >= 30 and sum(not r.is_api for r in routes) >= 60


# --- programmes written in the browser and the API (issue 12, item 3): exact codes -----

# (route name, method) → the code each role gets at its own school (the cast's school) for
# an empty body: the curator's write reaches the service (400: nothing filled in; 302 for
# close/reopen, which take no body), everyone else is refused by the rule.
PROGRAMME_WRITES = {
    ("registry:programme_create", "get"): 200,
    ("registry:programme_create", "post"): 400,
    ("registry:programme_edit", "get"): 200,
    ("registry:programme_edit", "post"): 400,
    ("registry:programme_close", "post"): 302,
    ("registry:programme_reopen", "post"): 302,
    ("registry_api:programme_list", "post"): 400,
    ("registry_api:programme_detail", "patch"): 200,
    ("registry_api:programme_close", "post"): 200,
    ("registry_api:programme_reopen", "post"): 200,
}
PROGRAMME_READS = {
    ("registry:programme_list", "get"),
    ("registry:programme_detail", "get"),
    ("registry_api:programme_list", "get"),
    ("registry_api:programme_detail", "get"),
}


def _programme_url(name: str, org, programme_id: int) -> str:
    from django.urls import reverse

    kwargs = {"org_slug": org.slug}
    if name.split(":")[1] not in ("programme_list", "programme_create"):
        kwargs["programme_id"] = programme_id
    return reverse(name, kwargs=kwargs)


def _programme_call(client: Client, method: str, url: str):
    if url.startswith("/api/"):
        if method == "get":
            return client.get(url)
        return getattr(client, method)(url, data={}, content_type="application/json")
    return getattr(client, method)(url, data={})


def test_programme_routes_answer_each_role_with_exact_codes(world, db, settings):
    """Viewers and upper levels read and never write; another school's programme is 404."""
    settings.MEDIA_ROOT = world.media_root
    c = world.cast
    own = world.objects[c.school.pk]["programme_id"]
    foreign = world.objects[c.school2.pk]["programme_id"]
    readers = {Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT}
    client = Client()
    failures = []

    def check(role, method, url, expected):
        sid = transaction.savepoint()
        code = _programme_call(client, method, url).status_code
        transaction.savepoint_rollback(sid)
        if code != expected:
            failures.append(f"{role} {method.upper()} {url} -> {code}, want {expected}")

    for role, user in c.users_by_role().items():
        client.force_login(user)
        cases = [
            (key, code if role == Role.CURATOR else 403) for key, code in PROGRAMME_WRITES.items()
        ]
        cases += [(key, 200 if role in readers else 403) for key in PROGRAMME_READS]
        for (name, method), want in cases:
            check(role, method, _programme_url(name, c.school, own), want)
            if _programme_url(name, c.school, foreign) != _programme_url(name, c.school, own):
                # Another school's programme at one's own address: the rule, else 404.
                check(
                    role,
                    method,
                    _programme_url(name, c.school, foreign),
                    403 if want == 403 else 404,
                )
            # Another municipality's school: out of reach (404), except for the region
            # above it, whose role the rule leaves out (403).
            other_id = world.objects[c.other_school.pk]["programme_id"]
            check(
                role,
                method,
                _programme_url(name, c.other_school, other_id),
                403 if role == Role.REGIONAL else 404,
            )
    assert not failures, "\n".join(failures)
