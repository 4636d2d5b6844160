"""Registry import and export pages: upload → preview (nothing written) → import.

The uploaded file waits between the preview and the import (registry/services/
import_files.py); the import re-reads it and checks everything again.
"""

from __future__ import annotations

import os

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.models import EDUCATIONAL_KINDS, Role
from mentorship.tenancy.access import tenant_view
from mentorship.uploads import MAX_UPLOAD_SIZE
from registry.resources import COLUMNS
from registry.services import exporting
from registry.services.import_files import PendingImport
from registry.services.importing import (
    ERROR,
    RegistryFileError,
    read_table,
    registry_import,
)

SCHOOL = tuple(EDUCATIONAL_KINDS)
# A preview of 10,000 rows is not read row by row: beyond this, errors only.
FULL_TABLE_LIMIT = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл со списком"),
        help_text=gettext_lazy("Таблица Excel (.xlsx) или CSV, до 10 МБ."),
        widget=forms.ClearableFileInput({"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse before reading a huge upload into memory; the reader checks again.
        if upload.size > MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("Файл больше 10 МБ: разделите список на части и загрузите их по очереди.")
            )
        return upload


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
@tenant_view(Role.CURATOR, kinds=SCHOOL)
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
    return redirect("registry_import_preview", org_slug=org_slug, token=pending.token)


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
    # The registry list belongs to the registry pages: without it, come back here.
    try:
        return reverse("participant_list", kwargs={"org_slug": org_slug})
    except NoReverseMatch:
        return reverse("registry_import", kwargs={"org_slug": org_slug})


@require_http_methods(["GET", "POST"])
@tenant_view(Role.CURATOR, kinds=SCHOOL)
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
@tenant_view(Role.CURATOR, kinds=SCHOOL)
def failed_rows(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    pending = PendingImport.load(
        user=request.user, organization=request.tenant.organization, token=token
    )
    content = exporting.failed_rows_workbook(pending.table(), pending.report)
    return _xlsx(content, "registry-errors.xlsx")


@require_GET
@tenant_view(Role.CURATOR, kinds=SCHOOL)
def template(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _xlsx(exporting.template_workbook(), "registry-template.xlsx")


@require_GET
@tenant_view(Role.CURATOR, kinds=SCHOOL)
def export(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = request.tenant.organization
    content = exporting.registry_export(actor=request.user, organization=organization)
    return _xlsx(content, f"registry-{organization.slug}.xlsx")
