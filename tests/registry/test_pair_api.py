"""The pairs REST API: programmes, suggestions, pairs, meetings, the order; roles, tenants."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mentorship.models import Document
from mentorship.tenancy.scoping import tenant_scope
from registry.models import (
    MemberRole,
    MentoringForm,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    Programme,
)
from registry.services.consent import consent_withdraw
from tests.factories import (
    ProgrammeFactory,
    make_consented,
    make_meeting,
    make_pair,
    make_participant,
)

TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": datetime.date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
    "position": "учитель математики",
}


def url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/{path}"


def fresh(obj):
    with tenant_scope(obj.organization):
        obj.refresh_from_db()
    return obj


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def programme(cast) -> Programme:
    return ProgrammeFactory(
        organization=cast.school,
        name="Билет в будущее",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 5, 31),
    )


@pytest.fixture
def people(cast):
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    mentee = make_consented(cast.school, last_name="Ученикова")
    return mentor, mentee


# --- programmes -----------------------------------------------------------------------------


def test_curator_creates_lists_and_edits_a_programme(cast, api):
    api.force_login(cast.curator)
    body = {
        "name": "Путь к успеху",
        "form": "teacher-student",
        "operator": "Проектная деятельность",
        "mentors_description": "Педагоги и студенты вузов",
        "mentees_description": "Одарённые обучающиеся 8-11 классов",
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-31",
    }
    created = api.post(url(cast.school, "programmes/"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["form_name"] == MentoringForm.objects.get(code="teacher-student").name
    programme_id = created.json()["id"]

    api.force_login(cast.viewer)
    listed = api.get(url(cast.school, "programmes/")).json()
    assert [p["name"] for p in listed["results"]] == ["Путь к успеху"]
    detail = url(cast.school, f"programmes/{programme_id}/")
    assert api.get(detail).json()["operator"] == "Проектная деятельность"
    assert api.patch(detail, {"name": "Другое"}, format="json").status_code == 403

    api.force_login(cast.curator)
    patched = api.patch(detail, {"period_text": "2026–2027 учебный год"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["period_text"] == "2026–2027 учебный год"
    assert patched.json()["name"] == "Путь к успеху"


def test_programme_refusals_are_russian(cast, api, programme):
    api.force_login(cast.curator)
    duplicate = api.post(
        url(cast.school, "programmes/"),
        {
            "name": "Билет в будущее",
            "form": "teacher-student",
            "mentors_description": "Педагоги",
            "mentees_description": "Обучающиеся",
        },
        format="json",
    )
    # The same programme again is a conflict with what exists: 409, the message on its field.
    assert duplicate.status_code == 409
    assert duplicate.json() == {"name": ["Программа «Билет в будущее» в школе уже есть."]}
    backwards = api.patch(
        url(cast.school, f"programmes/{programme.pk}/"),
        {"starts_on": "2027-09-01", "ends_on": "2027-05-31"},
        format="json",
    )
    assert backwards.json() == {"ends_on": ["Окончание программы раньше её начала."]}
    make_pair(cast.school)  # a pair of another programme does not freeze this one
    changed = api.patch(
        url(cast.school, f"programmes/{programme.pk}/"), {"form": "teacher-teacher"}, format="json"
    )
    assert changed.status_code == 200


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_then_accept(cast, api, programme, people):
    mentor, mentee = people
    lonely = make_consented(
        cast.school, last_name="Одинокова", birth_date=datetime.date(2011, 1, 1)
    )
    # Matching is the curator's (registry/access.py): the school viewer reads pairs, not
    # the suggestions, as on the matching page.
    api.force_login(cast.viewer)
    suggestions = url(cast.school, f"programmes/{programme.pk}/suggestions/")
    assert api.get(suggestions).status_code == 403
    api.force_login(cast.curator)
    response = api.get(suggestions)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["programme"] == programme.pk
    suggested = {(s["mentor"]["id"], s["mentee"]["id"]) for s in body["suggestions"]}
    assert len(suggested) == 1  # one mentor with room for one mentee
    assert {mentor.pk} == {m for m, _ in suggested}
    assert body["suggestions"][0]["reasons"] and body["suggestions"][0]["score"] > 0
    left = {p["id"] for p in body["unmatched"]}
    assert left | {m for _, m in suggested} == {mentee.pk, lonely.pk}
    assert "Наставникова Мария Петровна" in {s["mentor"]["full_name"] for s in body["suggestions"]}

    api.force_login(cast.viewer)
    assert (
        api.post(
            url(cast.school, f"programmes/{programme.pk}/suggestions/accept/"),
            {"pairs": [{"mentor": mentor.pk, "mentee": mentee.pk}]},
            format="json",
        ).status_code
        == 403
    )
    api.force_login(cast.curator)
    accepted = api.post(
        url(cast.school, f"programmes/{programme.pk}/suggestions/accept/"),
        {"pairs": [{"mentor": mentor.pk, "mentee": mentee.pk}]},
        format="json",
    )
    assert accepted.status_code == 201, accepted.content
    pair = accepted.json()[0]
    assert pair["status"] == PairStatus.PROPOSED and pair["reasons"]
    assert api.get(url(cast.school, "pairs/")).json()["count"] == 1


def test_suggestions_skip_must_be_ids(cast, api, programme):
    api.force_login(cast.curator)
    response = api.get(url(cast.school, f"programmes/{programme.pk}/suggestions/?skip=x"))
    assert response.status_code == 400
    assert response.json() == {"skip": ["Неверный номер наставляемого."]}


# --- pairs ----------------------------------------------------------------------------------


def test_curator_proposes_a_pair_and_reads_it_back(cast, api, programme, people):
    mentor, mentee = people
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, "pairs/"),
        {
            "programme": programme.pk,
            "mentor_ids": [mentor.pk],
            "mentee_ids": [mentee.pk],
            "goals": "Профориентация",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["programme_name"] == "Билет в будущее"
    # It starts on the day it was accepted (the order will give it its own date) and
    # ends with its programme; the number is the school's first.
    assert body["starts_on"] == datetime.date.today().isoformat() and body["number"] == 1
    roles = {m["role"]: m["full_name"] for m in body["members"]}
    assert roles == {
        MemberRole.MENTOR: "Наставникова Мария Петровна",
        MemberRole.MENTEE: "Ученикова Мария Петровна",
    }
    api.force_login(cast.viewer)
    detail = api.get(url(cast.school, f"pairs/{body['id']}/")).json()
    assert detail["goals"] == "Профориентация" and len(detail["members"]) == 2


def test_pairing_someone_without_consent_is_a_russian_400(cast, api, programme, people):
    mentor, _ = people
    stranger = make_participant(cast.school, last_name="Безсогласия")
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, "pairs/"),
        {"programme": programme.pk, "mentor_ids": [mentor.pk], "mentee_ids": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "У участника «Безсогласия М.П.» нет действующего согласия на обработку "
            "персональных данных: его нельзя включить в пару."
        ]
    }
    foreign = make_consented(cast.school2, last_name="Чужая")
    response = api.post(
        url(cast.school, "pairs/"),
        {"programme": programme.pk, "mentor_ids": [mentor.pk], "mentee_ids": [foreign.pk]},
        format="json",
    )
    assert response.json() == {"non_field_errors": ["Участник не найден в реестре школы."]}
    other_programme = ProgrammeFactory(organization=cast.school2)
    response = api.post(
        url(cast.school, "pairs/"),
        {"programme": other_programme.pk, "mentor_ids": [mentor.pk], "mentee_ids": [1]},
        format="json",
    )
    assert response.status_code == 404


def test_pair_list_filters(cast, api):
    first, second = make_pair(cast.school), make_pair(cast.school, approved=True)
    api.force_login(cast.viewer)
    everything = api.get(url(cast.school, "pairs/")).json()
    assert {p["id"] for p in everything["results"]} == {first.pk, second.pk}
    approved = api.get(url(cast.school, "pairs/"), {"status": "approved"}).json()
    assert [p["id"] for p in approved["results"]] == [second.pk]
    of_first = api.get(url(cast.school, "pairs/"), {"programme": first.programme_id}).json()
    assert [p["id"] for p in of_first["results"]] == [first.pk]
    wrong = api.get(url(cast.school, "pairs/"), {"status": "nonsense"})
    assert wrong.status_code == 400


def test_transitions_and_their_refusals(cast, api):
    pair = make_pair(cast.school)
    transition = url(cast.school, f"pairs/{pair.pk}/transition/")
    api.force_login(cast.curator)
    no_reason = api.post(transition, {"to": "rejected"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["Укажите причину."]}
    impossible = api.post(transition, {"to": "completed"}, format="json")
    assert impossible.json() == {
        "non_field_errors": ["Нельзя перевести пару из состояния «Предложена» в «Завершена»."]
    }
    done = api.post(transition, {"to": "rejected", "reason": "Не сошлись"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "rejected" and done.json()["end_reason"] == "Не сошлись"
    api.force_login(cast.viewer)
    assert api.post(transition, {"to": "rejected"}, format="json").status_code == 403


def test_resume_after_consent_is_restored_only(cast, api):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        mentee = pair.members.get(role=MemberRole.MENTEE).participant
        consent_withdraw(actor=None, consent=mentee.consents.first(), reason="Отозвали")
    assert fresh(pair).status == PairStatus.SUSPENDED
    api.force_login(cast.curator)
    response = api.post(url(cast.school, f"pairs/{pair.pk}/resume/"))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Пару нельзя возобновить: не у всех участников есть действующее согласие."
        ]
    }
    other = make_pair(cast.school)
    response = api.post(url(cast.school, f"pairs/{other.pk}/resume/"))
    assert response.status_code == 400


# --- meetings -------------------------------------------------------------------------------


def test_logging_the_first_meeting_starts_the_pair(cast, api):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        member_ids = list(pair.members.values_list("participant_id", flat=True))
    api.force_login(cast.curator)
    meetings = url(cast.school, f"pairs/{pair.pk}/meetings/")
    response = api.post(
        meetings,
        {
            "kind": "first",
            "held_on": datetime.date.today().isoformat(),
            "format": "online",
            "topic": "Знакомство",
            "attended": member_ids,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["attended"] == sorted(member_ids)
    assert fresh(pair).status == PairStatus.ACTIVE
    api.force_login(cast.viewer)
    listed = api.get(meetings).json()
    assert [m["topic"] for m in listed["results"]] == ["Знакомство"]
    one = api.get(url(cast.school, f"meetings/{response.json()['id']}/")).json()
    assert one["kind_display"] == "Первая (организационная)"


def test_meeting_refusals_are_russian(cast, api):
    proposed = make_pair(cast.school)
    api.force_login(cast.curator)
    body = {"kind": "first", "held_on": datetime.date.today().isoformat(), "topic": "Тема"}
    response = api.post(url(cast.school, f"pairs/{proposed.pk}/meetings/"), body, format="json")
    assert response.json() == {
        "non_field_errors": ["Встречи ведутся только у утверждённых и работающих пар."]
    }
    approved = make_pair(cast.school, approved=True)
    future = {**body, "held_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}
    response = api.post(url(cast.school, f"pairs/{approved.pk}/meetings/"), future, format="json")
    assert response.json() == {"held_on": ["Дата встречи в будущем: запишите встречу после неё."]}


# --- the order ------------------------------------------------------------------------------


def test_the_curator_issues_the_order_the_department_cannot(
    cast, api, programme, django_capture_on_commit_callbacks
):
    first, second = make_pair(cast.school), make_pair(cast.school)
    api.force_login(cast.curator)
    # The test's transaction holds the render back until the block ends: 202 first.
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            url(cast.school, "pairs/order/"), {"pair_ids": [first.pk]}, format="json"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["number"] == "1" and body["pair_ids"] == [first.pk]
    assert body["detail_url"] == f"/o/{cast.school.slug}/documents/{body['document']}/"
    assert fresh(first).status == PairStatus.APPROVED
    assert fresh(first).order_id == body["document"]
    assert fresh(second).status == PairStatus.PROPOSED

    # The order names minors: the department's membership covers the school, but the
    # order is the school director's (issue 11, finding 1).
    api.force_login(cast.department)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            url(cast.school, "pairs/order/"),
            {"date": "2026-09-10", "number": "45-од"},
            format="json",
        )
    assert response.status_code == 403, response.content
    assert fresh(second).status == PairStatus.PROPOSED


@pytest.fixture
def standard_forms():
    """Transactional tests run last and flush the tables, the migrated forms with them."""
    from registry.catalog import ensure_standard_forms

    ensure_standard_forms(MentoringForm)


@pytest.mark.django_db(transaction=True)
def test_an_order_rendered_during_the_request_is_201(cast, api, standard_forms):
    # No test transaction around the request: the eager render runs on commit inside
    # the service, as in the embedded mode, and the answer already has the file.
    pair = make_pair(cast.school)
    api.force_login(cast.curator)
    response = api.post(url(cast.school, "pairs/order/"), {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["download_url"] == f"/o/{cast.school.slug}/documents/{body['document']}/download/"
    assert fresh(pair).status == PairStatus.APPROVED
    assert api.get(body["download_url"]).status_code == 200


@pytest.fixture
def unprintable_order():
    """The pair_order kind with a context builder that fails as bad data does."""
    from mentorship.documents import kinds

    real = kinds.get("pair_order")

    def broken(document):
        raise kinds.DocumentDataError("Данные приказа не читаются.")

    def swap(build_context) -> None:
        kinds.register(
            real.code,
            label=real.label,
            template=real.template,
            build_context=build_context,
            roles=real.roles,
            org_kinds=real.org_kinds,
            replace=True,
        )

    swap(broken)
    yield
    swap(real.build_context)


@pytest.mark.django_db(transaction=True)
def test_a_failed_render_is_a_russian_400(cast, api, standard_forms, unprintable_order):
    pair = make_pair(cast.school)
    api.force_login(cast.curator)
    response = api.post(url(cast.school, "pairs/order/"), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Данные приказа не читаются."]}
    assert fresh(pair).status == PairStatus.PROPOSED


def test_an_order_still_rendering_is_202(cast, api, django_capture_on_commit_callbacks):
    make_pair(cast.school)
    api.force_login(cast.curator)
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(url(cast.school, "pairs/order/"), {}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending" and response.json()["download_url"] is None


def test_order_refusals(cast, api, django_capture_on_commit_callbacks):
    api.force_login(cast.curator)
    response = api.post(url(cast.school, "pairs/order/"), {}, format="json")
    assert response.status_code == 400
    assert "формировать не о чем" in response.json()["non_field_errors"][0]
    foreign = make_pair(cast.school2)
    response = api.post(url(cast.school, "pairs/order/"), {"pair_ids": [foreign.pk]}, format="json")
    assert response.json() == {
        "non_field_errors": [f"Пары № {foreign.pk} не найдены в реестре школы."]
    }
    with tenant_scope(cast.school):
        assert not Document.objects.exists()
    for user in (cast.viewer, cast.methodist, cast.department, cast.regional):
        api.force_login(user)
        assert api.post(url(cast.school, "pairs/order/"), {}, format="json").status_code == 403
    api.force_login(cast.department)
    assert api.post(url(cast.muni, "pairs/order/"), {}, format="json").status_code == 404


# --- authentication, roles, tenants ---------------------------------------------------------


def test_token_authentication_works(cast, api):
    make_pair(cast.school)
    token = Token.objects.create(user=cast.curator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(url(cast.school, "pairs/")).json()["count"] == 1
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(url(cast.school, "pairs/")).status_code == 401


def test_anonymous_gets_401(cast, api):
    pair = make_pair(cast.school)
    for path in ("programmes/", "pairs/", f"pairs/{pair.pk}/", f"pairs/{pair.pk}/meetings/"):
        assert api.get(url(cast.school, path)).status_code == 401
    assert api.post(url(cast.school, "pairs/order/")).status_code == 401


def test_other_roles_are_403_and_upper_levels_have_no_endpoints(cast, api):
    pair = make_pair(cast.school)
    for user in (cast.methodist, cast.department, cast.regional):
        api.force_login(user)
        for path in ("pairs/", f"pairs/{pair.pk}/", f"pairs/{pair.pk}/meetings/"):
            assert api.get(url(cast.school, path)).status_code == 403, (user, path)
        # Programmes name no one: the municipality reads a school's, as on the web;
        # the region does not (registry/access.py). Writing stays the curator's.
        expected = 403 if user == cast.regional else 200
        assert api.get(url(cast.school, "programmes/")).status_code == expected, user
        assert api.post(url(cast.school, "programmes/"), {}, format="json").status_code == 403
    api.force_login(cast.methodist)
    assert api.get(url(cast.muni, "pairs/")).status_code == 404
    assert api.get(url(cast.muni, "programmes/")).status_code == 404


def test_another_schools_objects_in_own_url_are_404(cast, api):
    meeting = make_meeting(cast.school2)
    pair = meeting.pair
    api.force_login(cast.curator)
    for path in (
        f"programmes/{pair.programme_id}/",
        f"programmes/{pair.programme_id}/suggestions/",
        f"pairs/{pair.pk}/",
        f"pairs/{pair.pk}/meetings/",
        f"meetings/{meeting.pk}/",
    ):
        assert api.get(url(cast.school, path)).status_code == 404, path
    for path in (f"pairs/{pair.pk}/transition/", f"pairs/{pair.pk}/resume/"):
        assert api.post(url(cast.school, path), {"to": "active"}, format="json").status_code == 404
    response = api.post(
        url(cast.school, f"pairs/{pair.pk}/meetings/"),
        {"kind": "regular", "held_on": "2026-09-01", "topic": "Чужая"},
        format="json",
    )
    assert response.status_code == 404
    assert api.get(url(cast.school2, "pairs/")).status_code == 404


# --- queries and schema ---------------------------------------------------------------------


def _bulk_pairs(school, programme, count: int) -> None:
    """Pairs straight into the tables: the list's query count is what is measured here."""
    with tenant_scope(school):
        people = Participant.objects.bulk_create(
            [
                Participant(
                    organization=school,
                    last_name=f"Массова{i}-{role}",
                    first_name="Анна",
                    category="teacher" if role == MemberRole.MENTOR else "pupil",
                )
                for i in range(count)
                for role in (MemberRole.MENTOR, MemberRole.MENTEE)
            ]
        )
        first = Pair.objects.count() + 1
        pairs = Pair.objects.bulk_create(
            [
                Pair(
                    organization=school, number=first + n, programme=programme, form=programme.form
                )
                for n in range(count)
            ]
        )
        PairMember.objects.bulk_create(
            [
                PairMember(organization=school, pair=pair, participant=person, role=role)
                for i, pair in enumerate(pairs)
                for person, role in (
                    (people[2 * i], MemberRole.MENTOR),
                    (people[2 * i + 1], MemberRole.MENTEE),
                )
            ]
        )


def test_pair_list_query_count_does_not_grow(
    cast, api, programme, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    _bulk_pairs(cast.school, programme, 5)
    api.force_login(cast.curator)
    with CaptureQueriesContext(connection) as baseline:
        assert api.get(url(cast.school, "pairs/")).json()["count"] == 5
    # Counted now: the next request starts by clearing the query log.
    expected = len(baseline)
    assert expected > 3
    _bulk_pairs(cast.school, programme, 35)
    with tenant_scope(cast.school):
        some = list(Pair.objects.values_list("pk", flat=True)[:3])
    # Some pairs carry an order: its number and date come along in the same query.
    with django_capture_on_commit_callbacks(execute=True):
        api.post(url(cast.school, "pairs/order/"), {"pair_ids": some}, format="json")
    with django_assert_max_num_queries(expected) as captured:
        response = api.get(url(cast.school, "pairs/"))
        performed = len(captured)
    assert response.json()["count"] == 40
    assert sum(1 for p in response.json()["results"] if p["order_number"]) == 3
    assert performed == expected


def test_every_endpoint_is_in_the_openapi_schema(client, cast):
    client.force_login(cast.curator)  # the schema is behind login
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    prefix = "/api/v1/o/{org_slug}/"
    expected = {
        "programmes/": {"get", "post"},
        "programmes/{programme_id}/": {"get", "patch"},
        "programmes/{programme_id}/suggestions/": {"get"},
        "programmes/{programme_id}/suggestions/accept/": {"post"},
        "pairs/": {"get", "post"},
        "pairs/order/": {"post"},
        "pairs/{pair_id}/": {"get"},
        "pairs/{pair_id}/transition/": {"post"},
        "pairs/{pair_id}/resume/": {"post"},
        "pairs/{pair_id}/meetings/": {"get", "post"},
        "meetings/{meeting_id}/": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[prefix + path]) == methods, path


def test_schema_of_these_endpoints_has_no_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    ours = ("registry.api", "Programme", "Pair", "Meeting", "Suggestion", "Order")
    noted = [m for m in GENERATOR_STATS._warn_cache if any(word in m for word in ours)]
    noted += list(GENERATOR_STATS._error_cache)
    assert noted == []
