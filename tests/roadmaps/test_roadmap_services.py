"""Authoring, approval, versions, cascade to schools and progress."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.models import AuditEntry, OrganizationKind
from mentorship.services import organization_create
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, ActivityDueDate, ActivityStatus, Roadmap, RoadmapStatus
from roadmaps.selectors import unscoped_progress_matrix
from roadmaps.services import authoring, cascade, progress
from tests.factories import MINIMAL_PDF

PERIOD = {"period_start": date(2026, 9, 1), "period_end": date(2027, 8, 31)}


@pytest.fixture
def municipal_roadmap(cast):
    with tenant_scope(cast.muni):
        return authoring.roadmap_create(
            actor=cast.methodist,
            organization=cast.muni,
            title="Дорожная карта 2026/2027",
            from_standard=True,
            **PERIOD,
        )


def test_standard_template_fills_sections_numbers_and_deadlines(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        sections = list(municipal_roadmap.sections.order_by("position"))
        activities = list(municipal_roadmap.activities.order_by("section__position", "position"))
    assert [s.for_every_school for s in sections] == [False, True, True, True, False]
    assert [a.number for a in activities] == [str(i) for i in range(1, len(activities) + 1)]
    first = activities[0]
    assert first.deadline_text == "сентябрь 2026"
    assert first.due_date == date(2026, 9, 30)
    quarterly = next(a for a in activities if a.deadline_text == "1 раз в квартал")
    with tenant_scope(cast.muni):
        dues = list(quarterly.due_dates.values_list("due_on", flat=True))
    assert dues == [date(2026, 9, 30), date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30)]


def test_unreadable_deadline_is_flagged_not_dropped(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        section = municipal_roadmap.sections.first()
        activity = authoring.activity_create(
            actor=cast.methodist, section=section, title="Семинар", deadline_text="когда-нибудь"
        )
        assert activity.deadline_unclear
        assert activity.deadline_text == "когда-нибудь"
        assert activity.due_date is None
        assert not ActivityDueDate.objects.filter(activity=activity).exists()
        authoring.activity_update(actor=cast.methodist, activity=activity, deadline_text="май 2027")
        activity.refresh_from_db()
        assert not activity.deadline_unclear
        assert activity.due_date == date(2027, 5, 31)


def test_activity_needs_a_title(cast, municipal_roadmap):
    with tenant_scope(cast.muni), pytest.raises(ValidationError):
        authoring.activity_create(
            actor=cast.methodist, section=municipal_roadmap.sections.first(), title="  "
        )


def test_moving_renumbers(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        first, second = municipal_roadmap.activities.order_by("section__position", "position")[:2]
        authoring.activity_move(actor=cast.methodist, activity=second, offset=-1)
        first.refresh_from_db()
        second.refresh_from_db()
    assert (second.number, first.number) == ("1", "2")


def test_approval_freezes_and_new_draft_is_a_new_version(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        authoring.roadmap_approve(
            actor=cast.department,
            roadmap=municipal_roadmap,
            order_number="123-од",
            order_date=date(2026, 9, 5),
        )
        activity = municipal_roadmap.activities.first()
        with pytest.raises(ValidationError, match="утверждена"):
            authoring.activity_update(actor=cast.methodist, activity=activity, title="Новое")
        with pytest.raises(ValidationError):
            authoring.roadmap_approve(
                actor=cast.department,
                roadmap=municipal_roadmap,
                order_number="1",
                order_date=date.today(),
            )
        draft = authoring.roadmap_new_draft(actor=cast.methodist, roadmap=municipal_roadmap)
        assert (draft.version, draft.status) == (2, RoadmapStatus.DRAFT)
        assert draft.activities.count() == municipal_roadmap.activities.count()
        authoring.roadmap_approve(
            actor=cast.department,
            roadmap=draft,
            order_number="200-од",
            order_date=date(2027, 1, 10),
        )
        municipal_roadmap.refresh_from_db()
    assert municipal_roadmap.status == RoadmapStatus.ARCHIVED
    assert AuditEntry.objects.filter(action="roadmap.approve").count() == 2


def test_copy_of_last_year_keeps_activities_without_progress(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        activity = municipal_roadmap.activities.first()
        progress.activity_set_progress(actor=cast.methodist, activity=activity, status="done")
        copy = authoring.roadmap_copy(
            actor=cast.methodist,
            source=municipal_roadmap,
            title="Дорожная карта 2027/2028",
            period_start=date(2027, 9, 1),
            period_end=date(2028, 8, 31),
        )
        assert copy.activities.count() == municipal_roadmap.activities.count()
        assert not copy.activities.filter(status="done").exists()


def test_cascade_creates_a_copy_in_every_school_and_is_idempotent(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        duties = len(cascade.cascaded_activities(municipal_roadmap))
        created = cascade.roadmap_cascade(actor=cast.methodist, roadmap=municipal_roadmap)
        again = cascade.roadmap_cascade(actor=cast.methodist, roadmap=municipal_roadmap)
    assert duties == 6
    assert created == duties * 2  # two schools in the municipality
    assert again == 0
    with tenant_scope(cast.school):
        copies = list(Activity.objects.all())
        assert len(copies) == duties
        assert all(c.origin.roadmap_id == municipal_roadmap.pk for c in copies)
        assert Roadmap.objects.get().origin_id == municipal_roadmap.pk
    with tenant_scope(cast.other_school):
        assert not Activity.objects.exists()


def test_school_added_later_receives_the_duties(
    cast, municipal_roadmap, django_capture_on_commit_callbacks
):
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=municipal_roadmap)
    with django_capture_on_commit_callbacks(execute=True):
        new_school = organization_create(
            actor=cast.methodist,
            kind=OrganizationKind.SCHOOL,
            full_name="МБОУ «Новая школа»",
            short_name="Новая школа",
            slug="new-school",
            parent=cast.muni,
        )
    with tenant_scope(new_school):
        assert Activity.objects.count() == 6


def test_origin_edits_reach_copies_the_school_did_not_change(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=municipal_roadmap)
        origin = cascade.cascaded_activities(municipal_roadmap)[0]
    with tenant_scope(cast.school):
        mine = Activity.objects.get(origin=origin)
        authoring.activity_update(actor=cast.curator, activity=mine, title="Свой заголовок")
    with tenant_scope(cast.muni):
        authoring.activity_update(
            actor=cast.methodist, activity=origin, title="Новый заголовок", deadline_text="май 2027"
        )
    with tenant_scope(cast.school):
        mine.refresh_from_db()
    with tenant_scope(cast.school2):
        theirs = Activity.objects.get(origin=origin)
    assert mine.title == "Свой заголовок"  # the school's own change wins
    assert mine.deadline_text == "май 2027"  # the untouched field follows
    assert theirs.title == "Новый заголовок"
    assert theirs.due_date == date(2027, 5, 31)


def test_progress_matrix_counts_and_overdue(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=municipal_roadmap)
        origins = cascade.cascaded_activities(municipal_roadmap)
    with tenant_scope(cast.school):
        copy = Activity.objects.get(origin=origins[0])
        progress.activity_set_progress(actor=cast.curator, activity=copy, status="done")
    with tenant_scope(cast.muni):
        matrix = unscoped_progress_matrix(municipal_roadmap, today=date(2026, 11, 15))
    by_school = {row.school.slug: row for row in matrix.rows}
    assert by_school["school-a1"].cells[0] == ActivityStatus.DONE
    assert by_school["school-a1"].percent == round(100 / 6)
    assert by_school["school-a2"].cells[0] == ActivityStatus.OVERDUE  # due 31.10.2026
    assert matrix.columns[0].percent == 50
    with tenant_scope(cast.muni):
        overdue_only = unscoped_progress_matrix(
            municipal_roadmap, today=date(2026, 9, 1), only_overdue=True
        )
    assert overdue_only.rows == []


PDF = MINIMAL_PDF


def test_evidence_is_checked_by_content_and_size(cast, municipal_roadmap):
    with tenant_scope(cast.muni):
        activity = municipal_roadmap.activities.first()
        fake = SimpleUploadedFile("приказ.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
        with pytest.raises(ValidationError, match="PDF"):
            progress.activity_set_progress(
                actor=cast.methodist, activity=activity, status="done", evidence_file=fake
            )
        big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
        with pytest.raises(ValidationError, match="10 МБ"):
            progress.activity_set_progress(
                actor=cast.methodist, activity=activity, status="done", evidence_file=big
            )
        activity.refresh_from_db()
        assert activity.status == ActivityStatus.NOT_STARTED
        ok = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")
        progress.activity_set_progress(
            actor=cast.methodist,
            activity=activity,
            status="done",
            evidence_file=ok,
            comment="Приказ подписан",
        )
        activity.refresh_from_db()
    assert activity.status == "done" and activity.evidence_file.name.endswith(".pdf")
    assert AuditEntry.objects.filter(
        action="activity.progress", object_id=str(activity.pk)
    ).exists()
    with unscoped_reads():
        assert Activity.objects.filter(status="done").count() == 1
