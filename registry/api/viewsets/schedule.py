"""The calendar, planned pair meetings, the organisation's feed and participants' links.

The same services and rules as the pages: registry/services/schedule.py and links.py,
registry/access.py (CALENDAR, CALENDAR_FEED, PAIRS_READ/WRITE, PERSONAL_LINKS). A
link's secret address is in the response that issues it and nowhere else.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.calendar import CalendarQuery, calendar_events
from mentorship.tenancy.access import get_in_tenant_or_404
from registry import access
from registry.api.serializers.schedule import (
    CalendarEventSerializer,
    CalendarQuerySerializer,
    IssuedLinkSerializer,
    LinkStateSerializer,
    PlannedMeetingInputSerializer,
    PlannedMeetingSerializer,
)
from registry.models import Pair, Participant, PlannedMeeting
from registry.services.links import (
    feed_url,
    organization_feed_issue,
    organization_feed_revoke,
    page_url,
    personal_link_issue,
    personal_links_mail,
    personal_links_revoke,
)
from registry.services.schedule import meeting_cancel, meeting_plan, meeting_update

DEFAULT_DAYS = 35


class PlannedMeetingViewSet(TenantViewSet):
    lookup_url_kwarg = "planned_meeting_id"
    schema_tags = ["calendar"]
    action_summaries = {
        "list": _("Запланированные встречи пары"),
        "create": _("Запланировать встречу пары (участникам уходят письма)"),
        "retrieve": _("Запланированная встреча"),
        "update": _("Изменить или перенести встречу"),
        "cancel": _("Отменить встречу"),
    }
    serializer_class = PlannedMeetingSerializer
    input_serializers = {
        "create": PlannedMeetingInputSerializer,
        "update": PlannedMeetingInputSerializer,
    }
    action_roles = {
        "list": access.PAIRS_READ,
        "retrieve": access.PAIRS_READ,
        "create": access.PAIRS_WRITE,
        "update": access.PAIRS_WRITE,
        "cancel": access.PAIRS_WRITE,
    }

    def get_queryset(self) -> QuerySet[PlannedMeeting]:
        if self.is_schema_view:
            return PlannedMeeting.objects.none()
        return PlannedMeeting.objects.select_related("pair")

    def pair_from_url(self) -> Pair:
        return get_in_tenant_or_404(Pair, pk=self.kwargs["pair_id"])

    def list(self, request: Request, org_slug: str, pair_id: int) -> Response:
        pair = self.pair_from_url()
        page = self.paginate_queryset(self.get_queryset().filter(pair=pair).order_by("starts_at"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=PlannedMeetingInputSerializer, responses={201: PlannedMeetingSerializer})
    def create(self, request: Request, org_slug: str, pair_id: int) -> Response:
        pair = self.pair_from_url()
        data = self.valid_input(request)
        meeting = meeting_plan(actor=request.user, pair=pair, **data)
        return self.output(meeting, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, org_slug: str, planned_meeting_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=PlannedMeetingInputSerializer, responses=PlannedMeetingSerializer)
    def update(self, request: Request, org_slug: str, planned_meeting_id: int) -> Response:
        meeting = self.get_object()
        data = self.valid_input(request)
        return self.output(meeting_update(actor=request.user, meeting=meeting, **data))

    @extend_schema(request=None, responses=PlannedMeetingSerializer)
    def cancel(self, request: Request, org_slug: str, planned_meeting_id: int) -> Response:
        return self.output(meeting_cancel(actor=request.user, meeting=self.get_object()))


class CalendarViewSet(TenantViewSet):
    schema_tags = ["calendar"]
    action_summaries = {
        "list": _("Календарь организации или участника (?person=) за период"),
        "feed_issue": _("Выдать новую закрытую ссылку на ICS-календарь организации"),
        "feed_revoke": _("Отозвать ссылку на ICS-календарь организации"),
    }
    serializer_class = CalendarEventSerializer
    action_roles = {
        "list": access.CALENDAR,
        "feed_issue": access.CALENDAR_FEED,
        "feed_revoke": access.CALENDAR_FEED,
    }

    def get_queryset(self):
        # Only the schema generator asks: the calendar is assembled from its sources.
        return PlannedMeeting.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD, по умолчанию сегодня"),
            OpenApiParameter("end", str, description="YYYY-MM-DD, по умолчанию +35 дней"),
            OpenApiParameter("person", int, description="id участника: его календарь"),
        ],
        responses=CalendarEventSerializer(many=True),
    )
    def list(self, request: Request, org_slug: str) -> Response:
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        start = params.get("start") or timezone.localdate()
        end = params.get("end") or start + dt.timedelta(days=DEFAULT_DAYS - 1)
        person = None
        if params.get("person"):
            access.PEOPLE_READ.check(self.tenant)
            person = get_in_tenant_or_404(Participant, pk=params["person"])
        events = calendar_events(
            CalendarQuery(
                organization=self.tenant.organization,
                start=start,
                end=end,
                participant_id=person.pk if person else None,
                tenant=None if person else self.tenant,
            )
        )
        return Response(CalendarEventSerializer(events, many=True).data)

    @extend_schema(request=None, responses={201: IssuedLinkSerializer})
    def feed_issue(self, request: Request, org_slug: str) -> Response:
        issued = organization_feed_issue(actor=request.user, organization=self.tenant.organization)
        data = {
            "url": feed_url(self.tenant.organization, issued.token),
            "sent_to": "",
            "issued_at": issued.link.issued_at,
        }
        return Response(IssuedLinkSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def feed_revoke(self, request: Request, org_slug: str) -> Response:
        organization_feed_revoke(actor=request.user, organization=self.tenant.organization)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonalLinkViewSet(TenantViewSet):
    lookup_url_kwarg = "participant_id"
    schema_tags = ["calendar"]
    action_summaries = {
        "retrieve": _("Действующие личные ссылки участника (без самих адресов)"),
        "issue": _("Выдать участнику новую личную ссылку (старая перестаёт действовать)"),
        "revoke": _("Отозвать личные ссылки участника"),
    }
    serializer_class = LinkStateSerializer
    action_roles = {
        "retrieve": access.PERSONAL_LINKS,
        "issue": access.PERSONAL_LINKS,
        "revoke": access.PERSONAL_LINKS,
    }

    def get_queryset(self) -> QuerySet[Participant]:
        if self.is_schema_view:
            return Participant.objects.none()
        return Participant.objects.filter(depersonalized_at__isnull=True)

    @extend_schema(responses=LinkStateSerializer(many=True))
    def retrieve(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = self.get_object()
        links = participant.links.filter(revoked_at__isnull=True).order_by("purpose")
        return Response(LinkStateSerializer(links, many=True).data)

    @extend_schema(request=None, responses={201: IssuedLinkSerializer})
    def issue(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = self.get_object()
        issued = personal_link_issue(actor=request.user, participant=participant)
        personal_links_mail([(participant, issued)])
        data = {
            "url": page_url(issued.token),
            "sent_to": issued.link.sent_to,
            "issued_at": issued.link.issued_at,
        }
        return Response(IssuedLinkSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def revoke(self, request: Request, org_slug: str, participant_id: int) -> Response:
        personal_links_revoke(actor=request.user, participant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
