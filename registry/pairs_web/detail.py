"""A pair's page, making a pair by hand, and the lifecycle buttons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.tenancy.access import tenant_view
from registry.models import MemberRole, Pair, PairStatus, Participant, Programme
from registry.pair_forms import (
    MeetingForm,
    PairForm,
    PlanCreateForm,
    TransitionForm,
    show_service_errors,
    transitions_of,
)
from registry.pairs_web.common import (
    READERS,
    SCHOOL_KINDS,
    WRITERS,
    can_write,
    error_messages,
    full_pair_or_404,
    pair_or_404,
    programme_or_404,
)
from registry.selectors import pairs as pair_selectors
from registry.services.matching import programme_pool
from registry.services.pairs import pair_propose, pair_resume, pair_transition, pair_update

MEETING_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE)


def detail_context(request: HttpRequest, pair: Pair, **forms) -> dict:
    """Everything the pair's page shows; a view that failed to save passes its bound form."""
    writer = can_write(request)
    context = {
        "pair": pair,
        "can_write": writer,
        "transitions": transitions_of(pair) if writer else [],
        "can_resume": writer and pair.status == PairStatus.SUSPENDED,
        "is_stale": pair.pk in pair_selectors.stale_pair_ids(),
        "meetings": list(pair.meetings.all()),
        "plans": list(pair.plans.all()),
    }
    if forms.get("meeting_form") is not None:
        context["meeting_form"] = forms["meeting_form"]
    elif writer and pair.status in MEETING_STATUSES:
        context["meeting_form"] = MeetingForm(members=pair_selectors.member_people(pair))
    if writer:
        planned = {plan.mentee_id for plan in context["plans"]}
        without_plan = pair_selectors.member_people(pair, MemberRole.MENTEE).exclude(pk__in=planned)
        if without_plan.exists():
            context["plan_form"] = forms.get("plan_form") or PlanCreateForm(mentees=without_plan)
    return context


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def pair_detail(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = full_pair_or_404(pair_id)
    return render(request, "registry/pairs/detail.html", detail_context(request, pair))


def _people_choices(programme: Programme, pair: Pair | None = None):
    """The programme's pool (consented, of its form, mentees not yet paired), plus the
    pair's own people when editing it; mentors labelled with their free seats."""
    pool = programme_pool(programme)
    mentor_ids = [m.id for m in pool.mentors]
    mentee_ids = [m.id for m in pool.mentees]
    own = Q(pk__in=[])
    if pair is not None:
        own = Q(pair_memberships__pair=pair)
    mentors = Participant.objects.filter(Q(pk__in=mentor_ids) | (own & Q(is_mentor=True)))
    mentees = Participant.objects.filter(Q(pk__in=mentee_ids) | (own & Q(is_mentee=True)))
    notes = {
        m.id: _("свободно мест: %(n)s") % {"n": m.capacity} if m.capacity else _("мест нет")
        for m in pool.mentors
    }
    order = ("last_name", "first_name", "pk")
    return mentors.distinct().order_by(*order), mentees.distinct().order_by(*order), notes


@require_http_methods(["GET", "POST"])
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def pair_create(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A pair or group made by hand, e.g. with a co-mentor; checked by the same service."""
    programme = programme_or_404(programme_id)
    mentors, mentees, notes = _people_choices(programme)
    initial = {"starts_on": programme.starts_on, "ends_on": programme.ends_on}
    form = PairForm(
        request.POST or None,
        initial=initial,
        mentors=mentors,
        mentees=mentees,
        mentor_notes=notes,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = pair_propose(
                actor=request.user,
                programme=programme,
                mentor_ids=[p.pk for p in data["mentors"]],
                mentee_ids=[p.pk for p in data["mentees"]],
                goals=data["goals"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Пара создана и ждёт утверждения приказом."))
            return redirect("pair_detail", org_slug=org_slug, pair_id=pair.pk)
    return render(
        request,
        "registry/pairs/form.html",
        {"form": form, "programme": programme, "pair": None},
    )


@require_http_methods(["GET", "POST"])
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def pair_edit(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    """People, goals and period of a proposed pair; after the order they are fixed."""
    pair = full_pair_or_404(pair_id)
    if pair.status != PairStatus.PROPOSED:
        messages.error(request, _("Состав можно менять только у предложенной пары, до приказа."))
        return redirect("pair_detail", org_slug=org_slug, pair_id=pair.pk)
    mentors, mentees, notes = _people_choices(pair.programme, pair)
    initial = {
        "mentors": [p.pk for p in pair.mentors],
        "mentees": [p.pk for p in pair.mentees],
        "goals": pair.goals,
        "starts_on": pair.starts_on,
        "ends_on": pair.ends_on,
    }
    form = PairForm(
        request.POST or None,
        initial=initial,
        mentors=mentors,
        mentees=mentees,
        mentor_notes=notes,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair_update(
                actor=request.user,
                pair=pair,
                mentor_ids=[p.pk for p in data["mentors"]],
                mentee_ids=[p.pk for p in data["mentees"]],
                goals=data["goals"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Пара изменена."))
            return redirect("pair_detail", org_slug=org_slug, pair_id=pair.pk)
    return render(
        request,
        "registry/pairs/form.html",
        {"form": form, "programme": pair.programme, "pair": pair},
    )


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def pair_status(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    """A lifecycle move; the service refuses impossible ones in Russian, shown as is."""
    pair = pair_or_404(pair_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Неизвестный статус пары."))
    else:
        to = form.cleaned_data["to"]
        try:
            pair_transition(
                actor=request.user, pair=pair, to=to, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Статус пары: «%(s)s».") % {"s": PairStatus(to).label})
    return redirect("pair_detail", org_slug=org_slug, pair_id=pair.pk)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def pair_resume_view(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = pair_or_404(pair_id)
    try:
        pair_resume(actor=request.user, pair=pair)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Работа пары возобновлена."))
    return redirect("pair_detail", org_slug=org_slug, pair_id=pair.pk)
