"""POST order/: issue the order on pairs through the document pipeline.

The answer says where the document stands: 201 when the PDF is already there (Celery
runs eagerly in the embedded mode, so the render happened during the request), 202
while a worker renders it (poll `detail_url`), 400 with the render's Russian error if it
failed. The pairs are approved together with the stored PDF, see
registry/services/pair_order.py.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.models import Document, DocumentStatus
from registry import access
from registry.api.serializers.pair_order import OrderRequestSerializer, OrderSerializer
from registry.services.pair_order import pair_order_issue


def order_data(document: Document) -> dict[str, Any]:
    slug = document.organization.slug
    args = {"org_slug": slug, "document_id": document.pk}
    return {
        "pk": document.pk,
        "number": document.number,
        "date": document.date,
        "status": document.status,
        "error": document.error,
        "params": {"pair_ids": document.params.get("pair_ids", [])},
        "detail_url": reverse("document_detail", kwargs=args),
        "download_url": reverse("document_download", kwargs=args) if document.is_ready else None,
    }


class PairOrderViewSet(TenantViewSet):
    schema_tags = ["pairs"]
    action_summaries = {
        "issue": _("Сформировать приказ об утверждении наставнических пар/групп"),
    }
    serializer_class = OrderSerializer
    input_serializers = {"issue": OrderRequestSerializer}
    action_roles = {"issue": access.PAIR_ORDER}

    @extend_schema(
        request=OrderRequestSerializer, responses={201: OrderSerializer, 202: OrderSerializer}
    )
    def issue(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        document = pair_order_issue(
            actor=request.user,
            organization=self.tenant.organization,
            pair_ids=data["pair_ids"],
            date=data["date"],
            number=data["number"],
        )
        document.refresh_from_db()
        if document.status == DocumentStatus.FAILED:
            raise ValidationError({"non_field_errors": [document.error]})
        code = status.HTTP_201_CREATED if document.is_ready else status.HTTP_202_ACCEPTED
        return Response(OrderSerializer(order_data(document)).data, status=code)
