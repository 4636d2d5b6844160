"""The school of mentors: courses, sessions, enrolment, attendance, completion and
certificates; the same services and rules (registry/access.py SCHOOL_*) as the pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from registry import access
from registry.api.serializers.school import (
    CourseAttendanceSerializer,
    CourseCreateSerializer,
    CourseDetailSerializer,
    CourseSerializer,
    CourseWriteSerializer,
    IdsSerializer,
    SessionCreateSerializer,
)
from registry.models import Attendance, Course, CourseSession, Enrollment
from registry.services import school as service


def courses_for_output() -> QuerySet[Course]:
    enrollments = Enrollment.objects.select_related(
        "participant", "participant__organization", "certificate"
    ).prefetch_related(
        Prefetch("attendance", queryset=Attendance.objects.only("session_id", "enrollment_id"))
    )
    return Course.objects.prefetch_related(
        Prefetch("sessions", queryset=CourseSession.objects.order_by("date", "starts_at", "pk")),
        Prefetch("enrollments", queryset=enrollments),
    ).order_by("-starts_on", "title", "pk")


class CourseViewSet(TenantViewSet):
    lookup_url_kwarg = "course_id"
    schema_tags = ["school"]
    action_summaries = {
        "list": _("Курсы школы наставников"),
        "retrieve": _("Курс: занятия, слушатели, посещаемость, сертификаты"),
        "create": _("Создать курс"),
        "partial_update": _("Изменить курс"),
        "add_session": _("Добавить занятие"),
        "enroll": _("Зачислить наставников (списком)"),
        "attendance": _("Сохранить сетку посещаемости целиком"),
        "complete": _("Отметить окончивших обучение (остальные — не окончили)"),
        "certificates": _("Выдать сертификаты окончившим"),
    }
    serializer_class = CourseDetailSerializer
    input_serializers = {
        "create": CourseCreateSerializer,
        "partial_update": CourseWriteSerializer,
        "add_session": SessionCreateSerializer,
        "enroll": IdsSerializer,
        "complete": IdsSerializer,
        "attendance": CourseAttendanceSerializer,
    }
    action_roles = {
        "list": access.SCHOOL_READ,
        "retrieve": access.SCHOOL_READ,
        "create": access.SCHOOL_WRITE,
        "partial_update": access.SCHOOL_WRITE,
        "add_session": access.SCHOOL_WRITE,
        "enroll": access.SCHOOL_WRITE,
        "attendance": access.SCHOOL_WRITE,
        "complete": access.SCHOOL_WRITE,
        "certificates": access.SCHOOL_WRITE,
    }

    def get_queryset(self) -> QuerySet[Course]:
        return Course.objects.none() if self.is_schema_view else courses_for_output()

    def _fresh(self, course: Course, code: int = status.HTTP_200_OK) -> Response:
        return self.output(courses_for_output().get(pk=course.pk), code)

    @extend_schema(responses=CourseSerializer(many=True))
    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(Course.objects.order_by("-starts_on", "title", "pk"))
        return self.get_paginated_response(CourseSerializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, course_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=CourseCreateSerializer, responses={201: CourseDetailSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        course = service.course_create(
            actor=request.user, organization=self.tenant.organization, **self.valid_input(request)
        )
        return self._fresh(course, status.HTTP_201_CREATED)

    @extend_schema(request=CourseWriteSerializer, responses=CourseDetailSerializer)
    def partial_update(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        service.course_update(actor=request.user, course=course, **self.valid_input(request))
        return self._fresh(course)

    @extend_schema(request=SessionCreateSerializer, responses={201: CourseDetailSerializer})
    def add_session(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        service.course_session_add(actor=request.user, course=course, **self.valid_input(request))
        return self._fresh(course, status.HTTP_201_CREATED)

    @extend_schema(request=IdsSerializer, responses=CourseDetailSerializer)
    def enroll(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        service.course_enroll(
            actor=request.user, course=course, participant_ids=self.valid_input(request)["ids"]
        )
        return self._fresh(course)

    @extend_schema(request=CourseAttendanceSerializer, responses=CourseDetailSerializer)
    def attendance(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        marks = [tuple(m) for m in self.valid_input(request)["marks"]]
        service.course_set_attendance(actor=request.user, course=course, marks=marks)
        return self._fresh(course)

    @extend_schema(request=IdsSerializer, responses=CourseDetailSerializer)
    def complete(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        service.course_complete(
            actor=request.user, course=course, enrollment_ids=self.valid_input(request)["ids"]
        )
        return self._fresh(course)

    @extend_schema(request=None, responses={202: CourseDetailSerializer})
    def certificates(self, request: Request, org_slug: str, course_id: int) -> Response:
        course = self.get_object()
        service.course_issue_certificates(actor=request.user, course=course)
        return self._fresh(course, status.HTTP_202_ACCEPTED)
