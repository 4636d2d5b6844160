"""Group meetings of a school's programmes: plan, invite, attendance, and rankings recorded
by the curator from paper (the participants' own links are monitoring's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from registry import access
from registry.api.serializers.group_meetings import (
    AttendanceSerializer,
    CountSerializer,
    GroupMeetingDetailSerializer,
    GroupMeetingSerializer,
    GroupMeetingWriteSerializer,
    InviteSerializer,
    PreferenceSerializer,
)
from registry.models import GroupMeeting, Participant
from registry.selectors import group_meetings as selectors
from registry.services import group_meetings as service


class GroupMeetingViewSet(TenantViewSet):
    lookup_url_kwarg = "group_meeting_id"
    schema_tags = ["group meetings"]
    action_summaries = {
        "list": _("Групповые встречи школы"),
        "create": _("Добавить групповую встречу программы"),
        "retrieve": _("Групповая встреча: приглашённые, кто пришёл, их выбор"),
        "invite": _("Пригласить наставников и наставляемых"),
        "attendance": _("Отметить, кто был на встрече"),
        "preferences": _("Записать выбор участника после встречи (до трёх человек)"),
    }
    serializer_class = GroupMeetingSerializer
    input_serializers = {
        "create": GroupMeetingWriteSerializer,
        "invite": InviteSerializer,
        "attendance": AttendanceSerializer,
        "preferences": PreferenceSerializer,
    }
    action_roles = {
        "list": access.GROUP_MEETINGS_READ,
        "retrieve": access.GROUP_MEETINGS_READ,
        "create": access.GROUP_MEETINGS_WRITE,
        "invite": access.GROUP_MEETINGS_WRITE,
        "attendance": access.GROUP_MEETINGS_WRITE,
        "preferences": access.GROUP_MEETINGS_WRITE,
    }

    def get_queryset(self) -> QuerySet[GroupMeeting]:
        if self.is_schema_view:
            return GroupMeeting.objects.none()
        return selectors.meetings()

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(GroupMeetingSerializer(page, many=True).data)

    def _detail(self, meeting: GroupMeeting) -> Response:
        data = {"meeting": meeting, "participants": selectors.attendees(meeting)}
        return Response(GroupMeetingDetailSerializer(data).data)

    @extend_schema(responses=GroupMeetingDetailSerializer)
    def retrieve(self, request: Request, org_slug: str, group_meeting_id: int) -> Response:
        return self._detail(self.get_object())

    @extend_schema(request=GroupMeetingWriteSerializer, responses={201: GroupMeetingSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        meeting = service.group_meeting_create(actor=request.user, **data)
        return self.output(self.get_queryset().get(pk=meeting.pk), status.HTTP_201_CREATED)

    @extend_schema(request=InviteSerializer, responses=CountSerializer)
    def invite(self, request: Request, org_slug: str, group_meeting_id: int) -> Response:
        meeting = self.get_object()
        data = self.valid_input(request)
        added = service.group_meeting_invite(
            actor=request.user,
            meeting=meeting,
            mentor_ids=data["mentors"],
            mentee_ids=data["mentees"],
        )
        return Response(CountSerializer({"count": added}).data)

    @extend_schema(request=AttendanceSerializer, responses=CountSerializer)
    def attendance(self, request: Request, org_slug: str, group_meeting_id: int) -> Response:
        meeting = self.get_object()
        data = self.valid_input(request)
        came = service.group_meeting_attendance(
            actor=request.user, meeting=meeting, attended_ids=data["attended"]
        )
        return Response(CountSerializer({"count": came}).data)

    @extend_schema(request=PreferenceSerializer, responses=GroupMeetingDetailSerializer)
    def preferences(self, request: Request, org_slug: str, group_meeting_id: int) -> Response:
        meeting = self.get_object()
        data = self.valid_input(request)
        chooser = get_in_tenant_or_404(Participant, pk=data["participant"])
        service.preferences_record(
            actor=request.user,
            meeting=meeting,
            chooser=chooser,
            role=data["role"],
            chosen_ids=data["chosen"],
        )
        return self._detail(meeting)
