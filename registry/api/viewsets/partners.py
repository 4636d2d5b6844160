"""Partner organisations of a school or a municipality."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from registry import access
from registry.api.serializers.partners import PartnerSerializer, PartnerWriteSerializer
from registry.models import PartnerOrganization
from registry.services import partners as partner_services


class PartnerViewSet(TenantViewSet):
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
        "list": access.PARTNERS_READ,
        "retrieve": access.PARTNERS_READ,
        "create": access.PARTNERS_WRITE,
        "partial_update": access.PARTNERS_WRITE,
        "destroy": access.PARTNERS_WRITE,
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
