"""Viewsets of the registry API: each write is one call of a `registry.services` function.

Querysets are the tenant's by construction (TenantMiddleware activates the scope of the
URL's organisation), so another organisation's id is simply not found: 404. People are
served at the school level only; the municipality gets the base of adult mentors who
consented to it, and counts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import GenericViewSet

from mentorship.api import TenantViewSetMixin
from mentorship.tenancy.access import get_in_tenant_or_404
from registry.api import roles
from registry.api.filters import ParticipantFilter
from registry.api.serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    CountsSerializer,
    MentorBaseEntrySerializer,
    MentorBaseQuerySerializer,
    ParticipantSerializer,
    ParticipantWriteSerializer,
    PartnerSerializer,
    PartnerWriteSerializer,
    counts_data,
)
from registry.models import Consent, Participant, PartnerOrganization
from registry.selectors.municipal import unscoped_mentor_base, unscoped_school_counts
from registry.services import partners as partner_services
from registry.services.consent import consent_record, consent_withdraw
from registry.services.participants import participant_create, participant_update, record_view
from registry.services.subject_rights import mentor_base_record_view


class _TenantViewSet(TenantViewSetMixin, GenericViewSet):
    # Serializers of the action's input; the output is always `serializer_class`.
    input_serializers: dict[str, type[BaseSerializer]] = {}

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.input_serializers.get(self.action or "", self.serializer_class)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not self.is_schema_view:
            context["organization"] = self.tenant.organization
        return context

    def valid_input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            self.serializer_class(instance, context=self.get_serializer_context()).data, status=code
        )

    def participant_from_url(self) -> Participant:
        return get_in_tenant_or_404(Participant, pk=self.kwargs["participant_id"])

    @property
    def is_schema_view(self) -> bool:
        # drf-spectacular builds the schema with no request and no tenant scope.
        return getattr(self, "swagger_fake_view", False)


def _participants() -> QuerySet[Participant]:
    # The forms of every row in two queries, the partner in the same one: the list costs
    # the same for 5 people or 500.
    return Participant.objects.select_related("partner").prefetch_related(
        "mentor_forms", "mentee_forms"
    )


class ParticipantViewSet(_TenantViewSet):
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
        "list": roles.PEOPLE_READ,
        "retrieve": roles.PEOPLE_READ,
        "create": roles.PEOPLE_WRITE,
        "partial_update": roles.PEOPLE_WRITE,
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


class ConsentViewSet(_TenantViewSet):
    lookup_url_kwarg = "consent_id"
    schema_tags = ["registry consents"]
    action_summaries = {
        "list": _("Согласия участника на обработку персональных данных"),
        "retrieve": _("Согласие"),
        "create": _("Внести подписанное согласие (152-ФЗ)"),
        "withdraw": _("Отзыв согласия: пары приостанавливаются, данные будут обезличены"),
    }
    serializer_class = ConsentSerializer
    input_serializers = {"create": ConsentCreateSerializer, "withdraw": ConsentWithdrawSerializer}
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {
        "list": roles.PEOPLE_READ,
        "retrieve": roles.PEOPLE_READ,
        "create": roles.PEOPLE_WRITE,
        "withdraw": roles.PEOPLE_WRITE,
    }

    def get_queryset(self) -> QuerySet[Consent]:
        if self.is_schema_view:
            return Consent.objects.none()
        # A consent's state depends on the participant's age: one join, not a query each.
        return Consent.objects.select_related("participant")

    def list(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = self.participant_from_url()
        page = self.paginate_queryset(self.get_queryset().filter(participant=participant))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, consent_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(
        request={
            "multipart/form-data": ConsentCreateSerializer,
            "application/json": ConsentCreateSerializer,
        },
        responses={201: ConsentSerializer},
    )
    def create(self, request: Request, org_slug: str, participant_id: int) -> Response:
        # The participant first: a foreign id is a 404 whatever the body holds.
        participant = self.participant_from_url()
        data = self.valid_input(request)
        consent = consent_record(actor=request.user, participant=participant, **data)
        return self.output(consent, status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWithdrawSerializer, responses=ConsentSerializer)
    def withdraw(self, request: Request, org_slug: str, consent_id: int) -> Response:
        consent = self.get_object()
        data = self.valid_input(request)
        return self.output(consent_withdraw(actor=request.user, consent=consent, **data))


class PartnerViewSet(_TenantViewSet):
    lookup_url_kwarg = "partner_id"
    schema_tags = ["partners"]
    action_summaries = {
        "list": _("Организации-партнёры муниципалитета или школы"),
        "retrieve": _("Организация-партнёр"),
        "create": _("Добавить организацию-партнёра"),
        "partial_update": _("Изменить организацию-партнёра"),
        "destroy": _("Удалить организацию-партнёра, если у неё нет представителей"),
    }
    serializer_class = PartnerSerializer
    input_serializers = {"create": PartnerWriteSerializer, "partial_update": PartnerWriteSerializer}
    action_roles = {
        "list": roles.PARTNERS_READ,
        "retrieve": roles.PARTNERS_READ,
        "create": roles.PARTNERS_WRITE,
        "partial_update": roles.PARTNERS_WRITE,
        "destroy": roles.PARTNERS_WRITE,
    }

    def get_queryset(self) -> QuerySet[PartnerOrganization]:
        if self.is_schema_view:
            return PartnerOrganization.objects.none()
        return PartnerOrganization.objects.order_by("name", "pk")

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, partner_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=PartnerWriteSerializer, responses={201: PartnerSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        partner = partner_services.partner_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(partner, status.HTTP_201_CREATED)

    @extend_schema(request=PartnerWriteSerializer, responses=PartnerSerializer)
    def partial_update(self, request: Request, org_slug: str, partner_id: int) -> Response:
        partner = self.get_object()
        data = self.valid_input(request)
        return self.output(
            partner_services.partner_update(actor=request.user, partner=partner, **data)
        )

    def destroy(self, request: Request, org_slug: str, partner_id: int) -> Response:
        partner_services.partner_delete(actor=request.user, partner=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MentorBaseViewSet(_TenantViewSet):
    """The municipal base of adult mentors, and counts per school: named cross-tenant
    reads (registry/selectors_municipal.py), at the municipality's address only."""

    schema_tags = ["mentor base"]
    action_summaries = {
        "list": _("Муниципальная база наставников: взрослые, давшие согласие на включение"),
        "counts": _("Участники по школам; значения меньше 5 скрыты"),
    }
    serializer_class = MentorBaseEntrySerializer
    # Filtering is done by the selector, in SQL; no FilterSet on a list of records.
    filter_backends: list = []
    action_roles = {"list": roles.MENTOR_BASE, "counts": roles.MENTOR_BASE}

    def get_queryset(self) -> QuerySet[Participant]:
        # Only so the schema generator has a model to look at; never queried.
        return Participant.objects.none()

    @extend_schema(parameters=[MentorBaseQuerySerializer])
    def list(self, request: Request, org_slug: str) -> Response:
        query = MentorBaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        municipality = self.tenant.organization
        entries = unscoped_mentor_base(
            municipality,
            search=filters.get("search", ""),
            school_id=filters.get("school"),
            category=filters.get("category", ""),
        )
        page = self.paginate_queryset(entries)
        mentor_base_record_view(
            actor=request.user,
            municipality=municipality,
            participant_ids=[(e.participant_id, e.school_id, e.full_name) for e in page],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=CountsSerializer)
    def counts(self, request: Request, org_slug: str) -> Response:
        table = unscoped_school_counts(self.tenant.organization)
        return Response(CountsSerializer(counts_data(table)).data)
