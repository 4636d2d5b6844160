"""Pairs and groups: the list, one pair with its members, proposal and the lifecycle;
and a pair's meeting log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from registry import access
from registry.api.filters import PairFilter
from registry.api.serializers.pairs import (
    MeetingCreateSerializer,
    MeetingSerializer,
    PairCreateSerializer,
    PairSerializer,
    TransitionSerializer,
)
from registry.models import Meeting, Pair, PairMember, Programme
from registry.services.pairs import meeting_log, pair_propose, pair_resume, pair_transition


def pairs_for_output() -> QuerySet[Pair]:
    """Everything the serializer reads, in a fixed number of queries whatever the page size."""
    members = PairMember.objects.select_related("participant").order_by("role", "pk")
    return Pair.objects.select_related("programme", "form", "order").prefetch_related(
        Prefetch("members", queryset=members, to_attr="prefetched_members")
    )


class PairViewSet(TenantViewSet):
    lookup_url_kwarg = "pair_id"
    schema_tags = ["pairs"]
    action_summaries = {
        "list": _("Наставнические пары и группы школы"),
        "retrieve": _("Пара или группа с участниками"),
        "create": _("Предложить пару или группу"),
        "transition": _("Перевести пару в другое состояние"),
        "resume": _("Возобновить приостановленную пару"),
    }
    serializer_class = PairSerializer
    filterset_class = PairFilter
    input_serializers = {"create": PairCreateSerializer, "transition": TransitionSerializer}
    action_roles = {
        "list": access.PAIRS_READ,
        "retrieve": access.PAIRS_READ,
        "create": access.PAIRS_WRITE,
        "transition": access.PAIRS_WRITE,
        "resume": access.PAIRS_WRITE,
    }

    def get_queryset(self) -> QuerySet[Pair]:
        return Pair.objects.none() if self.is_schema_view else pairs_for_output()

    def _reloaded(self, pair: Pair) -> Pair:
        # The services change status and members: show the pair as it now is.
        return pairs_for_output().get(pk=pair.pk)

    def list(self, request: Request, org_slug: str) -> Response:
        pairs = self.filter_queryset(self.get_queryset()).order_by("programme__name", "pk")
        page = self.paginate_queryset(pairs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, pair_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=PairCreateSerializer, responses={201: PairSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        # The programme is looked up in the tenant: another school's is a 404.
        programme = get_in_tenant_or_404(
            Programme.objects.select_related("form", "organization"), pk=data.pop("programme")
        )
        pair = pair_propose(actor=request.user, programme=programme, **data)
        return self.output(self._reloaded(pair), status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=PairSerializer)
    def transition(self, request: Request, org_slug: str, pair_id: int) -> Response:
        pair = self.get_object()
        data = self.valid_input(request)
        pair_transition(actor=request.user, pair=pair, to=data["to"], reason=data["reason"])
        return self.output(self._reloaded(pair))

    @extend_schema(request=None, responses=PairSerializer)
    def resume(self, request: Request, org_slug: str, pair_id: int) -> Response:
        pair = pair_resume(actor=request.user, pair=self.get_object())
        return self.output(self._reloaded(pair))


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
    action_roles = {
        "list": access.PAIRS_READ,
        "retrieve": access.PAIRS_READ,
        "create": access.PAIRS_WRITE,
    }

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
