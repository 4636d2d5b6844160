"""Inline (htmx) editing of a draft roadmap's table: sections and activities.

Structural changes (add, delete, move) answer with the whole table; editing one
activity answers with its row. Without htmx the same endpoints redirect to the page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from roadmaps import access, selectors
from roadmaps.forms.editing import ActivityForm, SectionForm
from roadmaps.models import Activity, Roadmap, Section
from roadmaps.services import authoring


def ensure_editable(roadmap: Roadmap) -> None:
    """The role is checked by the rule; an approved roadmap is frozen for everyone."""
    if not roadmap.is_editable:
        raise PermissionDenied(_("Утверждённая дорожная карта не редактируется."))


def _table(request: HttpRequest, roadmap: Roadmap, errors: list[str] | None = None) -> HttpResponse:
    if not request.htmx:
        return redirect(
            "roadmaps:roadmap_detail",
            org_slug=request.tenant.organization.slug,
            roadmap_id=roadmap.pk,
        )
    context = {
        "roadmap": roadmap,
        "sections": selectors.roadmap_with_content(roadmap),
        "can_edit": True,
        "errors": errors or [],
    }
    return render(request, "roadmaps/_table.html", context)


@require_POST
@tenant_view(access.EDIT)
def section_add(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = get_in_tenant_or_404(Roadmap, pk=roadmap_id)
    ensure_editable(roadmap)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _table(request, roadmap, ["Укажите название раздела."])
    authoring.section_create(actor=request.user, roadmap=roadmap, **form.cleaned_data)
    return _table(request, roadmap)


@require_POST
@tenant_view(access.EDIT)
def section_action(request: HttpRequest, org_slug: str, section_id: int) -> HttpResponse:
    section = get_in_tenant_or_404(Section.objects.select_related("roadmap"), pk=section_id)
    roadmap = section.roadmap
    ensure_editable(roadmap)
    action = request.POST.get("action")
    if action == "delete":
        authoring.section_delete(actor=request.user, section=section)
    elif action in ("up", "down"):
        authoring.section_move(
            actor=request.user, section=section, offset=-1 if action == "up" else 1
        )
    elif action == "rename":
        form = SectionForm(request.POST)
        if form.is_valid():
            authoring.section_update(actor=request.user, section=section, **form.cleaned_data)
    elif action == "add_activity":
        title = request.POST.get("title", "")
        try:
            authoring.activity_create(actor=request.user, section=section, title=title)
        except ValidationError as error:
            return _table(request, roadmap, error.messages)
    return _table(request, roadmap)


@require_http_methods(["GET", "POST"])
@tenant_view(access.EDIT)
def activity_edit(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    activity = get_in_tenant_or_404(Activity.objects.select_related("roadmap"), pk=activity_id)
    ensure_editable(activity.roadmap)
    form = ActivityForm(
        request.POST or None,
        instance=Activity.objects.get(pk=activity.pk),
        organization=request.tenant.organization,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = authoring.activity_update(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                return redirect(
                    "roadmaps:roadmap_detail", org_slug=org_slug, roadmap_id=activity.roadmap_id
                )
            return render(
                request, "roadmaps/_activity_row.html", {"activity": activity, "can_edit": True}
            )
    template = "roadmaps/_activity_form.html" if request.htmx else "roadmaps/activity_edit.html"
    return render(request, template, {"activity": activity, "form": form})


@require_http_methods(["GET"])
@tenant_view(access.EDIT)
def activity_row(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    """The display row again, when the editor presses «Отмена»."""
    activity = get_in_tenant_or_404(Activity.objects.select_related("roadmap"), pk=activity_id)
    ensure_editable(activity.roadmap)
    return render(request, "roadmaps/_activity_row.html", {"activity": activity, "can_edit": True})


@require_POST
@tenant_view(access.EDIT)
def activity_action(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    activity = get_in_tenant_or_404(Activity.objects.select_related("roadmap"), pk=activity_id)
    roadmap = activity.roadmap
    ensure_editable(roadmap)
    action = request.POST.get("action")
    if action == "delete":
        authoring.activity_delete(actor=request.user, activity=activity)
    elif action in ("up", "down"):
        authoring.activity_move(
            actor=request.user, activity=activity, offset=-1 if action == "up" else 1
        )
    elif action == "add_child":
        title = request.POST.get("title", "")
        try:
            authoring.activity_create(
                actor=request.user, section=activity.section, parent=activity, title=title
            )
        except ValidationError as error:
            return _table(request, roadmap, error.messages)
    return _table(request, roadmap)
