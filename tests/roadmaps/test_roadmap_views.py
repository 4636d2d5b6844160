"""Roadmap pages: create, inline edit, approve, cascade, matrix, the curator's duties."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, Roadmap, RoadmapStatus
from roadmaps.services import cascade
from tests.factories import MINIMAL_PDF, MembershipFactory, OrganizationFactory, make_roadmap

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, org, **kwargs):
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def cascaded(cast):
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    return roadmap


def test_methodist_creates_a_roadmap_from_the_standard_template(client, cast):
    client.force_login(cast.methodist)
    page = client.get(url("roadmaps:roadmap_list", cast.muni))
    assert "Типовая дорожная карта" in page.content.decode()
    response = client.post(
        url("roadmaps:roadmap_list", cast.muni),
        {
            "title": "ДК 2026",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "start_from": "standard",
        },
    )
    with tenant_scope(cast.muni):
        roadmap = Roadmap.objects.get()
        assert roadmap.activities.count() == 9
    assert response["Location"] == url("roadmaps:roadmap_detail", cast.muni, roadmap_id=roadmap.pk)
    body = client.get(response["Location"]).content.decode()
    assert "на уровне ОО" in body and "1 раз в квартал" in body


def test_bad_period_is_refused_in_russian(client, cast):
    client.force_login(cast.methodist)
    response = client.post(
        url("roadmaps:roadmap_list", cast.muni),
        {
            "title": "X",
            "period_start": "2027-09-01",
            "period_end": "2026-08-31",
            "start_from": "blank",
        },
    )
    assert "Окончание периода раньше его начала" in response.content.decode()
    with unscoped_reads():
        assert not Roadmap.objects.exists()


def test_viewer_and_department_cannot_create(client, cast):
    client.force_login(cast.department)
    data = {
        "title": "X",
        "period_start": "2026-09-01",
        "period_end": "2027-08-31",
        "start_from": "blank",
    }
    assert client.post(url("roadmaps:roadmap_list", cast.muni), data).status_code == 403
    client.force_login(cast.viewer)
    assert client.post(url("roadmaps:roadmap_list", cast.school), data).status_code == 403


def test_inline_edit_returns_the_row_with_the_parsed_deadline(client, cast):
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        activity = roadmap.activities.first()
    client.force_login(cast.methodist)
    form = client.get(url("roadmaps:activity_edit", cast.muni, activity_id=activity.pk), **HTMX)
    assert 'name="deadline_text"' in form.content.decode()
    row = client.post(
        url("roadmaps:activity_edit", cast.muni, activity_id=activity.pk),
        {"title": "Новое название", "deadline_text": "В течеие года", "responsible_text": "ИМЦ"},
        **HTMX,
    )
    body = row.content.decode()
    assert "Новое название" in body and "постоянно" in body
    assert "<html" not in body
    row = client.post(
        url("roadmaps:activity_edit", cast.muni, activity_id=activity.pk),
        {"title": "Новое название", "deadline_text": "когда получится"},
        **HTMX,
    )
    assert "срок требует уточнения" in row.content.decode()


def test_structure_changes_answer_with_the_table(client, cast):
    roadmap = make_roadmap(cast.muni)
    client.force_login(cast.methodist)
    with tenant_scope(cast.muni):
        section = roadmap.sections.first()
        second = roadmap.activities.order_by("section__position", "position")[1]
    table = client.post(
        url("roadmaps:section_action", cast.muni, section_id=section.pk),
        {"action": "add_activity", "title": "Совещание с кураторами"},
        **HTMX,
    ).content.decode()
    assert "Совещание с кураторами" in table
    client.post(
        url("roadmaps:activity_action", cast.muni, activity_id=second.pk), {"action": "up"}, **HTMX
    )
    with tenant_scope(cast.muni):
        second.refresh_from_db()
        assert second.number == "1"
    client.post(
        url("roadmaps:section_add", cast.muni, roadmap_id=roadmap.pk),
        {"title": "Новый раздел"},
        **HTMX,
    )
    with tenant_scope(cast.muni):
        assert roadmap.sections.filter(title="Новый раздел").exists()


def test_department_approves_and_the_roadmap_freezes(client, cast):
    roadmap = make_roadmap(cast.muni)
    client.force_login(cast.methodist)
    assert (
        client.post(
            url("roadmaps:roadmap_approve", cast.muni, roadmap_id=roadmap.pk),
            {"order_number": "1", "order_date": "2026-09-01"},
        ).status_code
        == 403
    )
    client.force_login(cast.department)
    client.post(
        url("roadmaps:roadmap_approve", cast.muni, roadmap_id=roadmap.pk),
        {"order_number": "245-од", "order_date": "2026-09-05"},
    )
    with tenant_scope(cast.muni):
        roadmap.refresh_from_db()
        activity = roadmap.activities.first()
    assert (roadmap.status, roadmap.order_number) == (RoadmapStatus.APPROVED, "245-од")
    client.force_login(cast.methodist)
    response = client.post(
        url("roadmaps:activity_edit", cast.muni, activity_id=activity.pk), {"title": "x"}, **HTMX
    )
    assert response.status_code == 403
    redirect = client.post(url("roadmaps:roadmap_new_draft", cast.muni, roadmap_id=roadmap.pk))
    with tenant_scope(cast.muni):
        draft = Roadmap.objects.get(version=2)
    assert redirect["Location"] == url("roadmaps:roadmap_detail", cast.muni, roadmap_id=draft.pk)


def test_cascade_button_and_matrix(client, cast):
    roadmap = make_roadmap(cast.muni)
    client.force_login(cast.methodist)
    response = client.post(
        url("roadmaps:roadmap_cascade", cast.muni, roadmap_id=roadmap.pk), follow=True
    )
    body = response.content.decode()
    assert "создано 12 мероприятий" in body
    assert "Школа А1" in body and "Школа А2" in body and "Школа Б1" not in body


def test_matrix_keeps_a_fixed_number_of_queries(client, cast, cascaded):
    client.force_login(cast.methodist)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    url("roadmaps:roadmap_matrix", cast.muni, roadmap_id=cascaded.pk)
                ).status_code
                == 200
            )
        return len(queries)

    before = count()
    for i in range(5):
        school = OrganizationFactory(parent=cast.muni, slug=f"more-{i}")
        MembershipFactory(organization=school, role="curator")
        with tenant_scope(cast.muni):
            cascade.roadmap_cascade(actor=None, roadmap=cascaded, schools=[school])
    assert count() == before


def test_matrix_exports_xlsx_with_statuses(client, cast, cascaded):
    client.force_login(cast.department)
    response = client.get(
        url("roadmaps:roadmap_matrix", cast.muni, roadmap_id=cascaded.pk) + "?format=xlsx"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == cascaded.title
    assert {rows[2][0], rows[3][0]} == {"Школа А1", "Школа А2"}
    assert rows[-1][0] == "Выполнено, %"


def test_curator_marks_her_schools_duty_done_with_a_scan(client, cast, cascaded):
    client.force_login(cast.curator)
    listing = client.get(url("roadmaps:school_activities", cast.school)).content.decode()
    assert "Издание приказа о внедрении" in listing
    with tenant_scope(cast.school):
        activity = Activity.objects.order_by("due_date").first()
    pdf = SimpleUploadedFile("приказ.pdf", MINIMAL_PDF, "application/pdf")
    response = client.post(
        url("roadmaps:activity_progress", cast.school, activity_id=activity.pk),
        {"status": "done", "comment": "Приказ № 12", "evidence_file": pdf},
    )
    assert response.status_code == 302
    fake = SimpleUploadedFile("приказ.pdf", b"<html>not a scan</html>", "application/pdf")
    bad = client.post(
        url("roadmaps:activity_progress", cast.school, activity_id=activity.pk),
        {"status": "in_progress", "evidence_file": fake},
    )
    assert "Загрузите PDF" in bad.content.decode()
    with tenant_scope(cast.school):
        activity.refresh_from_db()
    assert activity.status == "done"
    client.force_login(cast.methodist)
    matrix = client.get(
        url("roadmaps:roadmap_matrix", cast.muni, roadmap_id=cascaded.pk)
    ).content.decode()
    assert "Выполнено" in matrix and "17%" in matrix


def test_curator_list_is_due_soonest_first(client, cast, cascaded):
    client.force_login(cast.curator)
    response = client.get(url("roadmaps:school_activities", cast.school))
    dues = [a.due_date for a in response.context["activities"]]
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dues[: len(dated)] == dated


def test_viewer_sees_but_cannot_mark(client, cast, cascaded):
    client.force_login(cast.viewer)
    assert client.get(url("roadmaps:school_activities", cast.school)).status_code == 200
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    assert (
        client.post(
            url("roadmaps:activity_progress", cast.school, activity_id=activity.pk),
            {"status": "done"},
        ).status_code
        == 403
    )


def test_other_school_curator_cannot_touch_the_copy(client, cast, cascaded):
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    client.force_login(cast.curator2)
    assert (
        client.get(
            url("roadmaps:activity_progress", cast.school2, activity_id=activity.pk)
        ).status_code
        == 404
    )
    assert date.today()


def test_evidence_is_served_only_inside_the_tenant_and_audited(client, cast, cascaded):
    from mentorship.models import AuditEntry

    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    client.force_login(cast.curator)
    pdf = SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf")
    client.post(
        url("roadmaps:activity_progress", cast.school, activity_id=activity.pk),
        {"status": "done", "evidence_file": pdf},
    )
    response = client.get(url("roadmaps:activity_evidence", cast.school, activity_id=activity.pk))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="activity.evidence_download").count() == 1
    client.force_login(cast.curator2)
    assert (
        client.get(
            url("roadmaps:activity_evidence", cast.school2, activity_id=activity.pk)
        ).status_code
        == 404
    )
    assert (
        client.get(
            url("roadmaps:activity_evidence", cast.school, activity_id=activity.pk)
        ).status_code
        == 404
    )


def test_assigning_responsible_users_and_fixed_queries_on_the_roadmap_page(client, cast):
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        first, second = roadmap.activities.order_by("section__position", "position")[:2]
    client.force_login(cast.methodist)
    client.post(
        url("roadmaps:activity_edit", cast.muni, activity_id=first.pk),
        {
            "title": first.title,
            "deadline_text": first.deadline_text,
            "responsible_users": [cast.methodist.pk],
            "responsible_organizations": [cast.school.pk],
        },
        **HTMX,
    )
    with tenant_scope(cast.muni):
        assert list(first.responsible_users.all()) == [cast.methodist]
        assert list(first.responsible_organizations.all()) == [cast.school]
    foreign = client.post(
        url("roadmaps:activity_edit", cast.muni, activity_id=second.pk),
        {"title": "x", "responsible_users": [cast.other_methodist.pk]},
        **HTMX,
    )
    assert "Выберите корректный вариант" in foreign.content.decode()

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url("roadmaps:roadmap_detail", cast.muni, roadmap_id=roadmap.pk))
        return len(queries)

    before = count()
    with tenant_scope(cast.muni):
        for activity in roadmap.activities.all():
            activity.responsible_users.add(cast.methodist, cast.department)
    assert count() == before


# --- Who reads what (roadmaps/access.py) ----------------------------------------------


def test_the_region_reads_municipal_and_school_roadmaps_on_the_web_as_in_the_api(
    client, cast, cascaded
):
    api_client = APIClient()
    with tenant_scope(cast.school):
        school_copy = Roadmap.objects.get(origin=cascaded)
    client.force_login(cast.regional)
    api_client.force_login(cast.regional)
    for org, roadmap in ((cast.muni, cascaded), (cast.school, school_copy)):
        listing = client.get(url("roadmaps:roadmap_list", org))
        assert listing.status_code == 200
        # Reading, not writing: no form to create one, no import.
        assert not listing.context["can_create"]
        assert "Загрузить из Word или Excel" not in listing.content.decode()
        page = client.get(url("roadmaps:roadmap_detail", org, roadmap_id=roadmap.pk))
        assert page.status_code == 200
        api = api_client.get(f"/api/v1/o/{org.slug}/roadmaps/{roadmap.pk}/")
        assert api.status_code == 200
    # The municipal roadmap's page links the school matrix, which the region reads
    # (issue 17: statuses and percentages per school, no pupils).
    body = client.get(url("roadmaps:roadmap_detail", cast.muni, roadmap_id=cascaded.pk))
    matrix_url = url("roadmaps:roadmap_matrix", cast.muni, roadmap_id=cascaded.pk)
    assert matrix_url in body.content.decode()
    assert client.get(matrix_url).status_code == 200
    nav = [item["label"] for item in body.context["nav_items"]]
    assert "Дорожные карты" in nav and "Мероприятия школы" not in nav
    # The region has its own roadmaps (issue 17).
    assert client.get(url("roadmaps:roadmap_list", cast.region)).status_code == 200


def test_a_schools_activities_are_read_by_the_school_and_its_municipality(client, cast, cascaded):
    """The page «Мероприятия школы» and its link on the school's home page agree."""
    activities = url("roadmaps:school_activities", cast.school)
    home = reverse("org_home", kwargs={"org_slug": cast.school.slug})
    readers = (cast.curator, cast.viewer, cast.methodist, cast.department)
    for user in readers:
        client.force_login(user)
        assert client.get(activities).status_code == 200, user
        assert activities in client.get(home).content.decode(), user
    client.force_login(cast.regional)
    assert client.get(activities).status_code == 403
    assert activities not in client.get(home).content.decode()
    # A municipality has no such page.
    client.force_login(cast.methodist)
    assert client.get(url("roadmaps:school_activities", cast.muni)).status_code == 404


def test_only_the_curator_marks_a_schools_duty_and_only_the_methodist_imports_a_muni_one(
    client, cast, cascaded
):
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    progress = url("roadmaps:activity_progress", cast.school, activity_id=activity.pk)
    client.force_login(cast.department)
    listing = client.get(url("roadmaps:school_activities", cast.school)).content.decode()
    assert progress not in listing  # no «Отметить» for a reader
    assert client.get(progress).status_code == 403
    # A municipal methodist neither creates nor imports a school's roadmap.
    client.force_login(cast.methodist)
    assert client.get(url("roadmaps:roadmap_import", cast.school)).status_code == 403
    assert client.get(url("roadmaps:roadmap_import", cast.muni)).status_code == 200
