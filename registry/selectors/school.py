"""Reads of the school of mentors: a course's page in a fixed number of queries, the
mentors who may be enrolled, and a mentor's training history.

A school's course enrols the school's own adult mentors; a municipal course the mentor
base of its schools (adults who consented to it: registry/selectors/municipal.py).
A pupil is never a candidate, so no course page anywhere names a pupil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from mentorship.models import Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import (
    Attendance,
    Course,
    CourseSession,
    Enrollment,
    Participant,
)
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES, unscoped_mentor_base


@dataclass(frozen=True)
class Candidate:
    participant_id: int
    full_name: str
    school_name: str
    position: str
    school_id: int


def is_municipal(organization: Organization) -> bool:
    return organization.kind == OrganizationKind.MUNICIPALITY


def course_list() -> QuerySet[Course]:
    """The tenant's courses with their counts: one query."""
    return Course.objects.annotate(
        enrolled=Count("enrollments", distinct=True),
        completed=Count(
            "enrollments", filter=Q(enrollments__completed_on__isnull=False), distinct=True
        ),
        session_count=Count("sessions", distinct=True),
    ).order_by("-starts_on", "title", "pk")


def course_for_page(course_id: int) -> Course | None:
    """The course with its sessions and enrolments (their people, schools, certificates
    and attendance marks): four queries whatever the size."""
    enrollments = Enrollment.objects.select_related(
        "participant", "participant__organization", "certificate"
    ).prefetch_related(
        Prefetch("attendance", queryset=Attendance.objects.only("session_id", "enrollment_id"))
    )
    return (
        Course.objects.filter(pk=course_id)
        .prefetch_related(
            Prefetch(
                "sessions", queryset=CourseSession.objects.order_by("date", "starts_at", "pk")
            ),
            Prefetch("enrollments", queryset=enrollments),
        )
        .first()
    )


def _school_mentors(organization: Organization) -> QuerySet[Participant]:
    return Participant.objects.filter(
        organization=organization,
        is_mentor=True,
        depersonalized_at__isnull=True,
        category__in=MENTOR_BASE_CATEGORIES,
    ).select_related("organization")


def course_candidates(course: Course, *, enrolled: Iterable[int] = ()) -> list[Candidate]:
    """Mentors who may be enrolled on `course` and are not yet (`enrolled`)."""
    taken = set(enrolled)
    organization = course.organization
    if is_municipal(organization):
        return [
            Candidate(e.participant_id, e.full_name, e.school_name, e.position, e.school_id)
            for e in unscoped_mentor_base(organization)
            if e.participant_id not in taken
        ]
    return [
        Candidate(p.pk, p.full_name, p.organization.short_name, p.position, p.organization_id)
        for p in _school_mentors(organization).order_by("last_name", "first_name", "pk")
        if p.pk not in taken
    ]


def allowed_participants(course: Course, ids: Iterable[int]) -> dict[int, Participant]:
    """The participants among `ids` that `course` may enrol, by id.

    For a municipal course this is a named cross-tenant read: the ids are checked
    against the municipal mentor base, then the rows are loaded to be referenced.
    """
    wanted = set(ids)
    organization = course.organization
    if is_municipal(organization):
        base = {e.participant_id for e in unscoped_mentor_base(organization)}
        with unscoped_reads():
            rows = Participant.objects.filter(pk__in=wanted & base)
            return {p.pk: p for p in rows}
    return {p.pk: p for p in _school_mentors(organization).filter(pk__in=wanted)}


@dataclass(frozen=True)
class TrainingRecord:
    """A line of a mentor's training history."""

    course_title: str
    organizer: str
    hours: int
    starts_on: date | None
    ends_on: date | None
    attended: int
    sessions: int
    completed_on: date | None
    certificate_number: str


def unscoped_training_history(
    participant_ids: Iterable[int], school: Organization
) -> dict[int, list[TrainingRecord]]:
    """Participant id → their courses, at their `school` and at its municipality.

    A named cross-tenant read: the school's card shows the municipal courses its mentor
    took. Only the enrolments of these people are read; one query whatever the size.
    """
    ids = list(participant_ids)
    if not ids:
        return {}
    organizers = {school.pk} | ({school.parent_id} if school.parent_id else set())
    history: dict[int, list[TrainingRecord]] = defaultdict(list)
    with unscoped_reads():
        rows = (
            Enrollment.objects.filter(participant__in=ids, organization_id__in=organizers)
            .select_related("course", "course__organization", "certificate")
            .annotate(
                attended=Count("attendance", distinct=True),
                session_count=Count("course__sessions", distinct=True),
            )
            .order_by("-course__starts_on", "course__title", "pk")
        )
        for e in rows:
            history[e.participant_id].append(
                TrainingRecord(
                    course_title=e.course.title,
                    organizer=e.course.organization.short_name,
                    hours=e.course.hours,
                    starts_on=e.course.starts_on,
                    ends_on=e.course.ends_on,
                    attended=e.attended,
                    sessions=e.session_count,
                    completed_on=e.completed_on,
                    certificate_number=e.certificate.number if e.certificate else "",
                )
            )
    return dict(history)


def unscoped_completed_courses(
    participant_ids: Iterable[int], municipality: Organization
) -> dict[int, list[str]]:
    """For the municipal mentor base: participant id → titles of the courses they
    completed, at their school or the municipality. One query."""
    ids = list(participant_ids)
    if not ids:
        return {}
    result: dict[int, list[str]] = defaultdict(list)
    with unscoped_reads():
        rows = (
            Enrollment.objects.filter(participant__in=ids, completed_on__isnull=False)
            .filter(Q(organization=municipality) | Q(organization__parent=municipality))
            .order_by("completed_on", "pk")
            .values_list("participant_id", "course__title", "course__hours")
        )
        for participant_id, title, hours in rows:
            result[participant_id].append(f"{title} ({hours} ч.)")
    return dict(result)
