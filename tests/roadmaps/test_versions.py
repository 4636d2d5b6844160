"""A municipal roadmap's new version re-links the school copies (issue 14, item 5)."""

from __future__ import annotations

from datetime import date

import pytest

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.models import Activity, Roadmap, RoadmapStatus
from roadmaps.selectors import unscoped_progress_matrix
from roadmaps.services import authoring, cascade, progress

PERIOD = {"period_start": date(2026, 9, 1), "period_end": date(2027, 8, 31)}


@pytest.fixture
def version_one(cast):
    """A municipal roadmap approved and cascaded into both schools of the municipality."""
    with tenant_scope(cast.muni):
        roadmap = authoring.roadmap_create(
            actor=cast.methodist,
            organization=cast.muni,
            title="Дорожная карта 2026/2027",
            from_standard=True,
            **PERIOD,
        )
        authoring.roadmap_approve(
            actor=cast.department, roadmap=roadmap, order_number="1", order_date=date(2026, 9, 2)
        )
        cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    return roadmap


def _duties(roadmap: Roadmap) -> list[Activity]:
    return cascade.cascaded_activities(roadmap)


def test_a_new_version_moves_the_school_copies_over_with_their_progress(cast, version_one):
    with tenant_scope(cast.muni):
        old_duties = _duties(version_one)
    first, second, third = old_duties[:3]
    with tenant_scope(cast.school):
        done = Activity.objects.get(origin=first)
        progress.activity_set_progress(
            actor=cast.curator, activity=done, status="done", comment="Приказ издан"
        )
        own = Activity.objects.get(origin=second)
        authoring.activity_update(actor=cast.curator, activity=own, title="Наш заголовок")

    with tenant_scope(cast.muni):
        draft = authoring.roadmap_new_draft(actor=cast.methodist, roadmap=version_one)
        successor = {a.previous_version_id: a for a in draft.activities.all()}
        for old in (first, second):
            authoring.activity_update(
                actor=cast.methodist,
                activity=successor[old.pk],
                title=f"{old.title} (ред. 2)",
                deadline_text="до 15 декабря 2026",
            )
        authoring.activity_delete(actor=cast.methodist, activity=successor[third.pk])
        section = draft.sections.get(for_every_school=True, position=2)
        added = authoring.activity_create(
            actor=cast.methodist,
            section=section,
            title="Новая обязанность",
            deadline_text="март 2027",
        )
        authoring.roadmap_update(
            actor=cast.methodist,
            roadmap=draft,
            title="Дорожная карта 2026/2027 (ред. 2)",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 6, 30),
        )
        authoring.roadmap_approve(
            actor=cast.department, roadmap=draft, order_number="2", order_date=date(2026, 10, 1)
        )
        version_one.refresh_from_db()
        new_duties = {a.pk for a in _duties(draft)}
    assert version_one.status == RoadmapStatus.ARCHIVED

    with tenant_scope(cast.school):
        copy = Roadmap.objects.get()
        copies = {a.origin_id: a for a in Activity.objects.all()}
    assert copy.origin_id == draft.pk
    assert (copy.title, copy.period_end) == ("Дорожная карта 2026/2027 (ред. 2)", date(2027, 6, 30))
    # Every duty of the new version, once; none left on the archived one.
    assert set(copies) == new_duties
    done = copies[successor[first.pk].pk]
    assert (done.status, done.comment) == ("done", "Приказ издан")  # progress kept
    assert done.title == f"{first.title} (ред. 2)"  # untouched fields follow
    assert done.due_date == date(2026, 12, 15)
    own = copies[successor[second.pk].pk]
    assert own.title == "Наш заголовок"  # the school's own change stays
    assert own.deadline_text == "до 15 декабря 2026"
    assert copies[added.pk].title == "Новая обязанность"  # new duty cascaded
    with tenant_scope(cast.school2):  # the dropped duty, never touched there, is gone
        assert not Activity.objects.filter(title=third.title).exists()
        assert Activity.objects.filter(origin__roadmap=draft).count() == len(new_duties)

    with tenant_scope(cast.muni):
        matrix = unscoped_progress_matrix(draft, today=date(2026, 10, 2))
    row = next(r for r in matrix.rows if r.school.pk == cast.school.pk)
    assert "done" in row.cells
    entry = AuditEntry.objects.get(action="roadmap.relink_copies")
    assert entry.details["schools"] == 2


def test_a_dropped_duty_the_school_worked_on_is_kept(cast, version_one):
    with tenant_scope(cast.muni):
        dropped = _duties(version_one)[0]
    with tenant_scope(cast.school):
        mine = Activity.objects.get(origin=dropped)
        progress.activity_set_progress(actor=cast.curator, activity=mine, status="in_progress")
    with tenant_scope(cast.muni):
        draft = authoring.roadmap_new_draft(actor=cast.methodist, roadmap=version_one)
        authoring.activity_delete(
            actor=cast.methodist, activity=draft.activities.get(previous_version=dropped)
        )
        authoring.roadmap_approve(
            actor=cast.department, roadmap=draft, order_number="2", order_date=date(2026, 10, 1)
        )
    with tenant_scope(cast.school):
        mine.refresh_from_db()
        assert mine.origin_id == dropped.pk and mine.status == "in_progress"
    with tenant_scope(cast.school2):
        assert not Activity.objects.filter(origin=dropped).exists()


def test_a_copy_of_last_year_is_not_a_version_and_relinks_nothing(cast, version_one):
    with tenant_scope(cast.muni):
        next_year = authoring.roadmap_copy(
            actor=cast.methodist,
            source=version_one,
            title="Дорожная карта 2027/2028",
            period_start=date(2027, 9, 1),
            period_end=date(2028, 8, 31),
        )
        assert not next_year.activities.filter(previous_version__isnull=False).exists()
        authoring.roadmap_approve(
            actor=cast.department, roadmap=next_year, order_number="7", order_date=date(2027, 9, 1)
        )
    with tenant_scope(cast.school):
        assert Roadmap.objects.get().origin_id == version_one.pk
