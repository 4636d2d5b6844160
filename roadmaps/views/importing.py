"""Import a roadmap from .docx/.xlsx: upload → preview (nothing written) → save.

The parsed preview waits as <token>.json with the other pending uploads
(mentorship.stored_files.PendingFiles: var/imports/ locally, or the media bucket), bound
to the user and the organisation and valid for an hour; the database sees nothing until
«Сохранить».
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.query import valid_query
from mentorship.stored_files import PendingFiles
from mentorship.tenancy.access import tenant_view
from roadmaps import access
from roadmaps.forms.importing import PeriodForm, SaveForm, UploadForm
from roadmaps.importing import RoadmapFileError
from roadmaps.selectors import matching_roadmaps
from roadmaps.services.importing import (
    DUPLICATE,
    deadline_info,
    preview_import,
    preview_with_period,
    roadmap_import,
    school_year,
    walk,
)

PREVIEW_TTL_SECONDS = 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SHOWN_DUE_DATES = 6


# --- The waiting preview -------------------------------------------------------------


def _previews() -> PendingFiles:
    directory = Path(getattr(settings, "ROADMAP_IMPORT_DIR", settings.VAR_DIR / "imports"))
    return PendingFiles("roadmap-imports", local_dir=directory, ttl=PREVIEW_TTL_SECONDS)


def _store(request: HttpRequest, preview: dict, title: str) -> str:
    previews = _previews()
    previews.sweep()
    token = secrets.token_urlsafe(24)
    payload = {
        "user": request.user.pk,
        "organization": request.tenant.organization.pk,
        "created": time.time(),
        "title": title,
        "preview": preview,
    }
    # Only the portal may read it: responsible people's names are inside.
    previews.write(_name(token), json.dumps(payload, ensure_ascii=False).encode())
    return token


def _name(token: str) -> str:
    return f"{token}.json"


def _load(request: HttpRequest, token: str) -> dict | None:
    """The user's own preview in this organisation, or None (unknown, expired or foreign)."""
    if not TOKEN_RE.match(token):
        return None
    previews = _previews()
    raw = previews.read(_name(token))
    try:
        payload = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    if payload.get("created", 0) < time.time() - PREVIEW_TTL_SECONDS:
        previews.delete(_name(token))
        return None
    owner = (payload.get("user"), payload.get("organization"))
    if owner != (request.user.pk, request.tenant.organization.pk):
        return None
    return payload


# --- Pages ---------------------------------------------------------------------------


def _upload_page(request: HttpRequest, form: UploadForm, error: str = "", status: int = 200):
    context = {"form": form, "error": error}
    return render(request, "roadmaps/import/upload.html", context, status=status)


def _lost_preview(request: HttpRequest) -> HttpResponse:
    # 404 like any other object of nobody's: a stranger's token and a stale one look alike.
    message = _(
        "Предпросмотр не найден: он устарел (хранится один час), уже сохранён или "
        "принадлежит другому пользователю. Загрузите файл ещё раз."
    )
    return _upload_page(request, UploadForm(), message, status=404)


@require_http_methods(["GET", "POST"])
@tenant_view(access.IMPORT)
def upload(request: HttpRequest, org_slug: str) -> HttpResponse:
    if request.method == "GET":
        # No period filled in: a pre-filled school year used to hide a roadmap's own
        # years (every deadline "outside the period"); the document's is used instead.
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload_file = form.cleaned_data["file"]
    try:
        preview = preview_import(
            upload_file.read(),
            upload_file.name,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    except RoadmapFileError as exc:
        return _upload_page(request, form, exc.message)
    token = _store(request, dict(preview), form.cleaned_data["title"])
    return redirect("roadmaps:roadmap_import_preview", org_slug=org_slug, token=token)


def _for_display(preview: dict, typed: dict[str, str]) -> list[dict]:
    """Sections with dates as date objects and the user's typed corrections, for the table."""
    sections = json.loads(json.dumps(preview["sections"]))  # a copy: the stored one stays
    for section in sections:
        for a in walk(section["activities"]):
            _decorate(a)
            a["typed"] = typed.get(a["key"], a["deadline_text"])
    return sections


def _decorate(info: dict) -> dict:
    dates = [date.fromisoformat(d) for d in info["due_dates"]]
    info["shown_dates"] = dates[:SHOWN_DUE_DATES]
    info["more_dates"] = max(len(dates) - SHOWN_DUE_DATES, 0)
    return info


def _typed_overrides(request: HttpRequest, preview: dict) -> dict[str, str]:
    """Corrected deadline texts from the form; an unchanged or emptied one is "as is"."""
    out: dict[str, str] = {}
    for section in preview["sections"]:
        for a in walk(section["activities"]):
            # Browsers send a textarea's line breaks as CRLF and may trim: only a change
            # of words counts as a correction.
            value = (request.POST.get(f"deadline-{a['key']}") or "").replace("\r\n", "\n").strip()
            if value and value.split() != a["deadline_text"].split():
                out[a["key"]] = value
    return out


def _period_shown(preview: dict) -> dict:
    """The period the deadlines were read against, and the document's own, as dates."""
    document = preview.get("document_period") or {}
    shown = {
        "start": date.fromisoformat(preview["period_start"]),
        "end": date.fromisoformat(preview["period_end"]),
        "source": preview.get("period_source", "form"),
        "text": document.get("text", ""),
    }
    if document:
        shown["document_start"] = date.fromisoformat(document["start"])
        shown["document_end"] = date.fromisoformat(document["end"])
    order = preview.get("order")
    if order:
        shown["order_number"] = order["number"]
        shown["order_date"] = date.fromisoformat(order["date"]) if order["date"] else None
    return shown


def _split_keys(request: HttpRequest, preview: dict) -> set[str]:
    """Activities whose cell's list the methodist asked to split into sub-items."""
    return {
        a["key"]
        for section in preview["sections"]
        for a in section["activities"]
        if a.get("split") and request.POST.get(f"split-{a['key']}")
    }


def _duplicates(request: HttpRequest, preview: dict, form: SaveForm) -> list:
    """The organisation's roadmaps that the one being saved would repeat."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    title = data["title"] if data else form.initial.get("title", "")
    start = data["period_start"] if data else date.fromisoformat(preview["period_start"])
    end = data["period_end"] if data else date.fromisoformat(preview["period_end"])
    return matching_roadmaps(
        request.tenant.organization,
        title=title.strip() or preview["title"],
        period_start=start,
        period_end=end,
        order_number=(preview.get("order") or {}).get("number", ""),
    )


def _recalculated(request: HttpRequest, token: str, payload: dict) -> dict:
    """The preview re-read for the period typed on the page (kept for the save)."""
    period = PeriodForm(request.POST)
    if not period.is_valid():
        return payload["preview"]
    payload["preview"] = preview_with_period(
        payload["preview"], period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    )
    _previews().replace(_name(token), json.dumps(payload, ensure_ascii=False).encode())
    return payload["preview"]


@require_http_methods(["GET", "POST"])
@tenant_view(access.IMPORT)
def preview(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    payload = _load(request, token)
    if payload is None:
        return _lost_preview(request)
    data = payload["preview"]
    overrides: dict[str, str] = {}
    split_keys: set[str] = set()
    if request.method == "POST":
        form = SaveForm(request.POST)
        overrides = _typed_overrides(request, data)
        split_keys = _split_keys(request, data)
        if "recalculate" in request.POST:
            data = _recalculated(request, token, payload)
        elif form.is_valid():
            saved = _save(request, token, data, form, overrides, split_keys)
            if saved is not None:
                return saved
    else:
        form = SaveForm(
            initial={
                "title": payload["title"] or data["title"],
                "period_start": data["period_start"],
                "period_end": data["period_end"],
            }
        )
    duplicates = _duplicates(request, data, form)
    if not duplicates and not form.has_error("confirm_duplicate"):
        del form.fields["confirm_duplicate"]
    context = {
        "form": form,
        "preview": data,
        "sections": _for_display(data, overrides),
        "split_keys": split_keys,
        "duplicates": duplicates,
        "period": _period_shown(data),
    }
    return render(request, "roadmaps/import/preview.html", context)


def _save(
    request: HttpRequest,
    token: str,
    data: dict,
    form: SaveForm,
    overrides: dict[str, str],
    split_keys: set[str],
) -> HttpResponse | None:
    """Write the roadmap and redirect to it; None (with the form's errors) if refused."""
    cleaned = form.cleaned_data
    previews = _previews()
    # Claim the preview first: a double click must not create two roadmaps.
    if not previews.claim(token):
        return _lost_preview(request)
    if previews.read(_name(token)) is None:  # saved by the request before
        previews.release(token)
        return _lost_preview(request)
    try:
        roadmap = roadmap_import(
            actor=request.user,
            organization=request.tenant.organization,
            preview=data,
            title=cleaned["title"],
            period_start=cleaned["period_start"],
            period_end=cleaned["period_end"],
            deadline_overrides=overrides,
            split_keys=split_keys,
            confirm_duplicate=cleaned.get("confirm_duplicate", False),
        )
    except ValidationError as exc:
        previews.release(token)  # keep the preview for another try
        duplicate = getattr(exc, "code", None) == DUPLICATE
        form.add_error("confirm_duplicate" if duplicate else None, exc)
        return None
    except Exception:
        previews.release(token)
        raise
    previews.delete(_name(token))
    previews.release(token)
    messages.success(
        request,
        _("Дорожная карта «%(title)s» загружена: разделов %(s)s, мероприятий %(a)s.")
        % {
            "title": roadmap.title,
            "s": roadmap.sections.count(),
            "a": roadmap.activities.count(),
        },
    )
    return redirect(
        "roadmaps:roadmap_detail", org_slug=request.tenant.organization.slug, roadmap_id=roadmap.pk
    )


@require_GET
@tenant_view(access.IMPORT)
def deadline_meaning(request: HttpRequest, org_slug: str) -> HttpResponse:
    """htmx: re-read one corrected deadline and show its meaning (the preview's cell)."""
    key = request.GET.get("key", "")
    text = request.GET.get(f"deadline-{key}", request.GET.get("text", ""))
    start, end = school_year()
    if request.GET.get("period_start") or request.GET.get("period_end"):
        # The preview's period, as typed; a date that does not read is a 400.
        period = valid_query(PeriodForm(request.GET))
        start, end = period["period_start"], period["period_end"]
    info = _decorate(dict(deadline_info(text, start, end)))
    return render(request, "roadmaps/import/_meaning.html", {"a": info})
