"""Roadmap pages: create, inline edit, approve, cascade, matrix, the curator's duties."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

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
    page = client.get(url("roadmap_list", cast.muni))
    assert "Типовая дорожная карта" in page.content.decode()
    response = client.post(
        url("roadmap_list", cast.muni),
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
    assert response["Location"] == url("roadmap_detail", cast.muni, roadmap_id=roadmap.pk)
    body = client.get(response["Location"]).content.decode()
    assert "на уровне ОО" in body and "1 раз в квартал" in body


def test_bad_period_is_refused_in_russian(client, cast):
    client.force_login(cast.methodist)
    response = client.post(
        url("roadmap_list", cast.muni),
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
    assert client.post(url("roadmap_list", cast.muni), data).status_code == 403
    client.force_login(cast.viewer)
    assert client.post(url("roadmap_list", cast.school), data).status_code == 403


def test_inline_edit_returns_the_row_with_the_parsed_deadline(client, cast):
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        activity = roadmap.activities.first()
    client.force_login(cast.methodist)
    form = client.get(url("activity_edit", cast.muni, activity_id=activity.pk), **HTMX)
    assert 'name="deadline_text"' in form.content.decode()
    row = client.post(
        url("activity_edit", cast.muni, activity_id=activity.pk),
        {"title": "Новое название", "deadline_text": "В течеие года", "responsible_text": "ИМЦ"},
        **HTMX,
    )
    body = row.content.decode()
    assert "Новое название" in body and "постоянно" in body
    assert "<html" not in body
    row = client.post(
        url("activity_edit", cast.muni, activity_id=activity.pk),
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
        url("section_action", cast.muni, section_id=section.pk),
        {"action": "add_activity", "title": "Совещание с кураторами"},
        **HTMX,
    ).content.decode()
    assert "Совещание с кураторами" in table
    client.post(url("activity_action", cast.muni, activity_id=second.pk), {"action": "up"}, **HTMX)
    with tenant_scope(cast.muni):
        second.refresh_from_db()
        assert second.number == "1"
    client.post(
        url("section_add", cast.muni, roadmap_id=roadmap.pk), {"title": "Новый раздел"}, **HTMX
    )
    with tenant_scope(cast.muni):
        assert roadmap.sections.filter(title="Новый раздел").exists()


def test_department_approves_and_the_roadmap_freezes(client, cast):
    roadmap = make_roadmap(cast.muni)
    client.force_login(cast.methodist)
    assert (
        client.post(
            url("roadmap_approve", cast.muni, roadmap_id=roadmap.pk),
            {"order_number": "1", "order_date": "2026-09-01"},
        ).status_code
        == 403
    )
    client.force_login(cast.department)
    client.post(
        url("roadmap_approve", cast.muni, roadmap_id=roadmap.pk),
        {"order_number": "245-од", "order_date": "2026-09-05"},
    )
    with tenant_scope(cast.muni):
        roadmap.refresh_from_db()
        activity = roadmap.activities.first()
    assert (roadmap.status, roadmap.order_number) == (RoadmapStatus.APPROVED, "245-од")
    client.force_login(cast.methodist)
    response = client.post(
        url("activity_edit", cast.muni, activity_id=activity.pk), {"title": "x"}, **HTMX
    )
    assert response.status_code == 403
    redirect = client.post(url("roadmap_new_draft", cast.muni, roadmap_id=roadmap.pk))
    with tenant_scope(cast.muni):
        draft = Roadmap.objects.get(version=2)
    assert redirect["Location"] == url("roadmap_detail", cast.muni, roadmap_id=draft.pk)


def test_cascade_button_and_matrix(client, cast):
    roadmap = make_roadmap(cast.muni)
    client.force_login(cast.methodist)
    response = client.post(url("roadmap_cascade", cast.muni, roadmap_id=roadmap.pk), follow=True)
    body = response.content.decode()
    assert "создано 12 мероприятий" in body
    assert "Школа А1" in body and "Школа А2" in body and "Школа Б1" not in body


def test_matrix_keeps_a_fixed_number_of_queries(client, cast, cascaded):
    client.force_login(cast.methodist)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(url("roadmap_matrix", cast.muni, roadmap_id=cascaded.pk)).status_code
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
    response = client.get(url("roadmap_matrix", cast.muni, roadmap_id=cascaded.pk) + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == cascaded.title
    assert {rows[2][0], rows[3][0]} == {"Школа А1", "Школа А2"}
    assert rows[-1][0] == "Выполнено, %"


def test_curator_marks_her_schools_duty_done_with_a_scan(client, cast, cascaded):
    client.force_login(cast.curator)
    listing = client.get(url("school_activities", cast.school)).content.decode()
    assert "Издание приказа о внедрении" in listing
    with tenant_scope(cast.school):
        activity = Activity.objects.order_by("due_date").first()
    pdf = SimpleUploadedFile("приказ.pdf", MINIMAL_PDF, "application/pdf")
    response = client.post(
        url("activity_progress", cast.school, activity_id=activity.pk),
        {"status": "done", "comment": "Приказ № 12", "evidence_file": pdf},
    )
    assert response.status_code == 302
    fake = SimpleUploadedFile("приказ.pdf", b"<html>not a scan</html>", "application/pdf")
    bad = client.post(
        url("activity_progress", cast.school, activity_id=activity.pk),
        {"status": "in_progress", "evidence_file": fake},
    )
    assert "Загрузите PDF" in bad.content.decode()
    with tenant_scope(cast.school):
        activity.refresh_from_db()
    assert activity.status == "done"
    client.force_login(cast.methodist)
    matrix = client.get(url("roadmap_matrix", cast.muni, roadmap_id=cascaded.pk)).content.decode()
    assert "Выполнено" in matrix and "17%" in matrix


def test_curator_list_is_due_soonest_first(client, cast, cascaded):
    client.force_login(cast.curator)
    response = client.get(url("school_activities", cast.school))
    dues = [a.due_date for a in response.context["activities"]]
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dues[: len(dated)] == dated


def test_viewer_sees_but_cannot_mark(client, cast, cascaded):
    client.force_login(cast.viewer)
    assert client.get(url("school_activities", cast.school)).status_code == 200
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    assert (
        client.post(
            url("activity_progress", cast.school, activity_id=activity.pk), {"status": "done"}
        ).status_code
        == 403
    )


def test_other_school_curator_cannot_touch_the_copy(client, cast, cascaded):
    with tenant_scope(cast.school):
        activity = Activity.objects.first()
    client.force_login(cast.curator2)
    assert (
        client.get(url("activity_progress", cast.school2, activity_id=activity.pk)).status_code
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
        url("activity_progress", cast.school, activity_id=activity.pk),
        {"status": "done", "evidence_file": pdf},
    )
    response = client.get(url("activity_evidence", cast.school, activity_id=activity.pk))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="activity.evidence_download").count() == 1
    client.force_login(cast.curator2)
    assert (
        client.get(url("activity_evidence", cast.school2, activity_id=activity.pk)).status_code
        == 404
    )
    assert (
        client.get(url("activity_evidence", cast.school, activity_id=activity.pk)).status_code
        == 404
    )


def test_assigning_responsible_users_and_fixed_queries_on_the_roadmap_page(client, cast):
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        first, second = roadmap.activities.order_by("section__position", "position")[:2]
    client.force_login(cast.methodist)
    client.post(
        url("activity_edit", cast.muni, activity_id=first.pk),
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
        url("activity_edit", cast.muni, activity_id=second.pk),
        {"title": "x", "responsible_users": [cast.other_methodist.pk]},
        **HTMX,
    )
    assert "Выберите корректный вариант" in foreign.content.decode()

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url("roadmap_detail", cast.muni, roadmap_id=roadmap.pk))
        return len(queries)

    before = count()
    with tenant_scope(cast.muni):
        for activity in roadmap.activities.all():
            activity.responsible_users.add(cast.methodist, cast.department)
    assert count() == before
