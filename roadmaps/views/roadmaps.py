"""Roadmap pages: list and create, the roadmap with its table, approval, a new draft,
the cascade into schools, the methodist's progress matrix and the roadmap's PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.query import query_choice, query_flag
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from roadmaps import access, selectors
from roadmaps.forms.roadmaps import ApproveForm, RoadmapCreateForm, RoadmapEditForm
from roadmaps.models import Roadmap, RoadmapStatus
from roadmaps.services import authoring, cascade
from roadmaps.views.exports import matrix_workbook_response


def _roadmap(roadmap_id: int) -> Roadmap:
    return get_in_tenant_or_404(Roadmap, pk=roadmap_id)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _to_roadmap(org_slug: str, roadmap: Roadmap) -> HttpResponse:
    return redirect("roadmaps:roadmap_detail", org_slug=org_slug, roadmap_id=roadmap.pk)


@require_http_methods(["GET", "POST"])
@tenant_view(access.READ, write=access.WRITE)
def roadmap_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    roadmaps = Roadmap.objects.all()
    form = RoadmapCreateForm(request.POST or None, roadmaps=roadmaps)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["start_from"] == form.START_COPY:
                roadmap = authoring.roadmap_copy(
                    actor=request.user,
                    source=data["copy_of"],
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
            else:
                roadmap = authoring.roadmap_create(
                    actor=request.user,
                    organization=request.tenant.organization,
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    from_standard=data["start_from"] == form.START_STANDARD,
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Дорожная карта создана."))
            return _to_roadmap(org_slug, roadmap)
    # «?status=draft»: the home page's «ждут утверждения» links here; an unknown value
    # is a 400 (mentorship/query.py).
    status = query_choice(request.GET, "status", RoadmapStatus.values)
    listed = roadmaps.select_related("origin__organization")
    if status:
        listed = listed.filter(status=status)
    context = {
        "roadmaps": listed,
        "status": status,
        "status_choices": RoadmapStatus.choices,
        "form": form,
        "can_create": access.WRITE.permits(request.tenant),
    }
    return render(request, "roadmaps/roadmap_list.html", context)


@require_GET
@tenant_view(access.READ)
def roadmap_detail(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    tenant = request.tenant
    context = {
        "roadmap": roadmap,
        "sections": selectors.roadmap_with_content(roadmap),
        "can_edit": roadmap.is_editable and access.EDIT.permits(tenant),
        "can_approve": roadmap.status == RoadmapStatus.DRAFT and access.APPROVE.permits(tenant),
        "can_new_draft": roadmap.status == RoadmapStatus.APPROVED and access.WRITE.permits(tenant),
        "can_cascade": roadmap.status != RoadmapStatus.ARCHIVED and access.CASCADE.permits(tenant),
        # A municipality's roadmap cascades into its schools, a region's into its
        # municipalities: the same buttons, worded for the level below.
        "is_municipal": not tenant.is_school,
        "can_print": access.PRINT.permits(tenant),
        "edit_form": RoadmapEditForm(instance=roadmap),
        "approve_form": ApproveForm(),
        "unclear_count": roadmap.activities.filter(deadline_unclear=True).count(),
        "copies_count": 0 if tenant.is_school else selectors.unscoped_school_copy_count(roadmap),
    }
    return render(request, "roadmaps/roadmap_detail.html", context)


@require_POST
@tenant_view(access.WRITE)
def roadmap_edit(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    form = RoadmapEditForm(request.POST, instance=Roadmap.objects.get(pk=roadmap.pk))
    if form.is_valid():
        try:
            authoring.roadmap_update(actor=request.user, roadmap=roadmap, **form.cleaned_data)
            messages.success(request, _("Сохранено. Сроки пересчитаны для нового периода."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, _("Проверьте наименование и даты периода."))
    return _to_roadmap(org_slug, roadmap)


@require_POST
@tenant_view(access.APPROVE)
def roadmap_approve(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Укажите номер и дату приказа об утверждении."))
    else:
        try:
            authoring.roadmap_approve(actor=request.user, roadmap=roadmap, **form.cleaned_data)
            messages.success(
                request,
                _("Дорожная карта утверждена приказом № %(n)s.") % {"n": roadmap.order_number},
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return _to_roadmap(org_slug, roadmap)


@require_POST
@tenant_view(access.WRITE)
def roadmap_new_draft(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    try:
        draft = authoring.roadmap_new_draft(actor=request.user, roadmap=roadmap)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _to_roadmap(org_slug, roadmap)
    messages.success(request, _("Создана новая редакция (версия %(v)s).") % {"v": draft.version})
    return _to_roadmap(org_slug, draft)


@require_POST
@tenant_view(access.CASCADE)
def roadmap_cascade(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    created = cascade.roadmap_cascade(actor=request.user, roadmap=roadmap)
    if request.tenant.is_region:
        text = _(
            "Обязанности муниципалитетов переданы: создано %(n)s мероприятий в планах "
            "муниципалитетов."
        )
    else:
        text = _("Обязанности ОО переданы в школы: создано %(n)s мероприятий в планах школ.")
    messages.success(request, text % {"n": created})
    return redirect("roadmaps:roadmap_matrix", org_slug=org_slug, roadmap_id=roadmap.pk)


@require_GET
@tenant_view(access.MATRIX)
def roadmap_matrix(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    only_overdue = query_flag(request.GET, "overdue")
    as_xlsx = query_choice(request.GET, "format", ["html", "xlsx"], default="html") == "xlsx"
    # The region's rows open each municipality's own copy of this roadmap.
    matrix = selectors.unscoped_progress_matrix(
        roadmap, only_overdue=only_overdue, with_copies=request.tenant.is_region and not as_xlsx
    )
    if as_xlsx:
        return matrix_workbook_response(roadmap, matrix)
    context = {
        "roadmap": roadmap,
        "matrix": matrix,
        "only_overdue": only_overdue,
        "roadmap_is_regional": request.tenant.is_region,
    }
    return render(request, "roadmaps/matrix.html", context)


@require_POST
@tenant_view(access.PRINT)
def roadmap_pdf(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    """Render the roadmap through the document pipeline and show its status page."""
    from mentorship.documents.services import document_request
    from roadmaps.documents.roadmap import KIND, document_key

    roadmap = _roadmap(roadmap_id)
    document = document_request(
        actor=request.user,
        organization=request.tenant.organization,
        kind=KIND,
        params={"roadmap_id": roadmap.pk},
        number=document_key(roadmap),
        title=roadmap.title[:300],
    )
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
