"""The roadmaps REST API: each operation, its roles, tenant isolation, query counts, schema."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mentorship.tenancy.scoping import tenant_scope
from roadmaps.api.serializers import ActivityWriteSerializer
from roadmaps.models import Activity, ActivityStatus, Roadmap, RoadmapStatus
from roadmaps.services import authoring
from roadmaps.services.authoring import EDITABLE_ACTIVITY_FIELDS
from tests.factories import make_roadmap

# A complete, minimal PDF (header, one empty page, xref, trailer): what a scanner
# would produce, cut down to the bytes the content check reads.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/{path}"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def muni_roadmap(cast) -> Roadmap:
    return make_roadmap(cast.muni, actor=cast.methodist)


@pytest.fixture
def school_roadmap(cast) -> Roadmap:
    return make_roadmap(cast.school, actor=cast.curator)


def first_of(roadmap: Roadmap) -> Activity:
    with tenant_scope(roadmap.organization):
        return roadmap.activities.order_by("section__position", "position").first()


def cascaded(cast, muni_roadmap: Roadmap, api: APIClient) -> None:
    api.force_authenticate(cast.methodist)
    assert api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/cascade/")).status_code == 200
    api.force_authenticate(None)


# --- Roadmaps -------------------------------------------------------------------------


def test_methodist_creates_a_roadmap_from_the_standard(cast, api):
    api.force_login(cast.methodist)
    response = api.post(
        url(cast.muni, "roadmaps/"),
        {
            "title": "Дорожная карта 2026/2027",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "from_standard": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == RoadmapStatus.DRAFT and body["is_editable"] is True
    sections = api.get(url(cast.muni, f"roadmaps/{body['id']}/sections/")).json()
    assert [s["for_every_school"] for s in sections["results"]] == [False, True, True, True, False]
    activities = api.get(url(cast.muni, f"roadmaps/{body['id']}/activities/")).json()
    with tenant_scope(cast.muni):
        assert activities["count"] == Activity.objects.filter(roadmap_id=body["id"]).count() > 0
    assert activities["results"][0]["number"] == "1"
    assert activities["results"][0]["deadline"]["kind"] == "month"


def test_create_validates_the_period_in_russian(cast, api):
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, "roadmaps/"),
        {"title": "План", "period_start": "2027-09-01", "period_end": "2026-08-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Окончание периода раньше его начала."]}


def test_list_retrieve_and_update_title_and_period(cast, api, muni_roadmap):
    api.force_login(cast.methodist)
    listed = api.get(url(cast.muni, "roadmaps/")).json()
    assert [r["id"] for r in listed["results"]] == [muni_roadmap.pk]
    detail = url(cast.muni, f"roadmaps/{muni_roadmap.pk}/")
    assert api.get(detail).json()["title"] == "Дорожная карта"
    response = api.patch(detail, {"title": "Новое имя", "period_end": "2028-08-31"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Новое имя"
    assert response.json()["period_end"] == "2028-08-31"
    assert response.json()["period_start"] == "2026-09-01"


def test_department_approves_a_municipal_roadmap(cast, api, muni_roadmap):
    api.force_login(cast.department)
    approve = url(cast.muni, f"roadmaps/{muni_roadmap.pk}/approve/")
    response = api.post(approve, {"order_number": "123-од", "order_date": "2026-08-20"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == RoadmapStatus.APPROVED
    assert response.json()["order_number"] == "123-од"
    # Approving what was just approved is a conflict: 409 with the order that won.
    again = api.post(approve, {"order_number": "124-од", "order_date": "2026-08-21"})
    assert again.status_code == 409
    assert again.json() == {
        "non_field_errors": ["Дорожная карта уже утверждена приказом № 123-од от 20.08.2026."]
    }


def test_methodist_may_not_approve(cast, api, muni_roadmap):
    api.force_login(cast.methodist)
    response = api.post(
        url(cast.muni, f"roadmaps/{muni_roadmap.pk}/approve/"),
        {"order_number": "1", "order_date": "2026-08-20"},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "У вашей роли нет доступа к этому разделу."
    with tenant_scope(cast.muni):
        muni_roadmap.refresh_from_db()
    assert muni_roadmap.status == RoadmapStatus.DRAFT


def test_approve_requires_the_order_fields(cast, api, muni_roadmap):
    api.force_login(cast.department)
    response = api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/approve/"), {})
    assert response.status_code == 400
    assert set(response.json()) == {"order_number", "order_date"}


def test_approved_roadmap_is_frozen_and_edited_through_a_new_draft(cast, api, muni_roadmap):
    api.force_login(cast.department)
    api.post(
        url(cast.muni, f"roadmaps/{muni_roadmap.pk}/approve/"),
        {"order_number": "5", "order_date": "2026-08-20"},
    )
    api.force_login(cast.methodist)
    frozen = api.patch(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/"), {"title": "x"})
    assert frozen.status_code == 400
    assert "Дорожная карта утверждена и не редактируется" in frozen.json()["non_field_errors"][0]
    draft = api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/new-draft/"))
    assert draft.status_code == 200
    assert draft.json()["version"] == 2
    assert draft.json()["previous_version"] == muni_roadmap.pk
    assert draft.json()["status"] == RoadmapStatus.DRAFT


# --- Cascade and the matrix -----------------------------------------------------------


def test_cascade_then_the_matrix_shows_both_schools(cast, api, muni_roadmap):
    api.force_login(cast.methodist)
    response = api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/cascade/"))
    assert response.status_code == 200
    assert response.json()["schools"] == 2 and response.json()["created"] > 0

    # The curator of school A1 reports one duty done through the API.
    api.force_login(cast.curator)
    school_roadmap_id = api.get(url(cast.school, "roadmaps/")).json()["results"][0]["id"]
    copies = api.get(url(cast.school, f"roadmaps/{school_roadmap_id}/activities/")).json()
    done_id = copies["results"][0]["id"]
    api.post(url(cast.school, f"activities/{done_id}/progress/"), {"status": "done"})

    api.force_login(cast.department)
    matrix = api.get(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/matrix/"))
    assert matrix.status_code == 200
    body = matrix.json()
    assert [row["school"]["slug"] for row in body["rows"]] == ["school-a1", "school-a2"]
    assert len(body["columns"]) == copies["count"]
    a1, a2 = body["rows"]
    assert a1["cells"][0] == ActivityStatus.DONE and a1["done"] == 1
    assert a1["total"] == a2["total"] == copies["count"]
    assert a2["done"] == 0 and a2["percent"] == 0
    assert body["columns"][0]["done"] == 1 and body["columns"][0]["percent"] == 50


def test_cascade_and_matrix_belong_to_the_municipality(cast, api, muni_roadmap, school_roadmap):
    api.force_login(cast.department)
    assert api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/cascade/")).status_code == 403
    api.force_login(cast.regional)
    # The region reads the school matrix (issue 17) but does not cascade a municipality's.
    assert api.get(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/matrix/")).status_code == 200
    assert api.post(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/cascade/")).status_code == 403
    # A school has no cascade and no matrix: the endpoints do not exist there.
    api.force_login(cast.curator)
    assert api.post(url(cast.school, f"roadmaps/{school_roadmap.pk}/cascade/")).status_code == 404
    assert api.get(url(cast.school, f"roadmaps/{school_roadmap.pk}/matrix/")).status_code == 404


# --- Sections -------------------------------------------------------------------------


def test_sections_create_update_move_delete(cast, api, school_roadmap):
    api.force_login(cast.curator)
    sections_url = url(cast.school, f"roadmaps/{school_roadmap.pk}/sections/")
    before = api.get(sections_url).json()["count"]
    created = api.post(sections_url, {"title": "Дополнительно"}, format="json")
    assert created.status_code == 201, created.content
    section_id = created.json()["id"]
    assert created.json()["position"] == before + 1

    detail = url(cast.school, f"sections/{section_id}/")
    updated = api.patch(detail, {"title": "Дополнительные мероприятия"}, format="json")
    assert updated.json()["title"] == "Дополнительные мероприятия"
    moved = api.post(url(cast.school, f"sections/{section_id}/move/"), {"offset": -1})
    assert moved.status_code == 200 and moved.json()["position"] == before
    assert (
        api.post(url(cast.school, f"sections/{section_id}/move/"), {"offset": 5}).status_code == 400
    )

    assert api.delete(detail).status_code == 204
    assert api.get(detail).status_code == 404
    assert api.get(sections_url).json()["count"] == before


# --- Activities -----------------------------------------------------------------------


def test_activity_detail_has_the_parsed_deadline_and_progress_fields(cast, api, school_roadmap):
    activity = first_of(school_roadmap)
    api.force_login(cast.viewer)
    body = api.get(url(cast.school, f"activities/{activity.pk}/")).json()
    for field in (
        "number",
        "title",
        "content",
        "responsible_text",
        "deadline_text",
        "deadline",
        "deadline_kind",
        "deadline_unclear",
        "due_date",
        "effective_status",
        "status",
        "comment",
        "evidence_url",
        "evidence_file",
        "origin",
    ):
        assert field in body, field
    assert body["evidence_file"] is None and body["origin"] is None


def test_editing_the_deadline_changes_the_parsed_fields(cast, api, muni_roadmap):
    activity = first_of(muni_roadmap)
    api.force_login(cast.methodist)
    detail = url(cast.muni, f"activities/{activity.pk}/")
    response = api.patch(detail, {"deadline_text": "май 2027"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["deadline_text"] == "май 2027"
    assert body["deadline_kind"] == "month"
    assert body["deadline"]["end"] == "2027-05-31"
    assert body["due_date"] == "2027-05-31" and body["deadline_unclear"] is False

    unclear = api.patch(detail, {"deadline_text": "когда-нибудь"}, format="json").json()
    assert unclear["deadline_unclear"] is True
    assert unclear["deadline_kind"] == "unreadable" and unclear["due_date"] is None
    assert unclear["deadline_text"] == "когда-нибудь"


def test_activity_create_with_a_sub_item_move_and_delete(cast, api, school_roadmap):
    api.force_login(cast.curator)
    with tenant_scope(cast.school):
        section = school_roadmap.sections.order_by("position").first()
    activities_url = url(cast.school, f"roadmaps/{school_roadmap.pk}/activities/")
    item = api.post(
        activities_url,
        {"section": section.pk, "title": "Семинар", "deadline_text": "октябрь 2026"},
        format="json",
    )
    assert item.status_code == 201, item.content
    assert item.json()["due_date"] == "2026-10-31"
    sub = api.post(
        activities_url,
        {"section": section.pk, "parent": item.json()["id"], "title": "Подготовка"},
        format="json",
    )
    assert sub.status_code == 201, sub.content
    assert sub.json()["number"] == f"{item.json()['number']}.1"

    moved = api.post(url(cast.school, f"activities/{item.json()['id']}/move/"), {"offset": -1})
    assert moved.status_code == 200
    assert moved.json()["position"] == item.json()["position"] - 1

    assert api.delete(url(cast.school, f"activities/{item.json()['id']}/")).status_code == 204
    with tenant_scope(cast.school):
        assert not Activity.objects.filter(pk__in=[item.json()["id"], sub.json()["id"]]).exists()


def test_activity_create_checks_section_parent_and_title(cast, api, school_roadmap):
    other = make_roadmap(cast.school, title="Другая")
    with tenant_scope(cast.school):
        foreign_section = other.sections.first()
        section = school_roadmap.sections.first()
    api.force_login(cast.curator)
    activities_url = url(cast.school, f"roadmaps/{school_roadmap.pk}/activities/")
    wrong_section = api.post(activities_url, {"section": foreign_section.pk, "title": "x"})
    assert wrong_section.json() == {"section": ["В этой дорожной карте нет такого раздела."]}
    wrong_parent = api.post(activities_url, {"section": section.pk, "parent": 0, "title": "x"})
    assert wrong_parent.json() == {"parent": ["Подпункт добавляется к пункту того же раздела."]}
    no_title = api.post(activities_url, {"section": section.pk})
    assert no_title.status_code == 400 and "title" in no_title.json()


def test_write_serializer_is_in_step_with_the_service():
    assert set(ActivityWriteSerializer().fields) == set(EDITABLE_ACTIVITY_FIELDS)


def test_activity_list_filters(cast, api, school_roadmap):
    with tenant_scope(cast.school):
        activities = list(school_roadmap.activities.order_by("pk"))
        past, unclear = activities[0], activities[1]
        # Independent of today's date: everything is due later, except one.
        Activity.objects.update(due_date=date.today() + timedelta(days=30))
        Activity.objects.filter(pk=past.pk).update(due_date=date.today() - timedelta(days=3))
        Activity.objects.filter(pk=unclear.pk).update(deadline_unclear=True)
        Activity.objects.filter(pk=activities[2].pk).update(status=ActivityStatus.DONE)
        second_section = school_roadmap.sections.order_by("position")[1]
        in_second = school_roadmap.activities.filter(section=second_section).count()
    api.force_login(cast.curator)
    base = url(cast.school, f"roadmaps/{school_roadmap.pk}/activities/")

    def ids(query: str) -> list[int]:
        response = api.get(base + query)
        assert response.status_code == 200, response.content
        return [a["id"] for a in response.json()["results"]]

    overdue = api.get(base + "?overdue=true").json()["results"]
    assert [a["id"] for a in overdue] == [past.pk]
    assert overdue[0]["effective_status"] == ActivityStatus.OVERDUE
    assert past.pk not in ids("?overdue=false")
    assert ids("?deadline_unclear=true") == [unclear.pk]
    assert ids("?status=done") == [activities[2].pk]
    assert len(ids(f"?section={second_section.pk}")) == in_second
    assert api.get(base + "?status=lost").status_code == 400


# --- Progress -------------------------------------------------------------------------


def test_progress_with_a_real_pdf(cast, api, school_roadmap):
    activity = first_of(school_roadmap)
    api.force_login(cast.curator)
    pdf = SimpleUploadedFile("приказ.pdf", PDF_BYTES, content_type="application/pdf")
    response = api.post(
        url(cast.school, f"activities/{activity.pk}/progress/"),
        {"status": "done", "comment": "Приказ подписан", "evidence_file": pdf},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == body["effective_status"] == ActivityStatus.DONE
    assert body["comment"] == "Приказ подписан"
    # The audited download page of the tenant, never the storage's own (private) URL.
    evidence = f"http://testserver/o/{cast.school.slug}/roadmaps/activities/{activity.pk}/evidence/"
    assert body["evidence_file"] == evidence
    assert api.get(evidence).getvalue() == PDF_BYTES


def test_progress_rejects_a_fake_pdf_in_russian(cast, api, school_roadmap):
    activity = first_of(school_roadmap)
    api.force_login(cast.curator)
    fake = SimpleUploadedFile("приказ.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = api.post(
        url(cast.school, f"activities/{activity.pk}/progress/"),
        {"status": "done", "evidence_file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "evidence_file": ["Загрузите PDF, изображение (JPG, PNG, TIFF) или документ Word."]
    }
    with tenant_scope(cast.school):
        activity.refresh_from_db()
    assert activity.status == ActivityStatus.NOT_STARTED and not activity.evidence_file


def test_progress_with_a_link_as_json(cast, api, school_roadmap):
    activity = first_of(school_roadmap)
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, f"activities/{activity.pk}/progress/"),
        {"status": "in_progress", "evidence_url": "https://school.example/prikaz"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["evidence_url"] == "https://school.example/prikaz"
    bad = api.post(
        url(cast.school, f"activities/{activity.pk}/progress/"),
        {"status": "overdue"},
        format="json",
    )
    assert bad.status_code == 400 and "status" in bad.json()


# --- Authentication, roles and tenant isolation ----------------------------------------


def test_token_authentication_works(cast, api, school_roadmap):
    token = Token.objects.create(user=cast.curator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(url(cast.school, "roadmaps/")).status_code == 200
    activity = first_of(school_roadmap)
    marked = api.post(
        url(cast.school, f"activities/{activity.pk}/progress/"), {"status": "done"}, format="json"
    )
    assert marked.status_code == 200
    # The token opens the curator's school only.
    assert api.get(url(cast.school2, "roadmaps/")).status_code == 404
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(url(cast.school, "roadmaps/")).status_code == 401


def test_anonymous_gets_401(cast, api, school_roadmap):
    assert api.get(url(cast.school, "roadmaps/")).status_code == 401
    assert api.post(url(cast.school, "roadmaps/"), {"title": "x"}).status_code == 401
    activity = first_of(school_roadmap)
    assert api.get(url(cast.school, f"activities/{activity.pk}/")).status_code == 401


def test_another_organisation_is_404(cast, api, muni_roadmap):
    api.force_login(cast.curator)
    assert api.get(url(cast.school2, "roadmaps/")).status_code == 404
    api.force_login(cast.other_methodist)
    assert api.get(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/")).status_code == 404
    assert api.get(url(cast.muni, "roadmaps/")).status_code == 404


def test_another_organisations_object_in_own_url_is_404(cast, api, muni_roadmap):
    foreign_roadmap = make_roadmap(cast.other_muni)
    foreign_activity = first_of(foreign_roadmap)
    with tenant_scope(cast.other_muni):
        foreign_section = foreign_roadmap.sections.first()
    api.force_login(cast.methodist)
    for path in (
        f"roadmaps/{foreign_roadmap.pk}/",
        f"roadmaps/{foreign_roadmap.pk}/sections/",
        f"roadmaps/{foreign_roadmap.pk}/activities/",
        f"roadmaps/{foreign_roadmap.pk}/matrix/",
        f"sections/{foreign_section.pk}/",
        f"activities/{foreign_activity.pk}/",
    ):
        assert api.get(url(cast.muni, path)).status_code == 404, path
    assert (
        api.patch(url(cast.muni, f"activities/{foreign_activity.pk}/"), {"title": "x"}).status_code
        == 404
    )
    assert api.post(url(cast.muni, f"roadmaps/{foreign_roadmap.pk}/cascade/")).status_code == 404
    missing = api.get(url(cast.muni, f"activities/{foreign_activity.pk}/"))
    assert missing.json() == {"detail": "Запись не найдена."}
    # A school's row is not the municipality's either, even below it in the tree.
    school_activity = first_of(make_roadmap(cast.school))
    assert api.get(url(cast.muni, f"activities/{school_activity.pk}/")).status_code == 404


def test_wrong_role_is_403(cast, api, muni_roadmap, school_roadmap):
    activity = first_of(school_roadmap)
    # A school viewer reads but does not write.
    api.force_login(cast.viewer)
    assert api.get(url(cast.school, f"activities/{activity.pk}/")).status_code == 200
    assert api.post(url(cast.school, "roadmaps/"), {"title": "x"}).status_code == 403
    assert (
        api.post(
            url(cast.school, f"activities/{activity.pk}/progress/"), {"status": "done"}
        ).status_code
        == 403
    )
    # The methodist reads a school's roadmap but writes only the municipality's.
    api.force_login(cast.methodist)
    assert api.get(url(cast.school, f"activities/{activity.pk}/")).status_code == 200
    assert (
        api.patch(url(cast.school, f"activities/{activity.pk}/"), {"title": "x"}).status_code == 403
    )
    # The department reads and approves but does not edit.
    api.force_login(cast.department)
    muni_activity = first_of(muni_roadmap)
    assert (
        api.patch(url(cast.muni, f"activities/{muni_activity.pk}/"), {"title": "x"}).status_code
        == 403
    )


def test_regional_sees_municipal_plans_but_not_school_activities(
    cast, api, muni_roadmap, school_roadmap
):
    api.force_login(cast.regional)
    assert api.get(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/activities/")).status_code == 200
    assert api.get(url(cast.school, "roadmaps/")).status_code == 200
    school_activities = url(cast.school, f"roadmaps/{school_roadmap.pk}/activities/")
    assert api.get(school_activities).status_code == 403
    activity = first_of(school_roadmap)
    assert api.get(url(cast.school, f"activities/{activity.pk}/")).status_code == 403


def test_a_method_the_endpoint_lacks_is_405_and_options_describes_it(cast, api, muni_roadmap):
    api.force_login(cast.methodist)
    detail = url(cast.muni, f"roadmaps/{muni_roadmap.pk}/")
    assert api.put(detail, {"title": "x"}).status_code == 405
    assert api.get(url(cast.muni, f"roadmaps/{muni_roadmap.pk}/approve/")).status_code == 405
    assert api.options(detail).status_code == 200


def test_region_has_its_own_roadmaps_endpoints(cast, api):
    # Issue 17: the region writes its own roadmap; a municipal role does not reach it.
    api.force_login(cast.regional)
    assert api.get(url(cast.region, "roadmaps/")).status_code == 200
    api.force_login(cast.methodist)
    assert api.get(url(cast.region, "roadmaps/")).status_code == 404


# --- Query counts ---------------------------------------------------------------------


def _roadmap_with(org, actor, count: int) -> Roadmap:
    roadmap = make_roadmap(org, title=f"{count} мероприятий", from_standard=False)
    with tenant_scope(org):
        section = authoring.section_create(actor=actor, roadmap=roadmap, title="Раздел")
        for i in range(count):
            authoring.activity_create(
                actor=actor,
                section=section,
                title=f"Мероприятие {i}",
                number=str(i + 1),
                deadline_text="май 2027",
            )
    return roadmap


def test_activity_list_query_count_does_not_grow(cast, api, django_assert_max_num_queries):
    few = _roadmap_with(cast.school, cast.curator, 5)
    many = _roadmap_with(cast.school, cast.curator, 50)
    api.force_login(cast.curator)
    with CaptureQueriesContext(connection) as baseline:
        response = api.get(url(cast.school, f"roadmaps/{few.pk}/activities/"))
    assert response.json()["count"] == 5
    with django_assert_max_num_queries(len(baseline)) as captured:
        response = api.get(url(cast.school, f"roadmaps/{many.pk}/activities/"))
    assert response.json()["count"] == 50
    assert len(captured) == len(baseline)


def test_roadmap_and_section_lists_query_count_does_not_grow(
    cast, api, django_assert_max_num_queries
):
    make_roadmap(cast.school)
    api.force_login(cast.curator)
    with CaptureQueriesContext(connection) as baseline:
        api.get(url(cast.school, "roadmaps/"))
    for i in range(5):
        make_roadmap(cast.school, title=f"Карта {i}", from_standard=False)
    with django_assert_max_num_queries(len(baseline)):
        assert api.get(url(cast.school, "roadmaps/")).json()["count"] == 6


# --- Schema ---------------------------------------------------------------------------


def test_every_endpoint_is_in_the_openapi_schema(client, cast):
    client.force_login(cast.curator)  # the schema is behind login
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    prefix = "/api/v1/o/{org_slug}/"
    expected = {
        "roadmaps/": {"get", "post"},
        "roadmaps/{roadmap_id}/": {"get", "patch"},
        "roadmaps/{roadmap_id}/approve/": {"post"},
        "roadmaps/{roadmap_id}/new-draft/": {"post"},
        "roadmaps/{roadmap_id}/cascade/": {"post"},
        "roadmaps/{roadmap_id}/matrix/": {"get"},
        "roadmaps/{roadmap_id}/sections/": {"get", "post"},
        "sections/{section_id}/": {"get", "patch", "delete"},
        "sections/{section_id}/move/": {"post"},
        "roadmaps/{roadmap_id}/activities/": {"get", "post"},
        "activities/{activity_id}/": {"get", "patch", "delete"},
        "activities/{activity_id}/move/": {"post"},
        "activities/{activity_id}/progress/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[prefix + path]) == methods, path
    progress = paths[prefix + "activities/{activity_id}/progress/"]["post"]
    assert "multipart/form-data" in progress["requestBody"]["content"]


def test_schema_of_these_endpoints_has_no_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    ours = ("roadmaps", "Roadmap", "Section", "Activity", "mentorship/api/", '"status"')
    noted = [m for m in GENERATOR_STATS._warn_cache if any(word in m for word in ours)]
    noted += list(GENERATOR_STATS._error_cache)
    assert noted == []
