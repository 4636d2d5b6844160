"""Mentors' councils: councils, members, meetings, decisions and protocols; the same
services and rules (registry/access.py COUNCIL_*, LOCAL_ACTS for the protocol)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from registry import access
from registry.api.serializers.council import (
    CouncilCreateSerializer,
    CouncilMeetingCreateSerializer,
    CouncilMeetingSerializer,
    CouncilSerializer,
    DecisionCreateSerializer,
    DecisionDoneSerializer,
    MeetingUpdateSerializer,
    MemberCreateSerializer,
)
from registry.models import Council, CouncilDecision, CouncilMeeting
from registry.selectors.council import members_in_order
from registry.services import council as service


def councils_for_output() -> QuerySet[Council]:
    return Council.objects.prefetch_related(
        Prefetch("members", queryset=members_in_order()),
        "plan_items",
        Prefetch("meetings", queryset=CouncilMeeting.objects.order_by("number")),
    ).order_by("title", "pk")


def meetings_for_output() -> QuerySet[CouncilMeeting]:
    return CouncilMeeting.objects.prefetch_related(
        "present", Prefetch("decisions", queryset=CouncilDecision.objects.order_by("pk"))
    ).order_by("-date", "-number")


class CouncilViewSet(TenantViewSet):
    lookup_url_kwarg = "council_id"
    schema_tags = ["council"]
    action_summaries = {
        "list": _("Советы наставников"),
        "retrieve": _("Совет: состав, план работы, заседания"),
        "create": _("Создать совет наставников"),
        "add_member": _("Добавить члена совета"),
        "add_meeting": _("Назначить заседание с повесткой"),
    }
    serializer_class = CouncilSerializer
    input_serializers = {
        "create": CouncilCreateSerializer,
        "add_member": MemberCreateSerializer,
        "add_meeting": CouncilMeetingCreateSerializer,
    }
    action_roles = {
        "list": access.COUNCIL_READ,
        "retrieve": access.COUNCIL_READ,
        "create": access.COUNCIL_WRITE,
        "add_member": access.COUNCIL_WRITE,
        "add_meeting": access.COUNCIL_WRITE,
    }

    def get_queryset(self) -> QuerySet[Council]:
        return Council.objects.none() if self.is_schema_view else councils_for_output()

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, council_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=CouncilCreateSerializer, responses={201: CouncilSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        council = service.council_create(
            actor=request.user, organization=self.tenant.organization, **self.valid_input(request)
        )
        return self.output(councils_for_output().get(pk=council.pk), status.HTTP_201_CREATED)

    @extend_schema(request=MemberCreateSerializer, responses={201: CouncilSerializer})
    def add_member(self, request: Request, org_slug: str, council_id: int) -> Response:
        council = self.get_object()
        service.council_member_add(actor=request.user, council=council, **self.valid_input(request))
        return self.output(councils_for_output().get(pk=council.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=CouncilMeetingCreateSerializer, responses={201: CouncilMeetingSerializer}
    )
    def add_meeting(self, request: Request, org_slug: str, council_id: int) -> Response:
        council = self.get_object()
        meeting = service.council_meeting_create(
            actor=request.user, council=council, **self.valid_input(request)
        )
        data = CouncilMeetingSerializer(meetings_for_output().get(pk=meeting.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class CouncilMeetingViewSet(TenantViewSet):
    lookup_url_kwarg = "council_meeting_id"
    schema_tags = ["council"]
    action_summaries = {
        "retrieve": _("Заседание совета: повестка, ход, присутствующие, решения"),
        "partial_update": _("Внести ход заседания и присутствующих"),
        "add_decision": _("Записать решение с ответственным и сроком"),
        "decision_done": _("Отметить решение выполненным (или вернуть в работу)"),
        "protocol": _("Сформировать протокол заседания (PDF и Word)"),
    }
    serializer_class = CouncilMeetingSerializer
    input_serializers = {
        "partial_update": MeetingUpdateSerializer,
        "add_decision": DecisionCreateSerializer,
        "decision_done": DecisionDoneSerializer,
    }
    action_roles = {
        "retrieve": access.COUNCIL_READ,
        "partial_update": access.COUNCIL_WRITE,
        "add_decision": access.COUNCIL_WRITE,
        "decision_done": access.COUNCIL_WRITE,
        "protocol": access.LOCAL_ACTS,
    }

    def get_queryset(self) -> QuerySet[CouncilMeeting]:
        return CouncilMeeting.objects.none() if self.is_schema_view else meetings_for_output()

    def _fresh(self, meeting: CouncilMeeting, code: int = status.HTTP_200_OK) -> Response:
        return self.output(meetings_for_output().get(pk=meeting.pk), code)

    def retrieve(self, request: Request, org_slug: str, council_meeting_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=MeetingUpdateSerializer, responses=CouncilMeetingSerializer)
    def partial_update(self, request: Request, org_slug: str, council_meeting_id: int) -> Response:
        meeting = self.get_object()
        service.council_meeting_update(
            actor=request.user, meeting=meeting, **self.valid_input(request)
        )
        return self._fresh(meeting)

    @extend_schema(request=DecisionCreateSerializer, responses={201: CouncilMeetingSerializer})
    def add_decision(self, request: Request, org_slug: str, council_meeting_id: int) -> Response:
        meeting = self.get_object()
        service.council_decision_add(
            actor=request.user, meeting=meeting, **self.valid_input(request)
        )
        return self._fresh(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=DecisionDoneSerializer, responses=CouncilMeetingSerializer)
    def decision_done(self, request: Request, org_slug: str, council_meeting_id: int) -> Response:
        meeting = self.get_object()
        data = self.valid_input(request)
        decision = get_in_tenant_or_404(meeting.decisions.all(), pk=data["decision"])
        service.council_decision_set_done(actor=request.user, decision=decision, done=data["done"])
        return self._fresh(meeting)

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "CouncilProtocol",
                {"document_id": serializers.IntegerField(), "number": serializers.CharField()},
            )
        },
    )
    def protocol(self, request: Request, org_slug: str, council_meeting_id: int) -> Response:
        meeting = self.get_object()
        document = service.council_protocol_issue(actor=request.user, meeting=meeting)
        return Response(
            {"document_id": document.pk, "number": document.number}, status=status.HTTP_202_ACCEPTED
        )
