"""Registry import and export pages: upload → preview (nothing written) → import.

The uploaded file waits between the preview and the import (registry/services/
import_files.py); the import re-reads it and checks everything again.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.importing import UploadForm
from registry.services import exporting
from registry.services.import_files import PendingImport
from registry.services.importing import (
    ERROR,
    RegistryFileError,
    read_table,
    registry_import,
)
from registry.services.resources import COLUMNS

# A preview of 10,000 rows is not read row by row: beyond this, errors only.
FULL_TABLE_LIMIT = 500


# --- Pages ------------------------------------------------------------------------------


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporting.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_page(request: HttpRequest, form: UploadForm, error: str = "") -> HttpResponse:
    context = {"form": form, "error": error, "columns": COLUMNS}
    status = 400 if error or form.errors else 200
    return render(request, "registry/import/upload.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(access.IMPORT)
def upload(request: HttpRequest, org_slug: str) -> HttpResponse:
    if request.method == "GET":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload_file = form.cleaned_data["file"]
    data = upload_file.read()
    try:
        table = read_table(data, os.path.basename(upload_file.name or "")[:200])
    except RegistryFileError as exc:
        return _upload_page(request, form, exc.message)
    report = registry_import(
        actor=request.user, organization=request.tenant.organization, table=table, dry_run=True
    )
    pending = PendingImport.create(
        user=request.user, organization=request.tenant.organization, data=data, report=report
    )
    return redirect("registry:import_preview", org_slug=org_slug, token=pending.token)


def _preview_page(request: HttpRequest, pending: PendingImport, status: int = 200):
    report = pending.report
    rows = report.rows
    errors_only = len(rows) > FULL_TABLE_LIMIT
    if errors_only:
        rows = [r for r in rows if r.status == ERROR][:FULL_TABLE_LIMIT]
    context = {
        "report": report,
        "counts": report.counts,
        "rows": rows,
        "errors_only": errors_only,
        "token": pending.token,
    }
    return render(request, "registry/import/preview.html", context, status=status)


def _after_import_url(org_slug: str) -> str:
    return reverse("registry:participant_list", kwargs={"org_slug": org_slug})


@require_http_methods(["GET", "POST"])
@tenant_view(access.IMPORT)
def preview(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    pending = PendingImport.load(
        user=request.user, organization=request.tenant.organization, token=token
    )
    if request.method == "GET":
        return _preview_page(request, pending)
    if not pending.report.ok:
        return _preview_page(request, pending, status=400)
    if not pending.claim():
        raise Http404
    try:
        report = registry_import(
            actor=request.user,
            organization=request.tenant.organization,
            table=pending.table(),
        )
    except Exception:
        pending.release()
        raise
    if not report.committed:
        # Something changed since the preview: show what, keep the file for another try.
        pending.release()
        pending.save_report(report)
        messages.error(request, _("Ничего не записано: при повторной проверке нашлись ошибки."))
        return _preview_page(request, pending, status=400)
    pending.delete()
    counts = report.counts
    messages.success(
        request,
        _("Реестр загружен из файла «%(file)s»: добавлено %(new)s, обновлено %(matched)s.")
        % {"file": report.filename, "new": counts["new"], "matched": counts["matched"]},
    )
    return redirect(_after_import_url(org_slug))


@require_GET
@tenant_view(access.IMPORT)
def failed_rows(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    pending = PendingImport.load(
        user=request.user, organization=request.tenant.organization, token=token
    )
    content = exporting.failed_rows_workbook(pending.table(), pending.report)
    return _xlsx(content, "registry-errors.xlsx")


@require_GET
@tenant_view(access.IMPORT)
def template(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _xlsx(exporting.template_workbook(), "registry-template.xlsx")


@require_GET
@tenant_view(access.EXPORT)
def export(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = request.tenant.organization
    content = exporting.registry_export(actor=request.user, organization=organization)
    return _xlsx(content, f"registry-{organization.slug}.xlsx")
