"""Registry import and export pages: upload → preview (nothing written) → import.

The uploaded file waits under var/registry-imports/<token> (mode 0600), bound to the
user and the organisation, for an hour; it never enters the database. The preview's
report waits beside it, and the import re-reads the file and checks everything again:
the registry may have changed meanwhile.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.files import MAX_UPLOAD_SIZE
from mentorship.models import EDUCATIONAL_KINDS, Role
from mentorship.tenancy.access import tenant_view
from registry import exporting
from registry.importing import (
    ERROR,
    ImportReport,
    RegistryFileError,
    Table,
    read_table,
    registry_import,
)
from registry.resources import COLUMNS

SCHOOL = tuple(EDUCATIONAL_KINDS)
TTL_SECONDS = 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
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


# --- The waiting file ------------------------------------------------------------------


class PendingImport:
    """An uploaded file and its preview report, waiting for «Импортировать»."""

    def __init__(self, token: str):
        default = settings.VAR_DIR / "registry-imports"
        directory = Path(getattr(settings, "REGISTRY_IMPORT_DIR", default))
        self.token = token
        self.data_path = directory / token
        self.meta_path = directory / f"{token}.json"

    @classmethod
    def create(cls, request: HttpRequest, data: bytes, report: ImportReport) -> PendingImport:
        pending = cls(secrets.token_urlsafe(24))
        directory = pending.data_path.parent
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _sweep(directory)
        meta = {
            "user": request.user.pk,
            "organization": request.tenant.organization.pk,
            "created": time.time(),
            "report": report.as_dict(),
        }
        # Only the portal's own user may read them: pupils' personal data are inside.
        _write_private(pending.data_path, data)
        _write_private(pending.meta_path, json.dumps(meta, ensure_ascii=False).encode())
        return pending

    @classmethod
    def load(cls, request: HttpRequest, token: str) -> PendingImport:
        """The user's own upload in this organisation; 404 if unknown, expired or foreign."""
        if not TOKEN_RE.match(token):
            raise Http404
        pending = cls(token)
        try:
            meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise Http404 from None
        if meta.get("created", 0) < time.time() - TTL_SECONDS:
            pending.delete()
            raise Http404
        if (meta.get("user"), meta.get("organization")) != (
            request.user.pk,
            request.tenant.organization.pk,
        ):
            raise Http404
        pending.meta = meta
        return pending

    @property
    def report(self) -> ImportReport:
        return ImportReport.from_dict(self.meta["report"])

    def save_report(self, report: ImportReport) -> None:
        self.meta["report"] = report.as_dict()
        self.meta_path.write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")

    def table(self) -> Table:
        return read_table(self.data_path.read_bytes(), self.report.filename)

    def claim(self) -> bool:
        """Take the upload for importing; False if another request already did (double click)."""
        try:
            os.rename(self.meta_path, self.meta_path.with_suffix(".importing"))
        except FileNotFoundError:
            return False
        self.meta_path = self.meta_path.with_suffix(".importing")
        return True

    def release(self) -> None:
        os.rename(self.meta_path, self.meta_path.with_suffix(".json"))
        self.meta_path = self.meta_path.with_suffix(".json")

    def delete(self) -> None:
        self.data_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _sweep(directory: Path) -> None:
    """Drop uploads nobody imported within the hour (and leftovers of crashed imports)."""
    cutoff = time.time() - TTL_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass


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
    pending = PendingImport.create(request, data, report)
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
    pending = PendingImport.load(request, token)
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
    pending = PendingImport.load(request, token)
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
