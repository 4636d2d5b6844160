"""Writes of the school of mentors: courses, sessions, enrolment, attendance,
completion and certificates. Each is one audited transaction; the organisation of every
row is the course's, set here, never by a form."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.documents.services import document_request
from mentorship.models import Organization, OrganizationKind, User
from registry.models import (
    COURSE_HOURS_MAX,
    Attendance,
    Course,
    CourseSession,
    CourseStatus,
    Enrollment,
)
from registry.selectors.school import allowed_participants

COURSE_FIELDS = ("title", "programme", "hours", "trainers", "starts_on", "ends_on", "status")
SESSION_FIELDS = ("date", "starts_at", "topic", "hours", "place")
CERTIFICATE_KIND = "mentor_certificate"


def _clean(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in fields}
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _validate_course(course: Course) -> None:
    errors: dict[str, list[str]] = {}
    if not course.title:
        errors["title"] = [_("Укажите название курса.")]
    if not isinstance(course.hours, int) or not 1 <= course.hours <= COURSE_HOURS_MAX:
        errors["hours"] = [_("Объём курса — от 1 до %(n)s часов.") % {"n": COURSE_HOURS_MAX}]
    if course.status not in CourseStatus.values:
        errors["status"] = [_("Неизвестное состояние курса.")]
    if course.starts_on and course.ends_on and course.ends_on < course.starts_on:
        errors["ends_on"] = [_("Окончание не может быть раньше начала.")]
    if errors:
        raise ValidationError(errors)


def _check_level(organization: Organization) -> None:
    if organization.kind == OrganizationKind.REGION:
        raise ValidationError(
            _("Школу наставников ведут муниципалитет и образовательные организации.")
        )


@transaction.atomic
def course_create(*, actor: User | None, organization: Organization, **data: Any) -> Course:
    _check_level(organization)
    values = {"programme": "", "trainers": "", "status": CourseStatus.PLANNED} | _clean(
        data, COURSE_FIELDS
    )
    course = Course(organization=organization, **values)
    _validate_course(course)
    course.save()
    audit.record(actor=actor, organization=organization, action="course.create", obj=course)
    return course


@transaction.atomic
def course_update(*, actor: User | None, course: Course, **data: Any) -> Course:
    values = _clean(data, COURSE_FIELDS)
    candidate = copy.copy(course)
    for field, value in values.items():
        setattr(candidate, field, value)
    _validate_course(candidate)
    changed = [f for f, v in values.items() if getattr(course, f) != v]
    for field, value in values.items():
        setattr(course, field, value)
    course.save()
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.update",
        obj=course,
        fields=changed,
    )
    return course


@transaction.atomic
def course_session_add(*, actor: User | None, course: Course, **data: Any) -> CourseSession:
    values = {"place": "", "hours": 2} | _clean(data, SESSION_FIELDS)
    errors: dict[str, list[str]] = {}
    if not values.get("topic"):
        errors["topic"] = [_("Укажите тему занятия.")]
    if not isinstance(values.get("date"), date):
        errors["date"] = [_("Укажите дату занятия.")]
    hours = values.get("hours")
    if not isinstance(hours, int) or not 1 <= hours <= 24:
        errors["hours"] = [_("Занятие длится от 1 до 24 часов.")]
    if errors:
        raise ValidationError(errors)
    session = CourseSession.objects.create(
        organization=course.organization, course=course, **values
    )
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.session",
        obj=course,
        session=session.pk,
    )
    return session


def _ids(values: Iterable[Any], message: str) -> list[int]:
    try:
        return list(dict.fromkeys(int(v) for v in values))
    except (TypeError, ValueError):
        raise ValidationError(message) from None


@transaction.atomic
def course_enroll(
    *, actor: User | None, course: Course, participant_ids: Iterable[Any], on: date | None = None
) -> list[Enrollment]:
    """Enrol many mentors at once; those already on the course are left as they are.

    Every id must be an adult mentor the course may take (its school's, or the
    municipal base for a municipal course): one stranger refuses the whole list, so
    nothing is half-done.
    """
    ids = _ids(participant_ids, _("Наставники указаны неверно."))
    if not ids:
        raise ValidationError(_("Выберите наставников для зачисления."))
    allowed = allowed_participants(course, ids)
    if len(allowed) != len(ids):
        raise ValidationError(
            _(
                "Зачислить можно только взрослых наставников %(whom)s с согласием: "
                "некоторых выбранных среди них нет."
            )
            % {
                "whom": _("школ муниципалитета")
                if course.organization.kind == OrganizationKind.MUNICIPALITY
                else _("организации")
            }
        )
    taken = set(
        Enrollment.objects.filter(course=course, participant_id__in=ids).values_list(
            "participant_id", flat=True
        )
    )
    on = on or timezone.localdate()
    created = Enrollment.objects.bulk_create(
        [
            Enrollment(
                organization=course.organization,
                course=course,
                participant=allowed[pk],
                enrolled_on=on,
            )
            for pk in ids
            if pk not in taken
        ]
    )
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.enroll",
        obj=course,
        participants=[e.participant_id for e in created],
    )
    return created


@transaction.atomic
def course_unenroll(*, actor: User | None, enrollment: Enrollment) -> None:
    if enrollment.certificate_id:
        raise ValidationError(_("Наставнику уже выдан сертификат: отчислить его с курса нельзя."))
    audit.record(
        actor=actor,
        organization=enrollment.organization,
        action="course.unenroll",
        obj=enrollment.course,
        participant=enrollment.participant_id,
    )
    enrollment.delete()


@transaction.atomic
def course_set_attendance(
    *, actor: User | None, course: Course, marks: Iterable[tuple[Any, Any]]
) -> int:
    """Make the course's attendance exactly `marks` (session id, enrolment id): the grid
    of checkboxes is sent whole. Returns how many marks there are now."""
    try:
        wanted = {(int(s), int(e)) for s, e in marks}
    except (TypeError, ValueError):
        raise ValidationError(_("Отметки посещаемости указаны неверно.")) from None
    sessions = set(course.sessions.values_list("pk", flat=True))
    enrollments = set(course.enrollments.values_list("pk", flat=True))
    if any(s not in sessions or e not in enrollments for s, e in wanted):
        raise ValidationError(_("Отметки посещаемости относятся к другому курсу."))
    existing = {
        (s, e): pk
        for pk, s, e in Attendance.objects.filter(session__course=course).values_list(
            "pk", "session_id", "enrollment_id"
        )
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Attendance.objects.filter(pk__in=stale).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(organization=course.organization, session_id=s, enrollment_id=e)
            for s, e in sorted(wanted - set(existing))
        ]
    )
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.attendance",
        obj=course,
        marks=len(wanted),
    )
    return len(wanted)


@transaction.atomic
def course_complete(
    *, actor: User | None, course: Course, enrollment_ids: Iterable[Any], on: date | None = None
) -> int:
    """Those listed have completed the course (on `on`, today by default); the others
    have not. A completer who already holds a certificate cannot be un-completed."""
    ids = set(_ids(enrollment_ids, _("Слушатели указаны неверно.")))
    enrollments = {e.pk: e for e in course.enrollments.all()}
    if ids - set(enrollments):
        raise ValidationError(_("Слушатели относятся к другому курсу."))
    on = on or timezone.localdate()
    certified = [e for pk, e in enrollments.items() if pk not in ids and e.certificate_id]
    if certified:
        raise ValidationError(
            _("Сертификат уже выдан: окончание обучения с выданным сертификатом не снимается.")
        )
    changed = []
    for pk, enrollment in enrollments.items():
        value = (enrollment.completed_on or on) if pk in ids else None
        if enrollment.completed_on != value:
            enrollment.completed_on = value
            changed.append(enrollment)
    Enrollment.objects.bulk_update(changed, ["completed_on"])
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.complete",
        obj=course,
        completed=sorted(ids),
    )
    return len(ids)


@transaction.atomic
def course_issue_certificates(*, actor: User | None, course: Course) -> list[Enrollment]:
    """One numbered certificate per completer who has none yet (kind mentor_certificate,
    registry/documents/acts/letters.py); rendered by the document pipeline after commit."""
    pending = list(
        course.enrollments.filter(completed_on__isnull=False, certificate__isnull=True)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    if not pending:
        raise ValidationError(
            _("Сертификаты выдаются окончившим обучение: отметьте окончивших курс.")
        )
    for enrollment in pending:
        document = document_request(
            actor=actor,
            organization=course.organization,
            kind=CERTIFICATE_KIND,
            params={"enrollment_id": enrollment.pk},
            title=_("Сертификат наставника: %(name)s")
            % {"name": enrollment.participant.short_name},
        )
        enrollment.certificate = document
    Enrollment.objects.bulk_update(pending, ["certificate"])
    audit.record(
        actor=actor,
        organization=course.organization,
        action="course.certificates",
        obj=course,
        certificates=[e.certificate.number for e in pending],
    )
    return pending
