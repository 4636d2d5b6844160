"""Pages of an organisation's documents: list, request, status (htmx), download (audited).

Roles come from the kind: who may request it (its `roles`) and who may open and download
it (those plus the education department). A document of another organisation is never
found: the tenant scope filters it out before any role is checked.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mentorship import access
from mentorship.documents import kinds
from mentorship.documents.forms import DocumentRequestForm
from mentorship.documents.services import (
    FORMATS,
    PDF,
    PENDING_GRACE,
    WORD,
    DocumentNotReady,
    document_download,
    document_regenerate,
    document_request,
    unscoped_requeue_stuck,
)
from mentorship.models import Document
from mentorship.query import page_of
from mentorship.tenancy.access import get_in_tenant_or_404, require_roles, tenant_view

PAGE_SIZE = 50


def _kind_of(document: Document) -> kinds.DocumentKind:
    try:
        return kinds.get(document.kind)
    except kinds.UnknownDocumentKind:
        # A kind removed from the code: its rows stay, but nobody can act on them.
        raise Http404(_("Такой вид документа больше не поддерживается.")) from None


def _readable_document(
    request: HttpRequest, document_id: int
) -> tuple[Document, kinds.DocumentKind]:
    document = get_in_tenant_or_404(Document.objects.select_related("created_by"), pk=document_id)
    kind = _kind_of(document)
    require_roles(request, *kind.reader_roles)
    return document, kind


def _list_page(request: HttpRequest, form: DocumentRequestForm | None, status: int = 200):
    tenant = request.tenant
    listed = {k.code: k for k in kinds.all_kinds() if kinds.may_see_listed(k, tenant.roles)}
    documents = Document.objects.filter(kind__in=listed).select_related("created_by")
    page = page_of(Paginator(documents, PAGE_SIZE), request.GET)
    for document in page:
        kind = listed[document.kind]
        document.kind_label = kind.label
        # A personal-data document of a school, seen from above: a row without a link.
        document.openable = kinds.may_read(kind, tenant.roles)
        document.summary = kind.summary_of(document)
    requestable = kinds.kinds_for(tenant.roles, tenant.organization.kind)
    if form is None and requestable:
        form = DocumentRequestForm(kinds=requestable)
    context = {"page": page, "form": form if requestable else None}
    return render(request, "documents/ui/list.html", context, status=status)


@require_GET
@tenant_view(access.DOCUMENTS)
def document_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _list_page(request, None)


@require_POST
@tenant_view(access.DOCUMENTS)
def document_request_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    organization = tenant.organization
    # Validate against every kind of this organisation, then check the role: a kind the
    # user may not request is a 403, not a "bad choice".
    available = [k for k in kinds.all_kinds() if k.available_in(organization.kind)]
    form = DocumentRequestForm(request.POST, kinds=available)
    if not form.is_valid():
        # Shown again with the errors: offer only what this user may request.
        requestable = kinds.kinds_for(tenant.roles, organization.kind)
        form.fields["kind"].choices = [(k.code, k.label) for k in requestable]
        return _list_page(request, form, status=400)
    kind = kinds.get(form.cleaned_data["kind"])
    require_roles(request, *kind.issuer_roles(organization.kind))
    try:
        document = document_request(
            actor=request.user,
            organization=organization,
            kind=kind.code,
            params={},
            number=form.cleaned_data["number"] or None,
            date=form.cleaned_data["date"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _list_page(request, form, status=400)
    messages.success(request, _("Документ поставлен в очередь на формирование."))
    return redirect("document_detail", org_slug=organization.slug, document_id=document.pk)


@require_GET
@tenant_view(access.DOCUMENTS)
def document_detail(request: HttpRequest, org_slug: str, document_id: int) -> HttpResponse:
    document, kind = _readable_document(request, document_id)
    context = {
        "document": document,
        "kind": kind,
        "can_regenerate": request.tenant.has_any(*kind.issuer_roles(document.organization.kind)),
    }
    return render(request, "documents/ui/detail.html", context)


@require_GET
@never_cache
@tenant_view(access.DOCUMENTS)
def document_status(request: HttpRequest, org_slug: str, document_id: int) -> HttpResponse:
    """The fragment the detail page polls with htmx while the document is being made.

    A render whose worker died is queued again from here too, without waiting for the
    sweep: the person watching the page is the one who needs it."""
    document, _kind = _readable_document(request, document_id)
    if document.is_stuck(timezone.now(), PENDING_GRACE):
        unscoped_requeue_stuck(document_id=document.pk)
        document.refresh_from_db()
    return render(request, "documents/ui/_status.html", {"document": document})


@require_POST
@tenant_view(access.DOCUMENTS)
def document_regenerate_view(request: HttpRequest, org_slug: str, document_id: int) -> HttpResponse:
    document, kind = _readable_document(request, document_id)
    require_roles(request, *kind.issuer_roles(request.tenant.organization.kind))
    document_regenerate(actor=request.user, document=document)
    messages.success(request, _("Документ поставлен в очередь на повторное формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)


@require_GET
@never_cache
@tenant_view(access.DOCUMENTS)
def document_download_view(request: HttpRequest, org_slug: str, document_id: int):
    """The PDF, or with `?format=docx` the editable Word file of the same text."""
    document, kind = _readable_document(request, document_id)
    file_format = request.GET.get("format", PDF)
    if file_format not in FORMATS:
        raise Http404(_("Такого формата документа нет."))
    try:
        handle = document_download(actor=request.user, document=document, file_format=file_format)
    except DocumentNotReady:
        raise Http404(_("Файл документа ещё не готов.")) from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition(
        download_filename(document, kind, extension=file_format)
    )
    return response


CONTENT_TYPES = {
    PDF: "application/pdf",
    WORD: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download_filename(document: Document, kind: kinds.DocumentKind, extension: str = PDF) -> str:
    """«Список сотрудников с доступом к порталу № 12 от 01.09.2025.pdf» (or `.docx`)."""
    name = str(kind.label)
    if document.number:
        name += f" № {document.number}"
    name += f" от {document.date:%d.%m.%Y}"
    # Characters that file systems or browsers refuse in a file name.
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip()
    return f"{name}.{extension}"


def content_disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback for old clients, the real name as RFC 5987 UTF-8.
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename.encode("ascii", "ignore").decode())
    extension = filename.rsplit(".", 1)[-1] if "." in filename else PDF
    fallback = fallback.strip("_.") or "document"
    if not fallback.endswith(f".{extension}"):
        fallback += f".{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
