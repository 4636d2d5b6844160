"""The organisations API: /api/v1/o/<slug>/organizations/ — the organisations one level
down (a municipality's schools, a region's municipalities), and the bulk start.

Same rules as the organisations pages (ORGANIZATIONS_MANAGE, BULK_START) and the same
services. The bulk start takes the Excel file: `confirm=false` checks it row by row,
`confirm=true` applies it all or nothing (400 with the checked rows when any has errors).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship import access
from mentorship.api.schema import THROTTLED, ErrorSerializer
from mentorship.models import Organization, OrganizationKind
from mentorship.query import query_flag
from mentorship.services import bulk_start
from mentorship.services import organizations as service
from mentorship.services.invitations import InvitationThrottled

from .base import TenantViewSet
from .serializers import (
    BulkStartReportSerializer,
    BulkStartSerializer,
    OrganizationPatchSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
)
from .staff import throttled

__all__ = ["OrganizationViewSet"]


class OrganizationViewSet(TenantViewSet):
    lookup_url_kwarg = "organization_id"
    schema_tags = ["organizations"]
    action_summaries = {
        "list": _("Организации уровнем ниже: школы муниципалитета или муниципалитеты региона"),
        "retrieve": _("Организация уровнем ниже"),
        "create": _("Добавить школу (в муниципалитете) или муниципалитет (в регионе)"),
        "partial_update": _("Изменить данные организации"),
        "close": _("Закрыть организацию (данные сохраняются)"),
        "reopen": _("Восстановить закрытую организацию"),
        "bulk_start": _("Список школ с кураторами из Excel: проверить или загрузить"),
    }
    serializer_class = OrganizationSerializer
    input_serializers = {
        "create": OrganizationWriteSerializer,
        "partial_update": OrganizationPatchSerializer,
        "bulk_start": BulkStartSerializer,
    }
    action_roles = {
        "list": access.ORGANIZATIONS_MANAGE,
        "retrieve": access.ORGANIZATIONS_MANAGE,
        "create": access.ORGANIZATIONS_MANAGE,
        "partial_update": access.ORGANIZATIONS_MANAGE,
        "close": access.ORGANIZATIONS_MANAGE,
        "reopen": access.ORGANIZATIONS_MANAGE,
        "bulk_start": access.BULK_START,
    }

    def get_queryset(self) -> QuerySet[Organization]:
        if self.is_schema_view:
            return Organization.objects.none()
        children = Organization.objects.filter(parent=self.tenant.organization)
        return children.select_related("parent").order_by("short_name", "pk")

    def list(self, request: Request, org_slug: str) -> Response:
        """Open ones; `?closed=1` lists the closed ones instead."""
        queryset = self.get_queryset()
        if query_flag(request.query_params, "closed"):
            queryset = queryset.filter(closed_at__isnull=False)
        else:
            queryset = queryset.open()
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(OrganizationSerializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, organization_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=OrganizationWriteSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        parent = self.tenant.organization
        data = self.valid_input(request)
        if parent.kind == OrganizationKind.REGION:
            data.pop("kind", None)
            kind = OrganizationKind.MUNICIPALITY
        else:
            kind = data.pop("kind", OrganizationKind.SCHOOL)
        child = service.organization_create(actor=request.user, kind=kind, parent=parent, **data)
        return self.output(child, status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationPatchSerializer, responses=OrganizationSerializer)
    def partial_update(self, request: Request, org_slug: str, organization_id: int) -> Response:
        child = self.get_object()
        data = self.valid_input(request)
        if not child.is_educational:
            data.pop("kind", None)
        return self.output(
            service.organization_update(actor=request.user, organization=child, **data)
        )

    @extend_schema(request=None, responses=OrganizationSerializer)
    def close(self, request: Request, org_slug: str, organization_id: int) -> Response:
        child = service.organization_close(actor=request.user, organization=self.get_object())
        return self.output(child)

    @extend_schema(request=None, responses=OrganizationSerializer)
    def reopen(self, request: Request, org_slug: str, organization_id: int) -> Response:
        child = service.organization_reopen(actor=request.user, organization=self.get_object())
        return self.output(child)

    @extend_schema(
        request={"multipart/form-data": BulkStartSerializer},
        responses={
            200: BulkStartReportSerializer,
            # The rows' report when applying is refused; a bad file or form: Error.
            400: PolymorphicProxySerializer(
                component_name="BulkStartRefused",
                serializers=[BulkStartReportSerializer, ErrorSerializer],
                resource_type_field_name=None,
            ),
            429: THROTTLED,
        },
    )
    def bulk_start(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        try:
            rows = bulk_start.read_rows(data["file"].read())
        except bulk_start.BulkFileError as exc:
            raise exceptions.ValidationError({"file": [exc.message]}) from exc
        municipality = self.tenant.organization
        report = {"applied": False, "created": 0, "matched": 0, "invited": 0}
        if not data["confirm"]:
            checked = bulk_start.bulk_start_check(
                actor=request.user, municipality=municipality, rows=rows
            )
            return Response(_report(report, checked))
        try:
            result = bulk_start.bulk_start_apply(
                actor=request.user, municipality=municipality, rows=rows
            )
        except bulk_start.BulkStartRefused as refused:
            return Response(_report(report, refused.rows), status=status.HTTP_400_BAD_REQUEST)
        except InvitationThrottled as exc:
            raise throttled(exc) from exc
        report.update(applied=True, created=result.created, matched=result.matched)
        report["invited"] = result.invited
        return Response(report | {"rows": []})


def _report(report: dict, rows: list[dict]) -> dict:
    invited = sum(1 for r in rows if r["invite"] and not r["errors"])
    created = sum(1 for r in rows if r["action"] == "create" and not r["errors"])
    matched = sum(1 for r in rows if r["action"] == "match" and not r["errors"])
    return report | {"created": created, "matched": matched, "invited": invited, "rows": rows}
