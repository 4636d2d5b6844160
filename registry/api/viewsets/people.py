"""The school's people through the API (school level only; reading a pupil is audited)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from registry import access
from registry.api.filters import ParticipantFilter
from registry.api.serializers.people import ParticipantSerializer, ParticipantWriteSerializer
from registry.models import Participant
from registry.services.participants import participant_create, participant_update, record_view


def _participants() -> QuerySet[Participant]:
    # The forms of every row in two queries, the partner in the same one: the list costs
    # the same for 5 people or 500.
    return Participant.objects.select_related("partner").prefetch_related(
        "mentor_forms", "mentee_forms"
    )


class ParticipantViewSet(TenantViewSet):
    lookup_url_kwarg = "participant_id"
    schema_tags = ["registry participants"]
    action_summaries = {
        "list": _("Участники реестра школы (без обезличенных)"),
        "retrieve": _("Участник (просмотр обучающегося записывается в журнал)"),
        "create": _("Внести участника в реестр"),
        "partial_update": _("Изменить данные участника"),
    }
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    input_serializers = {
        "create": ParticipantWriteSerializer,
        "partial_update": ParticipantWriteSerializer,
    }
    action_roles = {
        "list": access.PEOPLE_READ,
        "retrieve": access.PEOPLE_READ,
        "create": access.PEOPLE_WRITE,
        "partial_update": access.PEOPLE_WRITE,
    }

    def get_queryset(self) -> QuerySet[Participant]:
        return Participant.objects.none() if self.is_schema_view else _participants()

    def list(self, request: Request, org_slug: str) -> Response:
        living = self.get_queryset().filter(depersonalized_at__isnull=True)
        page = self.paginate_queryset(self.filter_queryset(living))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = self.get_object()
        record_view(actor=request.user, participant=participant)
        return self.output(participant)

    @extend_schema(request=ParticipantWriteSerializer, responses={201: ParticipantSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        participant = participant_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(_participants().get(pk=participant.pk), status.HTTP_201_CREATED)

    @extend_schema(request=ParticipantWriteSerializer, responses=ParticipantSerializer)
    def partial_update(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = self.get_object()
        data = self.valid_input(request)
        participant_update(actor=request.user, participant=participant, **data)
        return self.output(_participants().get(pk=participant.pk))
