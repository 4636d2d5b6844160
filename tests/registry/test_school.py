"""The school of mentors (issue 16 item 1): courses of a school or a municipality,
sessions, enrolment of adult mentors, attendance, completion, a numbered certificate per
completer, and the mentor's training history on the card and in the municipal base."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mentorship.documents.services import document_render
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Attendance, Course, Enrollment
from registry.services import school as service
from tests.factories import make_consented
from tests.registry.test_local_acts import assert_same_text, pdf_text, squeeze

SHOTS = Path("/work/notes/shots")
# The course page: session and tenant, the course, its sessions, its enrolments (people,
# schools, certificates), their attendance marks, the candidates, and the page's frame.
COURSE_PAGE_QUERIES = 12


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def teacher(org, last, first="Иван", middle="Сергеевич", **extra):
    data = {
        "last_name": last,
        "first_name": first,
        "patronymic": middle,
        "category": "teacher",
        "birth_date": date(1980, 5, 1),
        "grade": None,
        "class_letter": "",
        "is_mentor": True,
        "is_mentee": False,
        "position": "Учитель",
    }
    return make_consented(org, **(data | extra))


@pytest.fixture
def people(cast):
    school = cast.school
    school.short_name = "МБОУ «СШ №40»"
    school.head_position, school.head_name = "Директор", "Гарипова Л.М."
    school.save()
    return {
        "petrov": teacher(school, "Петров", subject="математика"),
        "ivanova": teacher(school, "Иванова", "Мария", "Петровна"),
        "pupil": make_consented(school, last_name="Школьникова", is_mentor=True),
        "neighbour": teacher(cast.school2, "Соседов", "Олег", "Ильич"),
        "stranger": teacher(cast.other_school, "Чужаков", "Пётр", "Петрович"),
    }


def make_course(org, **extra) -> Course:
    data = {
        "title": "Школа наставника",
        "hours": 36,
        "trainers": "Галиева Г.Р., методист ИМЦ",
        "programme": "Роль наставника\nПланирование работы пары\nРефлексия",
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2026, 12, 20),
    }
    with tenant_scope(org):
        return service.course_create(actor=None, organization=org, **(data | extra))


def course_with_listeners(org, participants, sessions=2) -> Course:
    course = make_course(org)
    with tenant_scope(org):
        for n in range(sessions):
            service.course_session_add(
                actor=None, course=course, date=date(2026, 10, 1 + 7 * n), topic=f"Занятие {n + 1}"
            )
        service.course_enroll(
            actor=None, course=course, participant_ids=[p.pk for p in participants]
        )
    return course


# --- services --------------------------------------------------------------------------


def test_a_school_course_from_enrolment_to_numbered_certificates(cast, people):
    school = cast.school
    course = course_with_listeners(school, [people["petrov"], people["ivanova"]])
    with tenant_scope(school):
        sessions = list(course.sessions.order_by("date"))
        petrov, ivanova = (
            Enrollment.objects.get(course=course, participant=people[k])
            for k in ("petrov", "ivanova")
        )
        # The grid is sent whole: Petrov at both sessions, Ivanova at the first.
        marks = [
            (sessions[0].pk, petrov.pk),
            (sessions[1].pk, petrov.pk),
            (sessions[0].pk, ivanova.pk),
        ]
        assert service.course_set_attendance(actor=cast.curator, course=course, marks=marks) == 3
        # Sent again without one mark: that mark goes, the others stay.
        service.course_set_attendance(actor=cast.curator, course=course, marks=marks[:2])
        assert Attendance.objects.filter(enrollment=ivanova).count() == 0
        service.course_complete(actor=cast.curator, course=course, enrollment_ids=[petrov.pk])
        issued = service.course_issue_certificates(actor=cast.curator, course=course)
        assert [e.participant_id for e in issued] == [people["petrov"].pk]
        # Nobody else completed: asking again is refused with a message, nothing issued.
        with pytest.raises(ValidationError):
            service.course_issue_certificates(actor=cast.curator, course=course)
        petrov.refresh_from_db()
    document = document_render(petrov.certificate_id) or Document.objects.get(
        pk=petrov.certificate_id
    )
    assert document.status == DocumentStatus.READY, document.error
    assert document.kind == "mentor_certificate" and document.number
    pdf = assert_same_text(document)
    assert squeeze(f"№ {document.number}") in pdf
    assert squeeze("выдан Петрову Ивану Сергеевичу") in pdf
    assert squeeze("по программе «Школа наставника» в объёме 36 часов") in pdf
    shot(document, "school-certificate")


def test_a_certified_completer_stays_completed_and_enrolled(cast, people):
    course = course_with_listeners(cast.school, [people["petrov"]])
    with tenant_scope(cast.school):
        enrollment = course.enrollments.get()
        service.course_complete(actor=None, course=course, enrollment_ids=[enrollment.pk])
        service.course_issue_certificates(actor=None, course=course)
        enrollment.refresh_from_db()
        with pytest.raises(ValidationError):
            service.course_complete(actor=None, course=course, enrollment_ids=[])
        with pytest.raises(ValidationError):
            service.course_unenroll(actor=None, enrollment=enrollment)
        assert course.enrollments.get().completed_on is not None


def test_a_school_course_takes_only_its_own_adult_mentors(cast, people):
    course = make_course(cast.school)
    with tenant_scope(cast.school):
        for wrong in ("pupil", "neighbour", "stranger"):
            with pytest.raises(ValidationError):
                service.course_enroll(
                    actor=None,
                    course=course,
                    participant_ids=[people["petrov"].pk, people[wrong].pk],
                )
        # One stranger refuses the whole list: nothing half-done.
        assert not course.enrollments.exists()
        for junk in ([], ["x"], [None]):
            with pytest.raises(ValidationError):
                service.course_enroll(actor=None, course=course, participant_ids=junk)
        # Enrolling twice leaves one enrolment.
        service.course_enroll(actor=None, course=course, participant_ids=[people["petrov"].pk])
        again = service.course_enroll(
            actor=None, course=course, participant_ids=[people["petrov"].pk]
        )
        assert again == [] and course.enrollments.count() == 1


def test_bad_course_data_is_refused_with_messages(cast):
    with tenant_scope(cast.school), pytest.raises(ValidationError) as error:
        service.course_create(
            actor=None, organization=cast.school, title="", hours=0,
            starts_on=date(2026, 10, 1), ends_on=date(2026, 9, 1),
        )  # fmt: skip
    assert set(error.value.message_dict) == {"title", "hours", "ends_on"}
    with tenant_scope(cast.region), pytest.raises(ValidationError):
        service.course_create(actor=None, organization=cast.region, title="Курс", hours=36)


def test_attendance_of_another_course_is_refused(cast, people):
    first = course_with_listeners(cast.school, [people["petrov"]])
    second = course_with_listeners(cast.school, [people["ivanova"]])
    with tenant_scope(cast.school):
        foreign = (second.sessions.first().pk, first.enrollments.get().pk)
        with pytest.raises(ValidationError):
            service.course_set_attendance(actor=None, course=first, marks=[foreign])
        with pytest.raises(ValidationError):
            service.course_set_attendance(actor=None, course=first, marks=[("a", "b")])
        assert not Attendance.objects.exists()


def test_a_municipal_course_enrols_the_base_of_its_schools_and_certifies_them(cast, people):
    muni = cast.muni
    muni.document_header = "Управление образования г. Набережные Челны"
    muni.head_position, muni.head_name = "Начальник управления", "Ахметова Р.Ф."
    muni.save()
    course = make_course(muni, title="Наставничество в образовательной организации")
    with tenant_scope(muni):
        with pytest.raises(ValidationError):  # a pupil never reaches the municipality
            service.course_enroll(actor=None, course=course, participant_ids=[people["pupil"].pk])
        with pytest.raises(ValidationError):  # another municipality's school
            service.course_enroll(
                actor=None, course=course, participant_ids=[people["stranger"].pk]
            )
        service.course_enroll(
            actor=cast.methodist,
            course=course,
            participant_ids=[people["petrov"].pk, people["neighbour"].pk],
        )
        enrollments = list(course.enrollments.all())
        assert {e.organization_id for e in enrollments} == {muni.pk}
        service.course_complete(
            actor=None, course=course, enrollment_ids=[e.pk for e in enrollments]
        )
        issued = service.course_issue_certificates(actor=cast.methodist, course=course)
    numbers = set()
    for enrollment in issued:
        document = document_render(enrollment.certificate_id) or enrollment.certificate
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY, document.error
        assert document.organization_id == muni.pk
        numbers.add(document.number)
    assert len(numbers) == 2
    neighbour = next(e for e in issued if e.participant_id == people["neighbour"].pk)
    with tenant_scope(muni):
        certificate = Document.objects.get(pk=neighbour.certificate_id)
        text = squeeze(pdf_text(certificate))
        shot(certificate, "school-certificate-municipal")
    assert squeeze("выдан Соседову Олегу Ильичу") in text
    assert squeeze("Управление образования г. Набережные Челны") in text


# --- pages -----------------------------------------------------------------------------


def url(name, org, **kwargs) -> str:
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def curator(client, cast):
    client.force_login(cast.curator)
    return client


def test_the_curator_runs_a_course_on_one_screen(curator, cast, people):
    response = curator.post(
        url("course_create", cast.school),
        {
            "title": "Школа наставника",
            "hours": 36,
            "status": "planned",
            "programme": "",
            "trainers": "",
        },
    )
    course = Course.objects.get(organization=cast.school) if False else None
    with tenant_scope(cast.school):
        course = Course.objects.get()
    assert response.status_code == 302
    detail = url("course_detail", cast.school, course_id=course.pk)
    page = curator.get(detail)
    body = page.content.decode()
    # Candidates: the school's adult mentors; never the pupil, never a neighbour school's.
    assert "Петров Иван Сергеевич" in body and "Иванова Мария Петровна" in body
    assert "Школьникова" not in body and "Соседов" not in body
    assert "добавьте занятия" in body
    curator.post(
        url("course_session_add", cast.school, course_id=course.pk),
        {"date": "2026-10-01", "topic": "Роль наставника", "hours": 2},
    )
    curator.post(
        url("course_enroll", cast.school, course_id=course.pk),
        {"participant": [people["petrov"].pk, people["ivanova"].pk]},
    )
    with tenant_scope(cast.school):
        session = course.sessions.get()
        petrov = course.enrollments.get(participant=people["petrov"])
    response = curator.post(
        url("course_attendance", cast.school, course_id=course.pk),
        {"a": [f"{session.pk}-{petrov.pk}"], "completed": [petrov.pk]},
    )
    assert response.status_code == 302
    response = curator.post(url("course_certificates", cast.school, course_id=course.pk))
    assert response.status_code == 302
    with tenant_scope(cast.school):
        petrov.refresh_from_db()
        assert petrov.completed_on and petrov.certificate_id
        assert Attendance.objects.filter(enrollment=petrov).count() == 1
    body = curator.get(detail).content.decode()
    assert f"№ {petrov.certificate.number}" in body
    # The mentor's card shows the course.
    card = curator.get(url("participant_detail", cast.school, participant_id=people["petrov"].pk))
    assert "Школа наставника" in card.content.decode()


def test_bad_input_on_the_course_page_loses_nothing(curator, cast, people):
    course = course_with_listeners(cast.school, [people["petrov"]])
    response = curator.post(
        url("course_session_add", cast.school, course_id=course.pk), {"date": "x"}
    )
    assert response.status_code == 400
    response = curator.post(
        url("course_enroll", cast.school, course_id=course.pk),
        {"participant": [people["pupil"].pk]},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        assert course.enrollments.count() == 1 and course.sessions.count() == 2
        enrollment = course.enrollments.get()
    unenroll = url("course_unenroll", cast.school, course_id=course.pk)
    assert curator.post(unenroll, {"enrollment": "junk"}).status_code == 302
    with tenant_scope(cast.school):
        assert course.enrollments.count() == 1
    assert (
        f'form="unenroll-{enrollment.pk}"'
        in curator.get(url("course_detail", cast.school, course_id=course.pk)).content.decode()
    )
    assert curator.post(unenroll, {"enrollment": enrollment.pk}).status_code == 302
    with tenant_scope(cast.school):
        assert not course.enrollments.exists()
    response = curator.post(url("course_create", cast.school), {"title": "", "hours": 0})
    assert response.status_code == 200 and "form" in response.context


def test_course_page_query_count_does_not_grow_with_listeners(curator, cast, people):
    few = course_with_listeners(cast.school, [people["petrov"]], sessions=1)
    many_people = [teacher(cast.school, f"Учителев{n}") for n in range(6)]
    many = course_with_listeners(
        cast.school, [people["petrov"], people["ivanova"], *many_people], 5
    )

    def count(course) -> int:
        curator.get(url("course_detail", cast.school, course_id=course.pk))  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert (
                curator.get(url("course_detail", cast.school, course_id=course.pk)).status_code
                == 200
            )
        return len(queries)

    assert count(few) == count(many) == COURSE_PAGE_QUERIES
    with CaptureQueriesContext(connection) as queries:
        curator.get(url("course_list", cast.school))
    listed = len(queries)
    make_course(cast.school, title="Ещё курс")
    with CaptureQueriesContext(connection) as queries:
        curator.get(url("course_list", cast.school))
    assert len(queries) == listed


def test_course_pages_by_role_and_tenant(client, cast, people):
    course = course_with_listeners(cast.school, [people["petrov"]])
    detail = url("course_detail", cast.school, course_id=course.pk)
    enroll = url("course_enroll", cast.school, course_id=course.pk)
    client.force_login(cast.viewer)
    assert client.get(detail).status_code == 200
    assert "Зачислить" not in client.get(detail).content.decode()
    assert client.post(enroll, {"participant": [people["ivanova"].pk]}).status_code == 403
    # The municipality does not open a school's course pages; its own list exists.
    client.force_login(cast.methodist)
    assert client.get(detail).status_code == 403
    assert client.get(url("course_list", cast.muni)).status_code == 200
    client.force_login(cast.regional)
    assert client.get(url("course_list", cast.region)).status_code == 404
    # Another school's curator: the course is not found at their school, nor reachable here.
    client.force_login(cast.curator2)
    assert client.get(url("course_detail", cast.school2, course_id=course.pk)).status_code == 404
    assert client.get(detail).status_code == 404
    # The bar («Ещё») shows the sections to who may open them; the registry's page too.
    client.force_login(cast.curator)
    listing = client.get(url("participant_list", cast.school)).content.decode()
    assert (
        url("course_list", cast.school) in listing and url("council_list", cast.school) in listing
    )
    client.force_login(cast.methodist)
    home = client.get(reverse("org_home", kwargs={"org_slug": cast.muni.slug})).content.decode()
    assert url("course_list", cast.muni) in home and url("council_list", cast.muni) in home
    client.force_login(cast.regional)
    home = client.get(reverse("org_home", kwargs={"org_slug": cast.region.slug})).content.decode()
    assert "/school/" not in home


def test_the_municipal_base_shows_completed_courses(client, cast, people):
    course = course_with_listeners(cast.muni, [people["petrov"]], sessions=1)
    with tenant_scope(cast.muni):
        service.course_complete(
            actor=None, course=course, enrollment_ids=[course.enrollments.get().pk]
        )
    client.force_login(cast.methodist)
    body = client.get(url("mentor_base", cast.muni)).content.decode()
    assert "Школа наставника (36 ч.)" in body
    # The municipal course's page names school people: their access log says who looked.
    from mentorship.models import AuditEntry
    from mentorship.tenancy.scoping import unscoped_reads

    client.get(url("course_detail", cast.muni, course_id=course.pk))
    with unscoped_reads():
        seen = AuditEntry.objects.filter(
            action="mentor_base.view", organization=cast.school, object_id=str(people["petrov"].pk)
        )
        assert seen.count() == 2  # the base, then the course
    # And the school's card shows the municipal course too.
    client.force_login(cast.curator)
    card = client.get(url("participant_detail", cast.school, participant_id=people["petrov"].pk))
    assert "Школа наставника" in card.content.decode()
    # And the answer to the person's own request (152-ФЗ art. 14) names it.
    export = client.get(
        url("participant_subject_export", cast.school, participant_id=people["petrov"].pk),
        {"download": "json"},
    ).json()
    assert [t["course"] for t in export["training"]] == ["Школа наставника"]
    assert export["training"][0]["organizer"] == cast.muni.short_name


# --- API -------------------------------------------------------------------------------


def api_url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/{path}"


def test_the_api_runs_a_course(cast, people):
    api = APIClient()
    api.force_login(cast.curator)
    created = api.post(
        api_url(cast.school, "courses/"), {"title": "Школа наставника", "hours": 36}, format="json"
    )
    assert created.status_code == 201, created.content
    course_id = created.json()["id"]
    base = api_url(cast.school, f"courses/{course_id}/")
    response = api.post(
        base + "sessions/", {"date": "2026-10-01", "topic": "Роль наставника"}, format="json"
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["sessions"][0]["id"]
    bad = api.post(base + "enroll/", {"ids": [people["pupil"].pk]}, format="json")
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    response = api.post(base + "enroll/", {"ids": [people["petrov"].pk]}, format="json")
    enrollment_id = response.json()["enrollments"][0]["id"]
    assert "birth_date" not in response.json()["enrollments"][0]
    response = api.post(
        base + "attendance/", {"marks": [[session_id, enrollment_id]]}, format="json"
    )
    assert response.json()["enrollments"][0]["attended_session_ids"] == [session_id]
    assert api.post(base + "attendance/", {"marks": [[1]]}, format="json").status_code == 400
    api.post(base + "complete/", {"ids": [enrollment_id]}, format="json")
    response = api.post(base + "certificates/")
    assert response.status_code == 202, response.content
    assert response.json()["enrollments"][0]["certificate_number"]
    # Roles and tenants.
    api.force_login(cast.viewer)
    assert api.get(base).status_code == 200
    assert api.post(base + "complete/", {"ids": []}, format="json").status_code == 403
    api.force_login(cast.curator2)
    assert api.get(api_url(cast.school2, f"courses/{course_id}/")).status_code == 404


# --- looking at it ----------------------------------------------------------------------


def shot(document: Document, name: str) -> None:
    """The first page as PNG under /work/notes/shots/, to look at (skipped elsewhere)."""
    if not SHOTS.is_dir():
        return
    pdf = Path(document.file.path)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(SHOTS / name),
        ],
        check=True,
    )
