"""The bulk start of a municipality (/o/<slug>/organizations/bulk/): upload the list of
schools with their curators, see each row checked, confirm — all or nothing.

Between the preview and the confirmation the parsed rows wait in the database
(mentorship.models.PendingUpload), bound to the person and the municipality, for an
hour; the file itself is not kept. The preview checks the rows afresh on every view,
and the confirmation checks them once more inside its transaction.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from mentorship import access
from mentorship.forms.organizations import BulkUploadForm
from mentorship.models import PendingUpload
from mentorship.services import bulk_start as service
from mentorship.services.invitations import InvitationThrottled
from mentorship.tenancy.access import tenant_view

__all__ = ["bulk_start_preview", "bulk_start_template", "bulk_start_upload"]

PURPOSE = "bulk_start"
TTL = timedelta(hours=1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_page(request: HttpRequest, form: BulkUploadForm, error: str = "") -> HttpResponse:
    context = {
        "organization": request.tenant.organization,
        "form": form,
        "error": error,
        "columns": service.COLUMNS,
    }
    status = 400 if error or form.errors else 200
    return render(request, "mentorship/organizations/bulk_upload.html", context, status=status)


@require_GET
@tenant_view(access.BULK_START)
def bulk_start_template(request: HttpRequest, org_slug: str) -> HttpResponse:
    response = HttpResponse(service.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bulk-start-schools.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@tenant_view(access.BULK_START)
def bulk_start_upload(request: HttpRequest, org_slug: str) -> HttpResponse:
    if request.method == "GET":
        return _upload_page(request, BulkUploadForm())
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        rows = service.read_rows(upload.read())
    except service.BulkFileError as exc:
        return _upload_page(request, form, exc.message)
    organization = request.tenant.organization
    service.pending_uploads_sweep(older_than=timezone.now() - TTL)
    pending = PendingUpload.objects.create(
        organization=organization,
        created_by=request.user,
        purpose=PURPOSE,
        token=secrets.token_urlsafe(24),
        filename=(upload.name or "")[:200],
        rows=rows,
    )
    return redirect("bulk_start_preview", org_slug=org_slug, token=pending.token)


def _pending(request: HttpRequest, token: str) -> PendingUpload:
    """The person's own preview in this municipality; anyone else's is not found."""
    pending = PendingUpload.objects.filter(
        token=token,
        purpose=PURPOSE,
        created_by=request.user,
        created_at__gte=timezone.now() - TTL,
    ).first()
    if pending is None:
        raise Http404(_("Список не найден: загрузите его ещё раз."))
    return pending


def _summary(rows: list[dict]) -> list[str]:
    # What the rows without errors would do; the rows with errors are counted apart.
    good = [r for r in rows if not r["errors"]]
    created = sum(1 for r in good if r["action"] == "create")
    matched = sum(1 for r in good if r["action"] == "match")
    invited = sum(1 for r in good if r["invite"])
    failed = len(rows) - len(good)
    lines = [
        ngettext(
            "%(n)s организация будет добавлена",
            "%(n)s организации будут добавлены",
            created,
        )
        % {"n": created}
    ]
    if matched:
        lines.append(
            ngettext(
                "%(n)s организация уже есть в портале",
                "%(n)s организации уже есть в портале",
                matched,
            )
            % {"n": matched}
        )
    lines.append(
        ngettext(
            "%(n)s приглашение куратору",
            "%(n)s приглашения кураторам",
            invited,
        )
        % {"n": invited}
    )
    if failed:
        lines.append(
            ngettext(
                "%(n)s строка с ошибками",
                "%(n)s строки с ошибками",
                failed,
            )
            % {"n": failed}
        )
    return lines


@require_http_methods(["GET", "POST"])
@tenant_view(access.BULK_START)
def bulk_start_preview(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    pending = _pending(request, token)
    municipality = request.tenant.organization
    status, problem = 200, ""
    if request.method == "POST":
        try:
            result = service.bulk_start_apply(
                actor=request.user, municipality=municipality, rows=pending.rows
            )
        except service.BulkStartRefused as refused:
            rows, status = refused.rows, 400
        except InvitationThrottled as exc:
            rows, status, problem = None, 429, " ".join(exc.messages)
        except ValidationError as exc:
            rows, status, problem = None, 400, " ".join(exc.messages)
        else:
            pending.delete()
            messages.success(request, _done_message(result))
            return redirect("organization_list", org_slug=org_slug)
    else:
        rows = None
    if rows is None:
        rows = service.bulk_start_check(
            actor=request.user, municipality=municipality, rows=pending.rows
        )
    context = {
        "organization": municipality,
        "pending": pending,
        "rows": rows,
        "summary": _summary(rows),
        "has_errors": any(r["errors"] for r in rows),
        "problem": problem,
    }
    return render(request, "mentorship/organizations/bulk_preview.html", context, status=status)


def _done_message(result: service.BulkStartResult) -> str:
    created = ngettext(
        "Добавлена %(n)s организация",
        "Добавлены %(n)s организации",
        result.created,
    ) % {"n": result.created}
    invited = ngettext(
        "отправлено %(n)s приглашение",
        "отправлено %(n)s приглашения",
        result.invited,
    ) % {"n": result.invited}
    return f"{created}, {invited}."
