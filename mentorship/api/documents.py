"""The documents API: /api/v1/o/<slug>/documents/ — list, request, status, download.

The same rules as the documents pages (mentorship/documents/views.py): the list opens to
`access.DOCUMENTS`, each document then by its kind — readers open it (403 otherwise),
issuers at this level request it; a school's personal-data document seen from above is
listed without a file. The same services write and read (`document_request`,
`document_download`), so a request here is numbered, audited and rendered as from the
web, and `?format=docx` gives the editable Word file of the kinds that have one.

Unlike the web form, the API takes the kind's parameters (the chosen mentors of a
reward order, the partner of a letter, the course of certificates), for the structured
kinds only: a kind with a hook of its own (the order on pairs approves its pairs) is
issued through its own endpoint, never with parameters sent here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship import access
from mentorship.documents import kinds
from mentorship.documents.services import (
    FORMATS,
    PDF,
    DocumentNotReady,
    document_download,
    document_request,
)
from mentorship.documents.views import CONTENT_TYPES, content_disposition, download_filename
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.access import require_roles

from .base import TenantViewSet
from .serializers import DocumentRequestSerializer, DocumentSerializer

__all__ = ["DocumentViewSet"]


def document_data(document: Document, kind: kinds.DocumentKind, roles) -> dict[str, Any]:
    openable = kinds.may_read(kind, roles)
    args = {"org_slug": document.organization.slug, "document_id": document.pk}
    download = reverse("core_api:document_download", kwargs=args)
    ready = openable and document.is_ready
    return {
        "pk": document.pk,
        "kind": document.kind,
        "kind_label": str(kind.label),
        "title": document.title,
        "number": document.number,
        "date": document.date,
        "status": document.status,
        "error": document.error if openable else "",
        "summary": kind.summary_of(document),
        "openable": openable,
        "download_url": download if ready else None,
        "word_download_url": f"{download}?format=docx" if ready and document.has_word else None,
    }


class DocumentViewSet(TenantViewSet):
    lookup_url_kwarg = "document_id"
    schema_tags = ["documents"]
    action_summaries = {
        "list": gettext_lazy("Документы организации"),
        "create": gettext_lazy("Сформировать документ (приказ, положение, письмо …)"),
        "retrieve": gettext_lazy("Документ: состояние и ссылки на файлы"),
        "download": gettext_lazy("Файл документа: PDF или Word (?format=docx)"),
    }
    serializer_class = DocumentSerializer
    input_serializers = {"create": DocumentRequestSerializer}
    action_roles = {
        "list": access.DOCUMENTS,
        "create": access.DOCUMENTS,
        "retrieve": access.DOCUMENTS,
        "download": access.DOCUMENTS,
    }

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # `?format=docx` names the file's format here, as on the web page; DRF would read
        # it as its renderer override and answer 404 for a renderer it does not know.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )

    def get_queryset(self) -> QuerySet[Document]:
        if self.is_schema_view:
            return Document.objects.none()
        return Document.objects.select_related("organization")

    def _kind(self, document: Document) -> kinds.DocumentKind:
        try:
            return kinds.get(document.kind)
        except kinds.UnknownDocumentKind:
            raise Http404(_("Такой вид документа больше не поддерживается.")) from None

    def _readable(self) -> tuple[Document, kinds.DocumentKind]:
        document = self.get_object()
        kind = self._kind(document)
        require_roles(self.request._request, *kind.reader_roles)
        return document, kind

    def list(self, request: Request, org_slug: str) -> Response:
        roles = self.tenant.roles
        listed = {k.code: k for k in kinds.all_kinds() if kinds.may_see_listed(k, roles)}
        page = self.paginate_queryset(self.get_queryset().filter(kind__in=listed))
        rows = page if page is not None else self.get_queryset().filter(kind__in=listed)
        data = [DocumentSerializer(document_data(d, listed[d.kind], roles)).data for d in rows]
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    @extend_schema(
        request=DocumentRequestSerializer,
        responses={201: DocumentSerializer, 202: DocumentSerializer},
    )
    def create(self, request: Request, org_slug: str) -> Response:
        organization = self.tenant.organization
        data = self.valid_input(request)
        kind = kinds.get(data["kind"])
        issuers = kind.issuer_roles(organization.kind)
        if not self.tenant.has_any(*issuers):
            raise PermissionDenied(_("Этот документ формирует другая роль."))
        params = data.get("params") or {}
        if params and not kind.has_word:
            raise ValidationError(
                {"params": [_("Параметры принимают только приказы, положения и письма.")]}
            )
        document = document_request(
            actor=request.user,
            organization=organization,
            kind=kind.code,
            params=params,
            number=data.get("number", "").strip() or None,
            date=data.get("date"),
        )
        document.refresh_from_db()
        if document.status == DocumentStatus.FAILED:
            raise ValidationError({"non_field_errors": [document.error]})
        code = status.HTTP_201_CREATED if document.is_ready else status.HTTP_202_ACCEPTED
        return Response(
            DocumentSerializer(document_data(document, kind, self.tenant.roles)).data, status=code
        )

    def retrieve(self, request: Request, org_slug: str, document_id: int) -> Response:
        document, kind = self._readable()
        return Response(DocumentSerializer(document_data(document, kind, self.tenant.roles)).data)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=[*FORMATS], description="pdf или docx")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def download(self, request: Request, org_slug: str, document_id: int) -> FileResponse:
        document, kind = self._readable()
        file_format = request.query_params.get("format", PDF)
        if file_format not in FORMATS:
            raise Http404(_("Такого формата документа нет."))
        try:
            handle = document_download(
                actor=request.user, document=document, file_format=file_format
            )
        except DocumentNotReady:
            raise Http404(_("Файл документа ещё не готов.")) from None
        response = FileResponse(handle, content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = content_disposition(
            download_filename(document, kind, extension=file_format)
        )
        return response
