"""The meeting log of a pair: list, one meeting, and logging a meeting."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from registry.models import Meeting, Pair
from registry.pair_api import roles
from registry.pair_api.serializers import MeetingCreateSerializer, MeetingSerializer
from registry.services.pairs import meeting_log


class MeetingViewSet(TenantViewSet):
    lookup_url_kwarg = "meeting_id"
    schema_tags = ["meetings"]
    action_summaries = {
        "list": _("Встречи пары"),
        "retrieve": _("Встреча"),
        "create": _("Записать встречу (первая встреча начинает работу пары)"),
    }
    serializer_class = MeetingSerializer
    input_serializers = {"create": MeetingCreateSerializer}
    action_roles = {"list": roles.READ, "retrieve": roles.READ, "create": roles.WRITE}

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.is_schema_view:
            return Meeting.objects.none()
        return Meeting.objects.prefetch_related("attended")

    def pair_from_url(self) -> Pair:
        return get_in_tenant_or_404(Pair, pk=self.kwargs["pair_id"])

    def list(self, request: Request, org_slug: str, pair_id: int) -> Response:
        pair = self.pair_from_url()
        page = self.paginate_queryset(self.get_queryset().filter(pair=pair))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, meeting_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request, org_slug: str, pair_id: int) -> Response:
        # The pair first: a foreign id is a 404 whatever the body holds.
        pair = self.pair_from_url()
        data = self.valid_input(request)
        meeting = meeting_log(
            actor=request.user,
            pair=pair,
            kind=data["kind"],
            held_on=data["held_on"],
            topic=data["topic"],
            format=data["format"],
            result=data["result"],
            attended_ids=data["attended"],
        )
        return self.output(meeting, status.HTTP_201_CREATED)
