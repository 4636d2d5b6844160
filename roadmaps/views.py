"""Roadmap pages: list and create, the roadmap table edited inline, approval, cascade,
the methodist's progress matrix and the curator's list of duties with progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.models import EDUCATIONAL_KINDS, OrganizationKind, Role
from mentorship.tenancy.access import get_in_tenant_or_404, require_roles, tenant_view
from roadmaps import selectors
from roadmaps.exports import matrix_workbook_response
from roadmaps.forms import ApproveForm, ProgressForm, RoadmapCreateForm, RoadmapEditForm
from roadmaps.models import Activity, Roadmap, RoadmapStatus
from roadmaps.services import authoring, cascade, progress

MUNICIPAL = (OrganizationKind.MUNICIPALITY,)
SCHOOLS = tuple(EDUCATIONAL_KINDS)
READERS = (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT)


def editor_role(request: HttpRequest) -> str:
    """Who writes the roadmaps of this organisation: its methodists or its curator."""
    return Role.METHODIST if request.tenant.is_municipality else Role.CURATOR


def approver_role(request: HttpRequest) -> str:
    # The education department approves municipal roadmaps; a school's own roadmap is
    # approved by its director's order, which the curator records.
    return Role.DEPARTMENT if request.tenant.is_municipality else Role.CURATOR


def can_edit(request: HttpRequest, roadmap: Roadmap) -> bool:
    return roadmap.is_editable and request.tenant.has_any(editor_role(request))


def _roadmap(roadmap_id: int) -> Roadmap:
    return get_in_tenant_or_404(Roadmap, pk=roadmap_id)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
@tenant_view(*READERS, kinds=MUNICIPAL + SCHOOLS)
def roadmap_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    roadmaps = Roadmap.objects.all()
    form = RoadmapCreateForm(request.POST or None, roadmaps=roadmaps)
    if request.method == "POST":
        require_roles(request, editor_role(request))
        if form.is_valid():
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
                form.add_error(None, error)
            else:
                messages.success(request, _("Дорожная карта создана."))
                return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=roadmap.pk)
    context = {
        "roadmaps": roadmaps.select_related("origin"),
        "form": form,
        "can_create": request.tenant.has_any(editor_role(request)),
    }
    return render(request, "roadmaps/roadmap_list.html", context)


@require_GET
@tenant_view(*READERS, kinds=MUNICIPAL + SCHOOLS)
def roadmap_detail(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    context = {
        "roadmap": roadmap,
        "sections": selectors.roadmap_with_content(roadmap),
        "can_edit": can_edit(request, roadmap),
        "can_approve": roadmap.status == RoadmapStatus.DRAFT
        and request.tenant.has_any(approver_role(request)),
        "can_new_draft": roadmap.status == RoadmapStatus.APPROVED
        and request.tenant.has_any(editor_role(request)),
        "can_cascade": request.tenant.is_municipality
        and request.tenant.has_any(Role.METHODIST)
        and roadmap.status != RoadmapStatus.ARCHIVED,
        "is_municipal": request.tenant.is_municipality,
        "can_print": request.tenant.has_any(Role.METHODIST, Role.CURATOR, Role.DEPARTMENT),
        "edit_form": RoadmapEditForm(instance=roadmap),
        "approve_form": ApproveForm(),
        "unclear_count": roadmap.activities.filter(deadline_unclear=True).count(),
        "copies_count": selectors.unscoped_school_copy_count(roadmap)
        if request.tenant.is_municipality
        else 0,
    }
    return render(request, "roadmaps/roadmap_detail.html", context)


@require_POST
@tenant_view(Role.METHODIST, Role.CURATOR, kinds=MUNICIPAL + SCHOOLS)
def roadmap_edit(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    require_roles(request, editor_role(request))
    form = RoadmapEditForm(request.POST, instance=Roadmap.objects.get(pk=roadmap.pk))
    if form.is_valid():
        try:
            authoring.roadmap_update(actor=request.user, roadmap=roadmap, **form.cleaned_data)
            messages.success(request, _("Сохранено. Сроки пересчитаны для нового периода."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, _("Проверьте наименование и даты периода."))
    return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=roadmap.pk)


@require_POST
@tenant_view(Role.DEPARTMENT, Role.CURATOR, kinds=MUNICIPAL + SCHOOLS)
def roadmap_approve(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    require_roles(request, approver_role(request))
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
    return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=roadmap.pk)


@require_POST
@tenant_view(Role.METHODIST, Role.CURATOR, kinds=MUNICIPAL + SCHOOLS)
def roadmap_new_draft(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    require_roles(request, editor_role(request))
    try:
        draft = authoring.roadmap_new_draft(actor=request.user, roadmap=roadmap)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=roadmap.pk)
    messages.success(request, _("Создана новая редакция (версия %(v)s).") % {"v": draft.version})
    return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=draft.pk)


@require_POST
@tenant_view(Role.METHODIST, kinds=MUNICIPAL)
def roadmap_cascade(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    created = cascade.roadmap_cascade(actor=request.user, roadmap=roadmap)
    messages.success(
        request,
        _("Обязанности ОО переданы в школы: создано %(n)s мероприятий в планах школ.")
        % {"n": created},
    )
    return redirect("roadmap_matrix", org_slug=org_slug, roadmap_id=roadmap.pk)


@require_GET
@tenant_view(Role.METHODIST, Role.DEPARTMENT, kinds=MUNICIPAL)
def roadmap_matrix(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    roadmap = _roadmap(roadmap_id)
    only_overdue = request.GET.get("overdue") == "1"
    matrix = selectors.unscoped_progress_matrix(roadmap, only_overdue=only_overdue)
    if request.GET.get("format") == "xlsx":
        return matrix_workbook_response(roadmap, matrix)
    context = {"roadmap": roadmap, "matrix": matrix, "only_overdue": only_overdue}
    return render(request, "roadmaps/matrix.html", context)


@require_GET
@tenant_view(Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, kinds=SCHOOLS)
def school_activities(request: HttpRequest, org_slug: str) -> HttpResponse:
    activities = selectors.school_activities(request.tenant.organization)
    if request.GET.get("overdue") == "1":
        activities = [a for a in activities if a.effective_status() == "overdue"]
    context = {"activities": activities, "can_mark": request.tenant.has_any(Role.CURATOR)}
    return render(request, "roadmaps/school_activities.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(Role.CURATOR, Role.METHODIST, kinds=MUNICIPAL + SCHOOLS)
def activity_progress(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    activity = get_in_tenant_or_404(Activity.objects.select_related("roadmap"), pk=activity_id)
    require_roles(request, editor_role(request))
    initial = {"status": activity.status, "comment": activity.comment}
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            progress.activity_set_progress(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Отметка о выполнении сохранена."))
            if request.tenant.is_school:
                return redirect("school_activities", org_slug=org_slug)
            return redirect("roadmap_detail", org_slug=org_slug, roadmap_id=activity.roadmap_id)
    return render(request, "roadmaps/activity_progress.html", {"activity": activity, "form": form})


def ensure_can_edit(request: HttpRequest, roadmap: Roadmap) -> None:
    require_roles(request, editor_role(request))
    if not roadmap.is_editable:
        raise PermissionDenied(_("Утверждённая дорожная карта не редактируется."))


@require_POST
@tenant_view(Role.METHODIST, Role.CURATOR, Role.DEPARTMENT, kinds=MUNICIPAL + SCHOOLS)
def roadmap_pdf(request: HttpRequest, org_slug: str, roadmap_id: int) -> HttpResponse:
    """Render the roadmap through the document pipeline and show its status page."""
    from mentorship.documents.services import document_request
    from roadmaps.documents import KIND, document_key

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


@require_GET
@tenant_view(*READERS, kinds=MUNICIPAL + SCHOOLS)
def activity_evidence(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    """The uploaded evidence, only through the tenant: media files are never public."""
    from django.http import FileResponse, Http404

    from mentorship import audit

    activity = get_in_tenant_or_404(Activity, pk=activity_id)
    if not activity.evidence_file:
        raise Http404(_("Файл не загружен."))
    audit.record(
        actor=request.user,
        organization=activity.organization,
        action="activity.evidence_download",
        obj=activity,
    )
    return FileResponse(activity.evidence_file.open("rb"), as_attachment=False)
