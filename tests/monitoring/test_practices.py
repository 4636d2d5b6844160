"""The bank of best practices: the review workflow (services), the school's and the
municipal pages (query counts, roles, tenant isolation), the API, and the draft proposed
from a curator's report."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from mentorship.conflicts import Conflict
from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import (
    Answer,
    Invitation,
    Practice,
    PracticeFile,
    PracticeStatus,
    Question,
    Response,
)
from monitoring.selectors.home import unscoped_practices_to_review
from monitoring.selectors.practices import (
    practice_initial_from_report,
    practices_passed_to_region,
    unscoped_municipal_bank,
)
from monitoring.services import practices as service
from registry.models import MentoringForm
from tests.factories import MINIMAL_PDF, make_participant
from tests.monitoring.conftest import standard
from tests.monitoring.makers import make_campaign, make_practice

pytestmark = pytest.mark.django_db


def web(org, path: str = "") -> str:
    return f"/o/{org.slug}/practices/{path}"


def api_url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/practices/{path}"


def in_scope(org, fn, **kwargs):
    with tenant_scope(org):
        return fn(**kwargs)


def submitted(org):
    practice = make_practice(org)
    return in_scope(org, service.practice_submit, actor=None, practice=practice)


def accepted(org):
    practice = submitted(org)
    return in_scope(org, service.practice_accept, actor=None, practice=practice)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def form_pk(name: str = "учитель – учитель") -> int:
    return MentoringForm.objects.get(name=name).pk


# --- Services: the workflow ------------------------------------------------------------


def test_submit_return_edit_resubmit_accept_and_pass_to_region(cast):
    practice = make_practice(cast.school)
    assert practice.status == PracticeStatus.DRAFT
    assert practice.municipality == cast.muni
    with tenant_scope(cast.school):
        assert practice.files.count() == 1
        service.practice_submit(actor=cast.curator, practice=practice)
        service.practice_return(
            actor=cast.methodist, practice=practice, comment="Добавьте цифры результатов."
        )
        assert practice.status == PracticeStatus.RETURNED
        assert practice.review_comment == "Добавьте цифры результатов."
        service.practice_update(
            actor=cast.curator, practice=practice, results="Аттестованы 5 из 5 педагогов."
        )
        service.practice_submit(actor=cast.curator, practice=practice)
        service.practice_accept(actor=cast.methodist, practice=practice)
        service.practice_pass_to_region(actor=cast.methodist, practice=practice)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.ACCEPTED
    assert practice.results == "Аттестованы 5 из 5 педагогов."
    assert practice.passed_to_region_at is not None
    assert practice.reviewed_by == cast.methodist
    actions = list(
        AuditEntry.objects.filter(object_id=str(practice.pk), action__startswith="practice.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "practice.create",
        "practice.submit",
        "practice.return",
        "practice.update",
        "practice.submit",
        "practice.accept",
        "practice.pass_to_region",
    ]


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (PracticeStatus.DRAFT, "accept"),
        (PracticeStatus.DRAFT, "return"),
        (PracticeStatus.DRAFT, "pass"),
        (PracticeStatus.RETURNED, "accept"),
        (PracticeStatus.SUBMITTED, "submit"),
        (PracticeStatus.SUBMITTED, "update"),
        (PracticeStatus.SUBMITTED, "pass"),
        (PracticeStatus.ACCEPTED, "submit"),
        (PracticeStatus.ACCEPTED, "update"),
        (PracticeStatus.ACCEPTED, "accept"),
        (PracticeStatus.ACCEPTED, "return"),
    ],
)
def test_a_step_the_state_does_not_allow_is_a_conflict_and_changes_nothing(cast, status, step):
    practice = make_practice(cast.school, status=status)
    calls = {
        "submit": lambda: service.practice_submit(actor=None, practice=practice),
        "update": lambda: service.practice_update(actor=None, practice=practice, title="Новое"),
        "accept": lambda: service.practice_accept(actor=None, practice=practice),
        "return": lambda: service.practice_return(actor=None, practice=practice, comment="Нет"),
        "pass": lambda: service.practice_pass_to_region(actor=None, practice=practice),
    }
    with tenant_scope(cast.school), pytest.raises(Conflict):
        calls[step]()
    practice.refresh_from_db()
    assert practice.status == status and practice.passed_to_region_at is None
    assert practice.title != "Новое"


def test_passing_to_the_region_twice_is_a_conflict(cast):
    practice = accepted(cast.school)
    with tenant_scope(cast.school):
        service.practice_pass_to_region(actor=None, practice=practice)
        with pytest.raises(Conflict):
            service.practice_pass_to_region(actor=None, practice=practice)


def test_returning_needs_a_comment(cast):
    practice = submitted(cast.school)
    with tenant_scope(cast.school), pytest.raises(ValidationError) as caught:
        service.practice_return(actor=None, practice=practice, comment="  ")
    assert "comment" in caught.value.message_dict
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_bad_input_names_each_field_and_saves_nothing(cast, standard_forms):
    with tenant_scope(cast.school), pytest.raises(ValidationError) as caught:
        service.practice_create(
            actor=None,
            organization=cast.school,
            title=" ",
            form=987654,
            category="nonsense",
            description="",
            results="",
            year=1990,
        )
    assert set(caught.value.message_dict) == {
        "title",
        "form",
        "category",
        "description",
        "results",
        "year",
    }
    with tenant_scope(cast.school):
        assert not Practice.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_with_the_practice(cast, standard_forms):
    fake = SimpleUploadedFile("practice.pdf", b"<html>not a pdf</html>")
    with tenant_scope(cast.school), pytest.raises(ValidationError) as caught:
        service.practice_create(
            actor=None,
            organization=cast.school,
            title="Практика",
            form=form_pk(),
            category="career",
            description="Описание",
            results="Результаты",
            year=2025,
            files=[fake],
        )
    assert "files" in caught.value.message_dict
    with tenant_scope(cast.school):
        assert not Practice.objects.exists() and not PracticeFile.objects.exists()


def test_only_a_school_proposes_a_practice(cast, standard_forms):
    with tenant_scope(cast.muni), pytest.raises(ValidationError):
        service.practice_create(
            actor=None,
            organization=cast.muni,
            title="Практика",
            form=form_pk(),
            category="career",
            description="Описание",
            results="Результаты",
            year=2025,
        )


# --- Selectors: the municipal and the regional bank -------------------------------------


def test_the_municipal_bank_holds_accepted_practices_of_its_own_schools_only(cast):
    mine = accepted(cast.school)
    neighbour = accepted(cast.school2)
    submitted(cast.school)  # waiting: not in the bank
    make_practice(cast.school)  # a draft: not in the bank
    foreign = accepted(cast.other_school)
    bank = set(unscoped_municipal_bank(cast.muni).values_list("pk", flat=True))
    assert bank == {mine.pk, neighbour.pk}
    assert foreign.pk not in bank


def test_practices_passed_to_region_lists_the_regions_passed_practices(cast):
    passed = accepted(cast.school)
    in_scope(cast.school, service.practice_pass_to_region, actor=None, practice=passed)
    accepted(cast.school2)  # accepted but kept in the municipality
    other = accepted(cast.other_school)
    in_scope(cast.other_school, service.practice_pass_to_region, actor=None, practice=other)
    far = accepted(cast.far_school)
    in_scope(cast.far_school, service.practice_pass_to_region, actor=None, practice=far)
    listed = practices_passed_to_region(cast.region)
    assert {p.pk for p in listed} == {passed.pk, other.pk}
    assert {p.municipality.short_name for p in listed} == {"Город А", "Район Б"}


def test_the_regional_report_names_the_practices_passed_up_that_year(cast):
    from django.utils import timezone

    from monitoring.indicators.selectors.regional import unscoped_best_practices_passed_up

    passed = accepted(cast.school)
    in_scope(cast.school, service.practice_pass_to_region, actor=None, practice=passed)
    far = accepted(cast.far_school)
    in_scope(cast.far_school, service.practice_pass_to_region, actor=None, practice=far)
    year = timezone.localdate().year
    assert [p.pk for p in unscoped_best_practices_passed_up(cast.region, year)] == [passed.pk]
    assert unscoped_best_practices_passed_up(cast.region, year - 1) == []


# --- The curator's report proposes a practice ------------------------------------------


def curator_report(school):
    """An answered curator's report of `school` (the standard questionnaire)."""
    questionnaire = standard("curator_report")
    campaign = make_campaign(school)
    person = make_participant(school, category="teacher", is_mentor=True, birth_date=None)
    questions = {q.code: q for q in Question.objects.filter(questionnaire=questionnaire)}
    with tenant_scope(school):
        invitation = Invitation.objects.create(
            organization=school,
            campaign=campaign,
            participant=person,
            questionnaire=questionnaire,
            role="mentor",
            token=secrets.token_urlsafe(16),
            channel="email",
            responded_at=timezone.now(),
        )
        response = Response.objects.create(
            organization=school,
            invitation=invitation,
            campaign=campaign,
            questionnaire=questionnaire,
            participant=person,
            role="mentor",
        )
        forms = questions["forms"].options
        Answer.objects.bulk_create(
            [
                Answer(
                    organization=school,
                    response=response,
                    campaign=campaign,
                    question=questions["best_practices"],
                    text="Педагогическая мастерская молодого учителя\nРаз в месяц открытые уроки.",
                ),
                Answer(
                    organization=school,
                    response=response,
                    campaign=campaign,
                    question=questions["results_summary"],
                    text="Пять молодых педагогов остались в школе.",
                ),
                Answer(
                    organization=school,
                    response=response,
                    campaign=campaign,
                    question=questions["forms"],
                    choices=[forms.index("учитель – учитель")],
                ),
            ]
        )
    return response


def test_a_curator_report_prefills_the_practice_draft(cast, standard_forms):
    response = curator_report(cast.school)
    with tenant_scope(cast.school):
        initial = practice_initial_from_report(response)
    assert initial["title"] == "Педагогическая мастерская молодого учителя"
    assert "открытые уроки" in initial["description"]
    assert initial["results"] == "Пять молодых педагогов остались в школе."
    assert initial["form"] == form_pk("учитель – учитель")
    assert initial["year"] == timezone.localdate().year


def test_the_report_button_opens_a_prefilled_form_and_saves_the_link(cast, client, standard_forms):
    response = curator_report(cast.school)
    client.force_login(cast.curator)
    listing = client.get(web(cast.school))
    assert f"?response={response.pk}" in listing.content.decode()
    page = client.get(web(cast.school, f"new/?response={response.pk}"))
    assert page.status_code == 200
    assert "Педагогическая мастерская молодого учителя" in page.content.decode()
    saved = client.post(
        web(cast.school, "new/"),
        {
            "response": response.pk,
            "title": "Педагогическая мастерская молодого учителя",
            "form": form_pk("учитель – учитель"),
            "category": "young_teachers",
            "year": 2026,
            "description": "Раз в месяц открытые уроки.",
            "results": "Пять молодых педагогов остались в школе.",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with tenant_scope(cast.school):
        assert Practice.objects.get().source_response_id == response.pk


def test_another_schools_report_is_not_found(cast, client, standard_forms):
    response = curator_report(cast.school2)
    client.force_login(cast.curator)
    assert client.get(web(cast.school, f"new/?response={response.pk}")).status_code == 404


# --- Web pages ---------------------------------------------------------------------------


def test_the_curator_creates_a_practice_with_a_material_and_submits_it(
    cast, client, standard_forms
):
    client.force_login(cast.curator)
    created = client.post(
        web(cast.school, "new/"),
        {
            "title": "Билет в будущее: наставник-профориентатор",
            "form": form_pk("учитель – ученик"),
            "category": "career",
            "year": 2025,
            "description": "Учителя сопровождают учеников 6–11 классов в выборе профессии.",
            "results": "30 учеников прошли профпробы.",
            "files": [SimpleUploadedFile("презентация.pdf", MINIMAL_PDF)],
        },
    )
    assert created.status_code == 302
    with tenant_scope(cast.school):
        practice = Practice.objects.get()
        stored = practice.files.get()
    assert stored.name == "презентация.pdf"
    detail = client.get(created["Location"])
    assert "Отправить методисту" in detail.content.decode()
    download = client.get(web(cast.school, f"{practice.pk}/files/{stored.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINIMAL_PDF
    assert client.post(web(cast.school, f"{practice.pk}/submit/")).status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    # Submitted: the edit page sends the curator back, the form is not offered.
    assert client.get(web(cast.school, f"{practice.pk}/edit/")).status_code == 302


def test_a_bad_form_is_a_400_with_the_errors_and_nothing_saved(cast, client, standard_forms):
    client.force_login(cast.curator)
    response = client.post(
        web(cast.school, "new/"),
        {"title": "", "form": "x", "category": "career", "year": 1900, "description": "Есть"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"title", "form", "year", "results"}
    with tenant_scope(cast.school):
        assert not Practice.objects.exists()


def test_the_methodist_reviews_at_the_schools_address(cast, client):
    practice = submitted(cast.school)
    client.force_login(cast.methodist)
    page = client.get(web(cast.school, f"{practice.pk}/"))
    assert page.status_code == 200 and 'name="decision"' in page.content.decode()
    refused = client.post(web(cast.school, f"{practice.pk}/review/"), {"decision": "return"})
    assert refused.status_code == 400  # returning needs the comments
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    returned = client.post(
        web(cast.school, f"{practice.pk}/review/"),
        {"decision": "return", "comment": "Опишите роль наставника подробнее."},
    )
    assert returned.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    # Reviewing it again, now that it is back with the school: a message, nothing changes.
    again = client.post(web(cast.school, f"{practice.pk}/review/"), {"decision": "accept"})
    assert again.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED


def test_roles(cast, client):
    practice = submitted(cast.school)
    client.force_login(cast.curator)
    assert (
        client.post(web(cast.school, f"{practice.pk}/review/"), {"decision": "accept"}).status_code
        == 403
    )
    client.force_login(cast.viewer)
    assert client.get(web(cast.school, f"{practice.pk}/")).status_code == 200
    assert client.get(web(cast.school, "new/")).status_code == 403
    client.force_login(cast.methodist)
    assert client.get(web(cast.school, "new/")).status_code == 403
    client.force_login(cast.department)
    assert (
        client.post(web(cast.school, f"{practice.pk}/review/"), {"decision": "accept"}).status_code
        == 403
    )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_a_practice_of_another_school_is_not_found(cast, client):
    foreign = make_practice(cast.school2)
    with tenant_scope(cast.school2):
        material = foreign.files.get()
    client.force_login(cast.curator)
    assert client.get(web(cast.school, f"{foreign.pk}/")).status_code == 404
    assert client.get(web(cast.school, f"{foreign.pk}/files/{material.pk}/")).status_code == 404
    assert client.post(web(cast.school, f"{foreign.pk}/submit/")).status_code == 404
    # Another municipality's methodist does not reach the school at all.
    client.force_login(cast.other_methodist)
    mine = make_practice(cast.school)
    assert client.get(web(cast.school, f"{mine.pk}/")).status_code == 404


def test_a_municipality_never_sees_another_ones_bank(cast, client):
    mine = accepted(cast.school)
    foreign = accepted(cast.other_school)
    client.force_login(cast.methodist)
    page = client.get(web(cast.muni, "bank/")).content.decode()
    assert mine.title in page and foreign.title not in page
    assert client.get(web(cast.other_muni, "bank/")).status_code == 404


def test_the_bank_searches_by_form_category_and_year(cast, client):
    a = accepted(cast.school)
    b = make_practice(cast.school2, year=2023, title="Клуб юных исследователей")
    with tenant_scope(cast.school2):
        service.practice_update(actor=None, practice=b, category="projects")
        service.practice_submit(actor=None, practice=b)
        service.practice_accept(actor=None, practice=b)
    client.force_login(cast.curator)  # the schools read their municipality's bank
    by_year = client.get(web(cast.school, "bank/?year=2023")).content.decode()
    assert b.title in by_year and a.title not in by_year
    by_category = client.get(web(cast.school, "bank/?category=young_teachers")).content.decode()
    assert a.title in by_category and b.title not in by_category
    by_form = client.get(web(cast.school, f"bank/?form={a.form_id}")).content.decode()
    assert a.title in by_form
    bad = client.get(web(cast.school, "bank/?year=abc"))
    assert bad.status_code == 200 and a.title not in bad.content.decode()


def _queries(client, path: str) -> int:
    client.get(path)  # warm up the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_pages_make_a_fixed_number_of_queries(cast, client):
    client.force_login(cast.methodist)
    accepted(cast.school)
    submitted(cast.school2)
    list_page, bank_page = web(cast.school), web(cast.muni, "bank/")
    few = _queries(client, list_page), _queries(client, bank_page)
    for _ in range(3):
        accepted(cast.school)
        submitted(cast.school2)
        make_practice(cast.school)
    many = _queries(client, list_page), _queries(client, bank_page)
    assert many == few


def test_the_practice_page_makes_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    practice = make_practice(cast.school, files=1)
    client.force_login(cast.curator)
    path = web(cast.school, f"{practice.pk}/")
    one = _queries(client, path)
    for _ in range(3):
        with tenant_scope(cast.school):
            service.practice_update(
                actor=None,
                practice=practice,
                files=[SimpleUploadedFile("ещё.pdf", MINIMAL_PDF)],
            )
    assert _queries(client, path) == one


# --- API ---------------------------------------------------------------------------------


def test_api_workflow(cast, api, standard_forms):
    api.force_login(cast.curator)
    created = api.post(
        api_url(cast.school),
        {
            "title": "Наставник молодого педагога",
            "form": form_pk(),
            "category": "young_teachers",
            "description": "Совместное планирование уроков.",
            "results": "Рост результатов аттестации.",
            "year": 2025,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    patched = api.patch(api_url(cast.school, f"{pk}/"), {"year": 2024}, format="json")
    assert patched.status_code == 200 and patched.json()["year"] == 2024
    assert api.post(api_url(cast.school, f"{pk}/submit/")).status_code == 200
    assert api.post(api_url(cast.school, f"{pk}/submit/")).status_code == 409
    assert (
        api.patch(api_url(cast.school, f"{pk}/"), {"year": 2023}, format="json").status_code == 409
    )
    # The curator does not review.
    assert (
        api.post(
            api_url(cast.school, f"{pk}/review/"), {"decision": "accept"}, format="json"
        ).status_code
        == 403
    )
    api.force_login(cast.methodist)
    no_comment = api.post(
        api_url(cast.school, f"{pk}/review/"), {"decision": "return"}, format="json"
    )
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    junk = api.post(api_url(cast.school, f"{pk}/review/"), {"decision": "maybe"}, format="json")
    assert junk.status_code == 400
    too_early = api.post(api_url(cast.school, f"{pk}/to-region/"))
    assert too_early.status_code == 409
    ok = api.post(api_url(cast.school, f"{pk}/review/"), {"decision": "accept"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    passed = api.post(api_url(cast.school, f"{pk}/to-region/"))
    assert passed.status_code == 200 and passed.json()["passed_to_region_at"]
    assert api.post(api_url(cast.school, f"{pk}/to-region/")).status_code == 409
    bank = api.get(api_url(cast.muni, "bank/"))
    assert [p["id"] for p in bank.json()["results"]] == [pk]


def test_api_bad_input_and_isolation(cast, api, standard_forms):
    api.force_login(cast.curator)
    empty = api.post(api_url(cast.school), {}, format="json")
    assert empty.status_code == 400
    assert {"title", "form", "description", "results", "year"} <= set(empty.json())
    wrong = api.post(api_url(cast.school), {"year": "two", "category": "x"}, format="json")
    assert wrong.status_code == 400 and {"year", "category"} <= set(wrong.json())
    foreign = make_practice(cast.school2)
    assert api.get(api_url(cast.school, f"{foreign.pk}/")).status_code == 404
    assert api.get(api_url(cast.school2, f"{foreign.pk}/")).status_code == 404
    listed = api.get(api_url(cast.school)).json()["results"]
    assert listed == []
    assert api.get(api_url(cast.school, "bank/?year=abc")).status_code == 400
    api.force_login(cast.other_methodist)
    assert api.get(api_url(cast.muni, "bank/")).status_code == 404
    accepted(cast.school)
    assert api.get(api_url(cast.other_muni, "bank/")).json()["results"] == []


def test_api_bank_filters(cast, api):
    a = accepted(cast.school)
    api.force_login(cast.department)
    assert [
        p["id"]
        for p in api.get(api_url(cast.muni, "bank/?category=young_teachers")).json()["results"]
    ] == [a.pk]
    assert api.get(api_url(cast.muni, "bank/?category=career")).json()["results"] == []
    assert api.get(api_url(cast.muni, f"bank/?form={a.form_id}&year=2025")).json()["count"] == 1
    assert api.get(api_url(cast.muni, "bank/?year=2024")).json()["count"] == 0


def test_the_methodists_home_counts_the_practices_waiting_for_review(cast, client):
    submitted(cast.school)
    submitted(cast.school2)
    submitted(cast.other_school)  # another municipality's
    accepted(cast.school)
    client.force_login(cast.methodist)
    html = client.get(f"/o/{cast.muni.slug}/").content.decode()
    start = html.index('data-testid="todo-practices_to_review"')
    line = html[start : start + 600]
    assert web(cast.muni, "bank/") in html[start - 300 : start + 300]
    assert '<span class="badge' in line or "count" in line
    assert unscoped_practices_to_review(cast.muni).count == 2


def test_api_attaches_checked_materials_while_the_practice_is_editable(cast, api):
    practice = make_practice(cast.school, files=0)
    api.force_login(cast.curator)
    path = api_url(cast.school, f"{practice.pk}/files/")
    ok = api.post(
        path, {"files": [SimpleUploadedFile("план.pdf", MINIMAL_PDF)]}, format="multipart"
    )
    assert ok.status_code == 200, ok.content
    assert [f["name"] for f in ok.json()["files"]] == ["план.pdf"]
    fake = SimpleUploadedFile("план.pdf", b"<html>not a pdf</html>")
    bad = api.post(path, {"files": [fake]}, format="multipart")
    assert bad.status_code == 400 and "files" in bad.json()
    assert api.post(path, {}, format="multipart").status_code == 400
    in_scope(cast.school, service.practice_submit, actor=None, practice=practice)
    late = api.post(
        path, {"files": [SimpleUploadedFile("ещё.pdf", MINIMAL_PDF)]}, format="multipart"
    )
    assert late.status_code == 409
    with tenant_scope(cast.school):
        assert practice.files.count() == 1
    api.force_login(cast.methodist)
    refused = api.post(
        path, {"files": [SimpleUploadedFile("м.pdf", MINIMAL_PDF)]}, format="multipart"
    )
    assert refused.status_code == 403
