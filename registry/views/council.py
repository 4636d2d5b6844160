"""Mentors' councils' pages: the list, a council (members, plan of work, meetings) and a
meeting (agenda, minutes, who was present, decisions, the protocol). Thin: each POST
calls one service; the rules are registry/access.py's COUNCIL_*."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.council import (
    CouncilForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    PlanItemForm,
)
from registry.models import Council, CouncilDecision, CouncilMeeting, CouncilMember
from registry.selectors import council as selectors
from registry.services import council as service


def _council(council_id: int) -> Council:
    return get_in_tenant_or_404(Council, pk=council_id)


def _meeting(meeting_id: int) -> CouncilMeeting:
    return get_in_tenant_or_404(CouncilMeeting.objects.select_related("council"), pk=meeting_id)


def _to_council(org_slug: str, council_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("registry:council_detail", org_slug=org_slug, council_id=council_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _to_meeting(org_slug: str, meeting_id: int, anchor: str = "") -> HttpResponse:
    response = redirect(
        "registry:council_meeting_detail", org_slug=org_slug, council_meeting_id=meeting_id
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@tenant_view(access.COUNCIL_READ, write=access.COUNCIL_WRITE)
def council_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = service.council_create(
                actor=request.user, organization=request.tenant.organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Совет создан: добавьте его членов и план работы."))
            return _to_council(org_slug, council.pk)
    councils = list(selectors.council_list())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registry/council/list.html", {"councils": councils, "form": form}, status=status
    )


@require_GET
@tenant_view(access.COUNCIL_READ)
def council_detail(request: HttpRequest, org_slug: str, council_id: int) -> HttpResponse:
    return _render_council(request, council_id)


def _render_council(
    request: HttpRequest, council_id: int, *, status: int = 200, **bound
) -> HttpResponse:
    council = selectors.council_for_page(council_id)
    if council is None:
        from django.http import Http404

        raise Http404(_("Запись не найдена."))
    context = {
        "council": council,
        "members": list(council.members.all()),
        "plan_items": list(council.plan_items.all()),
        "meetings": list(council.meetings.all()),
        "can_write": access.COUNCIL_WRITE.permits(request.tenant),
        "member_form": bound.get("member_form") or MemberForm(),
        "plan_form": bound.get("plan_form") or PlanItemForm(),
        "meeting_form": bound.get("meeting_form") or MeetingForm(),
    }
    return render(request, "registry/council/detail.html", context, status=status)


def _council_post(request, org_slug, council_id, form_class, key, call, anchor, done):
    council = _council(council_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _to_council(org_slug, council.pk, anchor)
    return _render_council(request, council.pk, status=400, **{key: form})


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_member_add(request: HttpRequest, org_slug: str, council_id: int) -> HttpResponse:
    return _council_post(
        request, org_slug, council_id, MemberForm, "member_form", service.council_member_add,
        "members", _("Член совета добавлен."),
    )  # fmt: skip


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_member_remove(request: HttpRequest, org_slug: str, council_id: int) -> HttpResponse:
    council = _council(council_id)
    member = CouncilMember.objects.filter(
        council=council, pk=_int(request.POST.get("member"))
    ).first()
    if member is None:
        messages.error(request, _("Выберите члена совета."))
    else:
        service.council_member_remove(actor=request.user, member=member)
        messages.success(
            request, _("%(n)s выведен(а) из состава совета.") % {"n": member.full_name}
        )
    return _to_council(org_slug, council.pk, "members")


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_plan_add(request: HttpRequest, org_slug: str, council_id: int) -> HttpResponse:
    return _council_post(
        request, org_slug, council_id, PlanItemForm, "plan_form", service.council_plan_add,
        "plan", _("Пункт плана работы добавлен."),
    )  # fmt: skip


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_meeting_add(request: HttpRequest, org_slug: str, council_id: int) -> HttpResponse:
    council = _council(council_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = service.council_meeting_create(
                actor=request.user, council=council, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Заседание назначено: после него внесите ход и решения."))
            return _to_meeting(org_slug, meeting.pk)
    return _render_council(request, council.pk, status=400, meeting_form=form)


@require_GET
@tenant_view(access.COUNCIL_READ)
def council_meeting_detail(
    request: HttpRequest, org_slug: str, council_meeting_id: int
) -> HttpResponse:
    return _render_meeting(request, council_meeting_id)


def _render_meeting(
    request: HttpRequest, meeting_id: int, *, status: int = 200, **bound
) -> HttpResponse:
    meeting = selectors.meeting_for_page(meeting_id)
    if meeting is None:
        from django.http import Http404

        raise Http404(_("Запись не найдена."))
    members = list(meeting.council.members.all())
    present = {m.pk for m in meeting.present.all()}
    can_write = access.COUNCIL_WRITE.permits(request.tenant)
    owners = service.decision_owners(request.tenant.organization) if can_write else []
    context = {
        "meeting": meeting,
        "council": meeting.council,
        "members": members,
        "present": [m for m in members if m.pk in present],
        "decisions": list(meeting.decisions.all()),
        "can_write": can_write,
        "may_issue": access.LOCAL_ACTS.permits(request.tenant),
        "minutes_form": bound.get("minutes_form")
        or MinutesForm(
            members=members,
            initial={
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
                "present": [str(pk) for pk in present],
            },
        ),
        "decision_form": bound.get("decision_form") or DecisionForm(owners=owners),
    }
    return render(request, "registry/council/meeting.html", context, status=status)


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_meeting_minutes(
    request: HttpRequest, org_slug: str, council_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(council_meeting_id)
    form = MinutesForm(request.POST, members=list(meeting.council.members.all()))
    if form.is_valid():
        try:
            service.council_meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ход заседания сохранён."))
            return _to_meeting(org_slug, meeting.pk, "minutes")
    return _render_meeting(request, meeting.pk, status=400, minutes_form=form)


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_decision_add(
    request: HttpRequest, org_slug: str, council_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(council_meeting_id)
    form = DecisionForm(request.POST, owners=service.decision_owners(meeting.organization))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service.council_decision_add(actor=request.user, meeting=meeting, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Решение записано."))
            return _to_meeting(org_slug, meeting.pk, "decisions")
    return _render_meeting(request, meeting.pk, status=400, decision_form=form)


@require_POST
@tenant_view(access.COUNCIL_WRITE)
def council_decision_done(
    request: HttpRequest, org_slug: str, council_meeting_id: int
) -> HttpResponse:
    meeting = _meeting(council_meeting_id)
    decision = CouncilDecision.objects.filter(
        meeting=meeting, pk=_int(request.POST.get("decision"))
    ).first()
    if decision is None:
        messages.error(request, _("Выберите решение."))
    else:
        done = request.POST.get("done", "1") != "0"
        service.council_decision_set_done(actor=request.user, decision=decision, done=done)
        messages.success(request, _("Отметка сохранена."))
    return _to_meeting(org_slug, meeting.pk, "decisions")


@require_POST
@tenant_view(access.LOCAL_ACTS)
def council_protocol(request: HttpRequest, org_slug: str, council_meeting_id: int) -> HttpResponse:
    meeting = _meeting(council_meeting_id)
    try:
        document = service.council_protocol_issue(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_meeting(org_slug, meeting.pk)
    messages.success(request, _("Протокол формируется: PDF и Word появятся на странице документа."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
