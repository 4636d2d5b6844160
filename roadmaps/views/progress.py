"""A school's duties and their progress: the list, the mark with evidence, the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentorship import audit
from mentorship.forms import apply_service_errors
from mentorship.http import stored_file_download
from mentorship.query import query_flag
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from roadmaps import access, selectors
from roadmaps.forms.progress import ProgressForm
from roadmaps.models import Activity
from roadmaps.services import progress


@require_GET
@tenant_view(access.READ_SCHOOL_ACTIVITIES)
def school_activities(request: HttpRequest, org_slug: str) -> HttpResponse:
    activities = selectors.school_activities(request.tenant.organization)
    if query_flag(request.GET, "overdue"):
        activities = [a for a in activities if a.effective_status() == "overdue"]
    context = {"activities": activities, "can_mark": access.REPORT.permits(request.tenant)}
    return render(request, "roadmaps/school_activities.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.REPORT)
def activity_progress(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    activity = get_in_tenant_or_404(Activity.objects.select_related("roadmap"), pk=activity_id)
    initial = {"status": activity.status, "comment": activity.comment}
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            progress.activity_set_progress(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Отметка о выполнении сохранена."))
            if request.tenant.is_school:
                return redirect("roadmaps:school_activities", org_slug=org_slug)
            return redirect(
                "roadmaps:roadmap_detail", org_slug=org_slug, roadmap_id=activity.roadmap_id
            )
    return render(request, "roadmaps/activity_progress.html", {"activity": activity, "form": form})


@require_GET
@tenant_view(access.READ_ACTIVITIES)
def activity_evidence(request: HttpRequest, org_slug: str, activity_id: int) -> HttpResponse:
    """The uploaded evidence, only through the tenant: media files are never public."""
    activity = get_in_tenant_or_404(Activity, pk=activity_id)
    if not activity.evidence_file:
        raise Http404(_("Файл не загружен."))
    audit.record(
        actor=request.user,
        organization=activity.organization,
        action="activity.evidence_download",
        obj=activity,
    )
    return stored_file_download(activity.evidence_file)
