"""The registry REST API: participants, consents, partners, the mentor base and counts.

Each operation, its roles, tenant isolation, token auth, query counts and the schema.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Consent, Participant, PartnerOrganization
from tests.factories import make_consented, make_participant, make_partner
from tests.roadmaps.test_api import PDF_BYTES

TEACHER = {
    "last_name": "Петрова",
    "first_name": "Анна",
    "patronymic": "Сергеевна",
    "birth_date": date(1985, 5, 2),
    "category": "teacher",
    "grade": None,
    "class_letter": "",
    "position": "Учитель математики",
    "experience_years": 2,
    "is_mentor": True,
    "is_mentee": False,
}


def url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/{path}"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pupil(cast) -> Participant:
    return make_participant(cast.school)


# --- Participants ---------------------------------------------------------------------


def test_curator_lists_and_filters_participants(cast, api):
    make_consented(cast.school, last_name="Смирнова", grade=7)
    make_participant(cast.school, last_name="Кузнецов", first_name="Илья", grade=9)
    make_consented(cast.school, **TEACHER)
    make_participant(cast.school2, last_name="Соседова")
    api.force_login(cast.curator)
    everyone = api.get(url(cast.school, "participants/")).json()
    assert [p["last_name"] for p in everyone["results"]] == ["Кузнецов", "Петрова", "Смирнова"]

    def names(**params) -> list[str]:
        response = api.get(url(cast.school, "participants/"), params)
        assert response.status_code == 200, response.content
        return [p["last_name"] for p in response.json()["results"]]

    assert names(category="teacher") == ["Петрова"]
    assert names(role="mentor") == ["Петрова"]
    assert names(role="mentee") == ["Кузнецов", "Смирнова"]
    assert names(consent_state="missing") == ["Кузнецов"]
    assert names(grade=7) == ["Смирнова"]
    assert names(search="кузн илья") == ["Кузнецов"]
    teacher = next(p for p in everyone["results"] if p["last_name"] == "Петрова")
    assert teacher["is_young_specialist"] is True and teacher["consent_state"] == "valid"
    assert api.get(url(cast.school, "participants/"), {"category": "alien"}).status_code == 400


def test_retrieving_a_pupil_is_logged(cast, api, pupil):
    api.force_login(cast.viewer)
    response = api.get(url(cast.school, f"participants/{pupil.pk}/"))
    assert response.status_code == 200
    assert response.json()["full_name"] == "Иванова Мария Петровна"
    entry = AuditEntry.objects.get(action="participant.view")
    assert entry.actor == cast.viewer and entry.object_id == str(pupil.pk)


def test_curator_creates_a_participant_with_forms_and_a_municipal_partner(cast, api):
    partner = make_partner(cast.muni)
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, "participants/"),
        {
            **TEACHER,
            "birth_date": "1980-01-15",
            "category": "partner",
            "partner": partner.pk,
            "mentor_forms": ["employer-student"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["partner_name"] == "ПАО «КАМАЗ»"
    assert body["mentor_forms"] == ["employer-student"]
    assert body["consent_state"] == "missing"
    with tenant_scope(cast.school):
        assert Participant.objects.get(pk=body["id"]).organization == cast.school
    assert AuditEntry.objects.filter(action="participant.create").exists()


def test_create_refuses_in_russian(cast, api, pupil):
    api.force_login(cast.curator)
    bad_grade = api.post(
        url(cast.school, "participants/"),
        {"last_name": "Новиков", "first_name": "Иван", "category": "pupil", "grade": 12},
        format="json",
    )
    assert bad_grade.status_code == 400
    assert bad_grade.json()["grade"] == ["Класс должен быть от 1 до 11."]
    assert "is_mentee" in bad_grade.json()
    twin = api.post(
        url(cast.school, "participants/"),
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "birth_date": "2012-03-14",
            "category": "pupil",
            "grade": 8,
            "is_mentee": True,
        },
        format="json",
    )
    assert twin.status_code == 409  # the person exists: a conflict, not a malformed request
    assert "уже есть в реестре" in twin.json()["non_field_errors"][0]
    unknown = api.post(
        url(cast.school, "participants/"),
        {**TEACHER, "birth_date": "1985-05-02", "mentor_forms": ["no-such-form"]},
        format="json",
    )
    assert unknown.status_code == 400
    assert "no-such-form" in unknown.json()["mentor_forms"][0]


def test_a_foreign_partner_cannot_be_named(cast, api):
    foreign = make_partner(cast.other_muni, name="Чужой завод")
    sibling = make_partner(cast.school2, name="Партнёр соседей")
    api.force_login(cast.curator)
    for partner in (foreign, sibling):
        response = api.post(
            url(cast.school, "participants/"),
            {**TEACHER, "birth_date": "1985-05-02", "category": "partner", "partner": partner.pk},
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {"partner": ["Нет такой организации-партнёра."]}


def test_curator_updates_a_participant(cast, api, pupil):
    api.force_login(cast.curator)
    response = api.patch(
        url(cast.school, f"participants/{pupil.pk}/"),
        {"class_letter": "Б", "mentee_forms": ["teacher-student"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["class_letter"] == "Б"
    assert response.json()["mentee_forms"] == ["teacher-student"]
    assert response.json()["grade"] == 8
    bad = api.patch(url(cast.school, f"participants/{pupil.pk}/"), {"grade": 0}, format="json")
    assert bad.status_code == 400 and bad.json()["grade"] == ["Класс должен быть от 1 до 11."]
    assert api.put(url(cast.school, f"participants/{pupil.pk}/"), {}).status_code == 405
    assert api.delete(url(cast.school, f"participants/{pupil.pk}/")).status_code == 405


def test_participants_stay_at_the_school(cast, api, pupil):
    # The school viewer reads, does not write.
    api.force_login(cast.viewer)
    assert api.get(url(cast.school, "participants/")).status_code == 200
    assert api.post(url(cast.school, "participants/"), {}, format="json").status_code == 403
    assert api.patch(url(cast.school, f"participants/{pupil.pk}/"), {}).status_code == 403
    # Municipal and regional roles reach the school through the tree, but not its people.
    for user in (cast.methodist, cast.department, cast.regional):
        api.force_login(user)
        assert api.get(url(cast.school, "participants/")).status_code == 403
        assert api.get(url(cast.school, f"participants/{pupil.pk}/")).status_code == 403
    # And a municipality has no participants endpoint at all.
    api.force_login(cast.methodist)
    assert api.get(url(cast.muni, "participants/")).status_code == 404
    assert api.get(url(cast.muni, f"participants/{pupil.pk}/")).status_code == 404


# --- Consents -------------------------------------------------------------------------


def test_consent_record_list_and_withdraw(cast, api, pupil):
    api.force_login(cast.curator)
    consents = url(cast.school, f"participants/{pupil.pk}/consents/")
    response = api.post(
        consents,
        {
            "given_by": "parent",
            "giver_name": "Иванов Пётр Сергеевич",
            "giver_relation": "отец",
            "given_on": "2026-09-01",
            "purposes": ["programme"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    consent = response.json()
    assert consent["state"] == "valid" and consent["has_scan"] is False
    assert api.get(url(cast.school, f"participants/{pupil.pk}/")).json()["consent_state"] == (
        "valid"
    )
    listed = api.get(consents).json()
    assert [c["id"] for c in listed["results"]] == [consent["id"]]
    assert api.get(url(cast.school, f"consents/{consent['id']}/")).json()["giver_relation"] == (
        "отец"
    )

    withdraw = url(cast.school, f"consents/{consent['id']}/withdraw/")
    withdrawn = api.post(withdraw, {"reason": "Семья переезжает"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["state"] == "withdrawn"
    with tenant_scope(cast.school):
        pupil.refresh_from_db()
    assert pupil.consent_state == "withdrawn" and pupil.depersonalize_after
    again = api.post(withdraw, {"reason": "ещё раз"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Согласие уже отозвано."]}


def test_consent_rules_come_back_in_russian(cast, api, pupil):
    api.force_login(cast.curator)
    consents = url(cast.school, f"participants/{pupil.pk}/consents/")
    no_programme = api.post(
        consents,
        {
            "given_by": "parent",
            "giver_name": "Иванов П.С.",
            "given_on": "2026-09-01",
            "purposes": ["publication"],
        },
        format="json",
    )
    assert no_programme.status_code == 400
    assert "участие в программе" in no_programme.json()["purposes"][0]
    no_parent_name = api.post(
        consents,
        {"given_by": "parent", "given_on": "2026-09-01", "purposes": ["programme"]},
        format="json",
    )
    assert no_parent_name.json()["giver_name"] == [
        "Укажите ФИО родителя или законного представителя."
    ]
    # A minor's own signature is kept but is not a valid consent.
    by_minor = api.post(
        consents,
        {"given_by": "self", "given_on": "2026-09-01", "purposes": ["programme"]},
        format="json",
    )
    assert by_minor.status_code == 201 and by_minor.json()["state"] == "invalid"
    future = api.post(
        url(cast.school, f"consents/{by_minor.json()['id']}/withdraw/"),
        {"withdrawn_on": "2099-01-01"},
        format="json",
    )
    assert future.status_code == 400
    assert future.json() == {"withdrawn_on": ["Дата отзыва не может быть в будущем."]}


def test_consent_with_a_scan_as_multipart(cast, api):
    teacher = make_participant(cast.school, **TEACHER)
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, f"participants/{teacher.pk}/consents/"),
        {
            "given_by": "self",
            "given_on": "2026-09-01",
            "purposes": ["programme", "mentor_base"],
            "scan": SimpleUploadedFile("scan.pdf", PDF_BYTES, "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_scan"] is True
    assert response.json()["purposes"] == ["programme", "mentor_base"]
    with tenant_scope(cast.school):
        teacher.refresh_from_db()
    assert teacher.in_mentor_base is True


def test_consents_roles(cast, api):
    person = make_consented(cast.school)
    with tenant_scope(cast.school):
        consent_id = Consent.objects.get().pk
    api.force_login(cast.viewer)
    assert api.get(url(cast.school, f"consents/{consent_id}/")).status_code == 200
    assert api.post(url(cast.school, f"consents/{consent_id}/withdraw/")).status_code == 403
    assert api.post(url(cast.school, f"participants/{person.pk}/consents/"), {}).status_code == 403
    api.force_login(cast.methodist)
    assert api.get(url(cast.school, f"consents/{consent_id}/")).status_code == 403
    assert api.get(url(cast.muni, f"consents/{consent_id}/")).status_code == 404


# --- Partners -------------------------------------------------------------------------

PARTNER = {
    "kind": "university",
    "name": "КФУ, Набережночелнинский институт",
    "inn": "1655018018",
    "contact_person": "Гарипова Лилия Ринатовна",
    "email": "practice@kpfu.example",
    "agreement_number": "7-н",
    "agreement_date": "2026-08-30",
}


def test_methodist_keeps_municipal_partners(cast, api):
    api.force_login(cast.methodist)
    created = api.post(url(cast.muni, "partners/"), PARTNER, format="json")
    assert created.status_code == 201, created.content
    partner = created.json()
    assert partner["kind_display"] == "Вуз"
    detail = url(cast.muni, f"partners/{partner['id']}/")
    changed = api.patch(detail, {"phone": "+7 8552 58-00-00"}, format="json")
    assert changed.status_code == 200 and changed.json()["phone"] == "+7 8552 58-00-00"
    assert changed.json()["name"] == PARTNER["name"]
    assert [p["id"] for p in api.get(url(cast.muni, "partners/")).json()["results"]] == [
        partner["id"]
    ]
    assert api.delete(detail).status_code == 204
    assert api.get(detail).status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partner.create", "partner.update", "partner.delete"} <= actions


def test_partner_rules_in_russian(cast, api):
    api.force_login(cast.curator)
    bad = api.post(url(cast.school, "partners/"), {**PARTNER, "inn": "1655018019"}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"inn": ["ИНН указан с ошибкой: не сходятся контрольные цифры."]}
    nameless = api.post(url(cast.school, "partners/"), {"kind": "other"}, format="json")
    assert nameless.json() == {"name": ["Укажите наименование организации."]}
    partner = make_partner(cast.school)
    make_participant(cast.school, **{**TEACHER, "category": "partner", "partner": partner})
    refused = api.delete(url(cast.school, f"partners/{partner.pk}/"))
    assert refused.status_code == 400
    assert "представители" in refused.json()["non_field_errors"][0]


def test_partner_roles(cast, api):
    muni_partner = make_partner(cast.muni)
    school_partner = make_partner(cast.school, name="ООО «Школьный»")
    api.force_login(cast.department)
    assert api.get(url(cast.muni, f"partners/{muni_partner.pk}/")).status_code == 200
    assert api.post(url(cast.muni, "partners/"), PARTNER, format="json").status_code == 403
    api.force_login(cast.methodist)
    assert api.get(url(cast.school, "partners/")).status_code == 200
    assert api.patch(url(cast.school, f"partners/{school_partner.pk}/"), {}).status_code == 403
    api.force_login(cast.viewer)
    assert api.get(url(cast.school, "partners/")).status_code == 200
    assert api.delete(url(cast.school, f"partners/{school_partner.pk}/")).status_code == 403
    api.force_login(cast.regional)
    assert api.get(url(cast.muni, "partners/")).status_code == 403
    assert api.get(url(cast.region, "partners/")).status_code == 404
    # A school reads its municipality's partners on the page, not as its own rows here.
    api.force_login(cast.curator)
    assert api.get(url(cast.school, f"partners/{muni_partner.pk}/")).status_code == 404


# --- The mentor base and counts -------------------------------------------------------


def test_methodist_reads_the_mentor_base_and_counts(cast, api):
    make_consented(cast.school, **TEACHER)
    make_consented(cast.other_school, **{**TEACHER, "last_name": "Чужакова"})
    for i in range(5):
        make_consented(cast.school, last_name=f"Ученица{i}")
    api.force_login(cast.methodist)
    base = api.get(url(cast.muni, "mentor-base/"))
    assert base.status_code == 200
    assert [m["full_name"] for m in base.json()["results"]] == ["Петрова Анна Сергеевна"]
    assert "birth_date" not in base.json()["results"][0]
    assert AuditEntry.objects.filter(action="mentor_base.view").count() == 1
    filtered = api.get(url(cast.muni, "mentor-base/"), {"school": cast.school2.pk})
    assert filtered.json()["count"] == 0
    assert api.get(url(cast.muni, "mentor-base/"), {"school": "x"}).status_code == 400

    counts = api.get(url(cast.muni, "mentor-base/counts/")).json()
    assert counts["threshold"] == 5
    rows = {r["school"]["slug"]: r["cells"] for r in counts["rows"]}
    assert rows["school-a1"]["pupil_mentees_consented"] == 5
    assert rows["school-a1"]["teachers_consented"] is None
    assert rows["school-a2"]["pupil_mentees_consented"] is None
    assert counts["totals"]["teachers_consented"] == {"value": 0, "partial": True}
    assert "Ученица" not in str(counts)


def test_mentor_base_roles(cast, api):
    api.force_login(cast.department)
    assert api.get(url(cast.muni, "mentor-base/")).status_code == 200
    assert api.get(url(cast.muni, "mentor-base/counts/")).status_code == 200
    # The region reads its municipalities' bases (consenting adults only: issue 17).
    api.force_login(cast.regional)
    assert api.get(url(cast.muni, "mentor-base/")).status_code == 200
    assert api.get(url(cast.muni, "mentor-base/counts/")).status_code == 200
    api.force_login(cast.curator)
    assert api.get(url(cast.muni, "mentor-base/")).status_code == 404
    assert api.get(url(cast.school, "mentor-base/")).status_code == 404
    api.force_login(cast.other_methodist)
    assert api.get(url(cast.muni, "mentor-base/counts/")).status_code == 404


# --- Authentication and isolation -----------------------------------------------------


def test_token_authentication_works(cast, api, pupil):
    token = Token.objects.create(user=cast.curator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(url(cast.school, "participants/")).status_code == 200
    created = api.post(
        url(cast.school, f"participants/{pupil.pk}/consents/"),
        {
            "given_by": "parent",
            "giver_name": "Иванова О.В.",
            "given_on": "2026-09-01",
            "purposes": ["programme"],
        },
        format="json",
    )
    assert created.status_code == 201
    assert api.get(url(cast.school2, "participants/")).status_code == 404
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(url(cast.school, "participants/")).status_code == 401


def test_anonymous_gets_401(cast, api, pupil):
    for path in (
        "participants/",
        f"participants/{pupil.pk}/",
        f"participants/{pupil.pk}/consents/",
        "partners/",
    ):
        assert api.get(url(cast.school, path)).status_code == 401, path
    assert api.get(url(cast.muni, "mentor-base/")).status_code == 401
    assert api.post(url(cast.school, "participants/"), {}).status_code == 401


def test_another_organisation_is_404(cast, api, pupil):
    api.force_login(cast.curator2)
    assert api.get(url(cast.school, "participants/")).status_code == 404
    assert api.get(url(cast.school, f"participants/{pupil.pk}/")).status_code == 404
    api.force_login(cast.other_methodist)
    assert api.get(url(cast.muni, "partners/")).status_code == 404


def test_another_organisations_ids_in_own_url_are_404(cast, api):
    foreign = make_consented(cast.school2, last_name="Соседова")
    with tenant_scope(cast.school2):
        foreign_consent = Consent.objects.get()
    foreign_partner = make_partner(cast.school2)
    api.force_login(cast.curator)
    for path in (
        f"participants/{foreign.pk}/",
        f"participants/{foreign.pk}/consents/",
        f"consents/{foreign_consent.pk}/",
        f"partners/{foreign_partner.pk}/",
    ):
        response = api.get(url(cast.school, path))
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Запись не найдена."}
    assert (
        api.patch(url(cast.school, f"participants/{foreign.pk}/"), {"grade": 9}).status_code == 404
    )
    withdraw = url(cast.school, f"consents/{foreign_consent.pk}/withdraw/")
    assert api.post(withdraw, {"reason": "x"}).status_code == 404
    consents = url(cast.school, f"participants/{foreign.pk}/consents/")
    assert api.post(consents, {"given_by": "self"}).status_code == 404
    assert api.delete(url(cast.school, f"partners/{foreign_partner.pk}/")).status_code == 404
    with tenant_scope(cast.school2):
        assert PartnerOrganization.objects.filter(pk=foreign_partner.pk).exists()
        assert Consent.objects.get().withdrawn_on is None


# --- Query counts ---------------------------------------------------------------------


def _fill(org, count: int, prefix: str) -> None:
    for i in range(count):
        make_consented(
            org,
            last_name=f"{prefix}{i:03d}",
            birth_date=date(2012, 1, 1 + i % 28),
            mentee_forms=[],
        )


def test_participant_list_query_count_does_not_grow(cast, api, django_assert_max_num_queries):
    from registry.models import MentoringForm

    _fill(cast.school, 5, "Малых")
    api.force_login(cast.curator)
    with CaptureQueriesContext(connection) as baseline:
        response = api.get(url(cast.school, "participants/"))
    assert response.json()["count"] == 5
    _fill(cast.school, 45, "Многих")
    with tenant_scope(cast.school):
        form = MentoringForm.objects.get(code="teacher-student")
        for p in Participant.objects.all():
            p.mentee_forms.add(form)
    with django_assert_max_num_queries(len(baseline)) as captured:
        response = api.get(url(cast.school, "participants/"))
    assert response.json()["count"] == 50
    assert response.json()["results"][0]["mentee_forms"] == ["teacher-student"]
    assert len(captured) == len(baseline)


# --- Schema ---------------------------------------------------------------------------


def test_every_endpoint_is_in_the_openapi_schema(client, cast):
    client.force_login(cast.curator)  # the schema is behind login
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    prefix = "/api/v1/o/{org_slug}/"
    expected = {
        "participants/": {"get", "post"},
        "participants/{participant_id}/": {"get", "patch"},
        "participants/{participant_id}/consents/": {"get", "post"},
        "consents/{consent_id}/": {"get"},
        "consents/{consent_id}/withdraw/": {"post"},
        "partners/": {"get", "post"},
        "partners/{partner_id}/": {"get", "patch", "delete"},
        "mentor-base/": {"get"},
        "mentor-base/counts/": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[prefix + path]) == methods, path
    create = paths[prefix + "participants/{participant_id}/consents/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert "Куратор" in paths[prefix + "participants/"]["post"]["description"]


def test_schema_of_these_endpoints_has_no_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    ours = ("registry", "Participant", "Consent", "Partner", "MentorBase", "Counts")
    noted = [m for m in GENERATOR_STATS._warn_cache if any(word in m for word in ours)]
    noted += list(GENERATOR_STATS._error_cache)
    assert noted == []
