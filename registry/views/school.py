"""The school of mentors' pages: the list of courses and a course's one working screen
(sessions, enrolling many mentors, the attendance grid, completion, certificates).
Thin: each POST calls one service; the rules are registry/access.py's SCHOOL_*."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.school import CourseForm, SessionForm, attendance_marks, checked_ids
from registry.models import Course, Enrollment
from registry.selectors import school as selectors
from registry.services import school as service
from registry.services.subject_rights import mentor_base_record_view


def _course(course_id: int) -> Course:
    return get_in_tenant_or_404(Course, pk=course_id)


def _to_course(org_slug: str, course_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("registry:course_detail", org_slug=org_slug, course_id=course_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_GET
@tenant_view(access.SCHOOL_READ)
def course_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    courses = list(selectors.course_list())
    return render(request, "registry/school/list.html", {"courses": courses})


def _save_course(request: HttpRequest, form: CourseForm, course: Course | None) -> Course | None:
    try:
        if course is None:
            return service.course_create(
                actor=request.user, organization=request.tenant.organization, **form.cleaned_data
            )
        return service.course_update(actor=request.user, course=course, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@tenant_view(access.SCHOOL_WRITE)
def course_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = CourseForm(request.POST or None, initial={"hours": 36})
    if request.method == "POST" and form.is_valid():
        course = _save_course(request, form, None)
        if course is not None:
            messages.success(
                request, _("Курс «%(t)s» создан: добавьте занятия и слушателей.") % {"t": course}
            )
            return _to_course(org_slug, course.pk)
    return render(request, "registry/school/form.html", {"form": form, "course": None})


@require_http_methods(["GET", "POST"])
@tenant_view(access.SCHOOL_WRITE)
def course_edit(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    form = CourseForm(
        request.POST or None, initial=model_to_dict(course, fields=service.COURSE_FIELDS)
    )
    if request.method == "POST" and form.is_valid() and _save_course(request, form, course):
        messages.success(request, _("Изменения сохранены."))
        return _to_course(org_slug, course.pk)
    return render(request, "registry/school/form.html", {"form": form, "course": course})


def _grid(course: Course) -> list[dict]:
    sessions = list(course.sessions.all())
    rows = []
    for enrollment in course.enrollments.all():
        marked = {a.session_id for a in enrollment.attendance.all()}
        rows.append(
            {
                "enrollment": enrollment,
                "cells": [(s, s.pk in marked) for s in sessions],
                "attended": len(marked),
            }
        )
    return rows


@require_GET
@tenant_view(access.SCHOOL_READ)
def course_detail(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    return _render_detail(request, course_id)


def _render_detail(
    request: HttpRequest,
    course_id: int,
    *,
    session_form: SessionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    course = selectors.course_for_page(course_id)
    if course is None:
        raise Http404(_("Запись не найдена."))
    rows = _grid(course)
    can_write = access.SCHOOL_WRITE.permits(request.tenant)
    candidates = []
    if can_write:
        candidates = selectors.course_candidates(
            course, enrolled=[row["enrollment"].participant_id for row in rows]
        )
    if selectors.is_municipal(request.tenant.organization):
        # People of the schools shown to the municipality: each person's access log says
        # so (152-ФЗ), as the mentor base's page does.
        shown = [(c.participant_id, c.school_id, c.full_name) for c in candidates]
        shown += [
            (r["enrollment"].participant_id, r["enrollment"].participant.organization_id,
             r["enrollment"].participant.full_name)
            for r in rows
        ]  # fmt: skip
        if shown:
            mentor_base_record_view(
                actor=request.user, municipality=request.tenant.organization, participant_ids=shown
            )
    completed = [r for r in rows if r["enrollment"].completed_on]
    context = {
        "course": course,
        "sessions": list(course.sessions.all()),
        "rows": rows,
        "candidates": candidates,
        "can_write": can_write,
        "is_municipal": selectors.is_municipal(request.tenant.organization),
        "session_form": session_form or SessionForm(),
        "completed_count": len(completed),
        "uncertified_count": sum(1 for r in completed if not r["enrollment"].certificate_id),
        "programme_lines": [line for line in course.programme.splitlines() if line.strip()],
    }
    return render(request, "registry/school/detail.html", context, status=status)


@require_POST
@tenant_view(access.SCHOOL_WRITE)
def course_session_add(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            service.course_session_add(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Занятие добавлено."))
            return _to_course(org_slug, course.pk, "sessions")
    return _render_detail(request, course.pk, session_form=form, status=400)


@require_POST
@tenant_view(access.SCHOOL_WRITE)
def course_enroll(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    try:
        created = service.course_enroll(
            actor=request.user,
            course=course,
            participant_ids=checked_ids(request.POST, "participant"),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext("Зачислен %(n)s наставник.", "Зачислено %(n)s наставников.", len(created))
            % {"n": len(created)},
        )
    return _to_course(org_slug, course.pk, "listeners")


@require_POST
@tenant_view(access.SCHOOL_WRITE)
def course_attendance(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    try:
        service.course_set_attendance(
            actor=request.user, course=course, marks=attendance_marks(request.POST)
        )
        service.course_complete(
            actor=request.user, course=course, enrollment_ids=checked_ids(request.POST, "completed")
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Посещаемость и окончание обучения сохранены."))
    return _to_course(org_slug, course.pk, "listeners")


@require_POST
@tenant_view(access.SCHOOL_WRITE)
def course_unenroll(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    enrollment = Enrollment.objects.filter(
        course=course, pk=_int(request.POST.get("enrollment"))
    ).first()
    try:
        if enrollment is None:
            raise ValidationError(_("Выберите слушателя курса."))
        service.course_unenroll(actor=request.user, enrollment=enrollment)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Наставник отчислен с курса."))
    return _to_course(org_slug, course.pk, "listeners")


@require_POST
@tenant_view(access.SCHOOL_WRITE)
def course_certificates(request: HttpRequest, org_slug: str, course_id: int) -> HttpResponse:
    course = _course(course_id)
    try:
        issued = service.course_issue_certificates(actor=request.user, course=course)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Выдан %(n)s сертификат: файлы появятся в разделе «Документы».",
                "Выдано %(n)s сертификатов: файлы появятся в разделе «Документы».",
                len(issued),
            )
            % {"n": len(issued)},
        )
    return _to_course(org_slug, course.pk, "listeners")
