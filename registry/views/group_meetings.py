"""Group meetings of the school's programmes: plan one, invite, mark who came, see the
choices made after it (the links themselves are monitoring's: `monitoring:choice_send`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.group_meetings import GroupMeetingForm
from registry.models import GroupMeeting
from registry.selectors import group_meetings as selectors
from registry.services import group_meetings as service


def _meeting(group_meeting_id: int) -> GroupMeeting:
    return get_in_tenant_or_404(
        GroupMeeting.objects.select_related("programme"), pk=group_meeting_id
    )


@require_http_methods(["GET", "POST"])
@tenant_view(access.GROUP_MEETINGS_READ, write=access.GROUP_MEETINGS_WRITE)
def group_meeting_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """GET: the meetings; POST: plan one (`registry.group_meetings.write`)."""
    form = GroupMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = service.group_meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Групповая встреча добавлена: пригласите участников."))
            return redirect(
                "registry:group_meeting_detail", org_slug=org_slug, group_meeting_id=meeting.pk
            )
    context = {"meetings": list(selectors.meetings()), "form": form}
    return render(
        request,
        "registry/group_meetings/list.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@tenant_view(access.GROUP_MEETINGS_READ)
def group_meeting_detail(
    request: HttpRequest, org_slug: str, group_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(group_meeting_id)
    rows = selectors.attendees(meeting)
    context = {
        "meeting": meeting,
        "rows": rows,
        "invitable": selectors.invitable(meeting),
        "attended": sum(bool(r.row.attended) for r in rows),
        "chose": sum(bool(r.chosen) for r in rows),
        "mutual": sorted(
            {
                (r.row.participant.short_name, r.mutual_first.short_name)
                for r in rows
                if r.mutual_first and r.row.role == "mentor"
            }
        ),
    }
    return render(request, "registry/group_meetings/detail.html", context)


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@require_POST
@tenant_view(access.GROUP_MEETINGS_WRITE)
def group_meeting_invite(
    request: HttpRequest, org_slug: str, group_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(group_meeting_id)
    try:
        added = service.group_meeting_invite(
            actor=request.user,
            meeting=meeting,
            mentor_ids=_ids(request, "mentor"),
            mentee_ids=_ids(request, "mentee"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Приглашено: %(n)s.") % {"n": added})
    return redirect("registry:group_meeting_detail", org_slug=org_slug, group_meeting_id=meeting.pk)


@require_POST
@tenant_view(access.GROUP_MEETINGS_WRITE)
def group_meeting_attendance(
    request: HttpRequest, org_slug: str, group_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(group_meeting_id)
    try:
        came = service.group_meeting_attendance(
            actor=request.user, meeting=meeting, attended_ids=_ids(request, "attended")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Отмечено присутствовавших: %(n)s.") % {"n": came})
    return redirect("registry:group_meeting_detail", org_slug=org_slug, group_meeting_id=meeting.pk)
