"""A person's consents under 152-ФЗ: read with the person, recorded and withdrawn by the
curator (registry/access.py: `people.read`, `consent`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from registry import access
from registry.api.serializers.consent import (
    ConsentCreateSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
)
from registry.models import Consent, Participant
from registry.services.consent import consent_record, consent_withdraw


class ConsentViewSet(TenantViewSet):
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
        "list": access.PEOPLE_READ,
        "retrieve": access.PEOPLE_READ,
        "create": access.CONSENT,
        "withdraw": access.CONSENT,
    }

    def get_queryset(self) -> QuerySet[Consent]:
        if self.is_schema_view:
            return Consent.objects.none()
        # A consent's state depends on the participant's age: one join, not a query each.
        return Consent.objects.select_related("participant")

    def list(self, request: Request, org_slug: str, participant_id: int) -> Response:
        participant = get_in_tenant_or_404(Participant, pk=self.kwargs["participant_id"])
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
        participant = get_in_tenant_or_404(Participant, pk=self.kwargs["participant_id"])
        data = self.valid_input(request)
        consent = consent_record(actor=request.user, participant=participant, **data)
        return self.output(consent, status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWithdrawSerializer, responses=ConsentSerializer)
    def withdraw(self, request: Request, org_slug: str, consent_id: int) -> Response:
        consent = self.get_object()
        data = self.valid_input(request)
        return self.output(consent_withdraw(actor=request.user, consent=consent, **data))
