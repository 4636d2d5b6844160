"""The school's pairs and groups: the list, the home page's "no meetings in 30 days"
panel, a pair's page, making a pair by hand, the lifecycle buttons and the meeting log.

Lists are built with a fixed number of queries, whatever the number of pairs: members
come prefetched with their people, the stale flag is one query for the whole page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.query import page_of, valid_query
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.pair_order import PairOrderForm
from registry.forms.pairs import (
    MeetingForm,
    PairFilterForm,
    PairForm,
    PlanCreateForm,
    TransitionForm,
    transitions_of,
)
from registry.models import MemberRole, Pair, PairStatus, Participant, Programme
from registry.selectors import pairs as pair_selectors
from registry.services.matching import programme_pool
from registry.services.pairs import (
    meeting_log,
    pair_propose,
    pair_resume,
    pair_transition,
    pair_update,
)
from registry.services.schedule import PLANNABLE
from registry.views.common import (
    closed_programme_redirect,
    error_messages,
    full_pair_or_404,
    pair_or_404,
    programme_or_404,
)

PAGE_SIZE = 50


def pairs_page(
    request: HttpRequest, query: QueryDict, order_form: PairOrderForm | None = None, status=200
) -> HttpResponse:
    """The pairs list for the filters in `query`; the order form bound to what was posted
    when issuing the order failed (its errors shown above the list, 400 or 409)."""
    programmes = Programme.objects.select_related("form").order_by("name")
    filters = PairFilterForm(query or None, programmes=programmes)
    chosen = valid_query(filters)
    status_filter, programme = chosen.get("status", ""), chosen.get("programme")
    only_stale = bool(chosen.get("stale"))
    pairs = pair_selectors.pair_rows(status=status_filter, programme=programme)
    stale = pair_selectors.stale_pair_ids()
    if only_stale:
        pairs = pairs.filter(pk__in=stale)
    page = page_of(Paginator(pairs, PAGE_SIZE), query)
    page.object_list = list(page.object_list)
    pair_selectors.decorate(page.object_list, stale)
    # The order button approves exactly the proposed pairs the curator is looking at
    # (or, after a refused attempt, the ones that attempt named).
    proposed_ids = [p.pk for p in page.object_list if p.status == PairStatus.PROPOSED]
    if order_form is not None and order_form.is_bound:
        proposed_ids = [int(i) for i in order_form.data.getlist("pair_ids") if i.isdigit()]
    filter_query = query.copy()
    filter_query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "programmes": programmes,
        # Closed programmes stay in the filter (their pairs are history) but leave the
        # «Подобрать пары» and «Создать вручную» choices.
        "open_programmes": [p for p in programmes if not p.is_closed],
        "stale_count": len(stale),
        "proposed_ids": proposed_ids,
        "order_form": order_form or PairOrderForm(),
        "query": filter_query.urlencode(),
        "filtered": bool(status_filter or programme or only_stale),
        "only_stale": only_stale,
    }
    return render(request, "registry/pairs/list.html", context, status=status)


@require_GET
@tenant_view(access.PAIRS_READ)
def pair_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    return pairs_page(request, request.GET)


@require_GET
@tenant_view(access.PAIRS_READ)
def pair_stale_panel(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The school home's panel, loaded by HTMX so the home view needs to know nothing."""
    pairs = list(
        pair_selectors.pair_rows().filter(pk__in=pair_selectors.stale_pairs().values("pk"))[:10]
    )
    pair_selectors.decorate(pairs)
    total = Pair.objects.filter(pk__in=pair_selectors.stale_pairs().values("pk")).count()
    return render(
        request,
        "registry/pairs/_stale_panel.html",
        {"pairs": pairs, "total": total},
    )


def back_to_pair(org_slug: str, pair_id: int, anchor: str) -> HttpResponse:
    url = reverse("registry:pair_detail", kwargs={"org_slug": org_slug, "pair_id": pair_id})
    return redirect(f"{url}#{anchor}")


MEETING_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE)


def detail_context(request: HttpRequest, pair: Pair, **forms) -> dict:
    """Everything the pair's page shows; a view that failed to save passes its bound form."""
    writer = access.PAIRS_WRITE.permits(request.tenant)
    context = {
        "pair": pair,
        "transitions": transitions_of(pair) if writer else [],
        "can_resume": writer and pair.status == PairStatus.SUSPENDED,
        "is_stale": pair.pk in pair_selectors.stale_pair_ids(),
        "meetings": list(pair.meetings.all()),
        "planned": list(pair.planned_meetings.all()),
        "can_plan": pair.status in PLANNABLE,
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
@tenant_view(access.PAIRS_READ)
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
@tenant_view(access.PAIRS_WRITE)
def pair_create(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A pair or group made by hand, e.g. with a co-mentor; checked by the same service."""
    programme = programme_or_404(programme_id)
    if closed := closed_programme_redirect(request, programme):
        return closed
    mentors, mentees, notes = _people_choices(programme)
    initial = {"ends_on": programme.ends_on}
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
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Пара создана и ждёт утверждения приказом."))
            return redirect("registry:pair_detail", org_slug=org_slug, pair_id=pair.pk)
    return render(
        request,
        "registry/pairs/form.html",
        {"form": form, "programme": programme, "pair": None},
    )


@require_http_methods(["GET", "POST"])
@tenant_view(access.PAIRS_WRITE)
def pair_edit(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    """People, goals and period of a proposed pair; after the order they are fixed."""
    pair = full_pair_or_404(pair_id)
    if pair.status != PairStatus.PROPOSED:
        messages.error(request, _("Состав можно менять только у предложенной пары, до приказа."))
        return redirect("registry:pair_detail", org_slug=org_slug, pair_id=pair.pk)
    mentors, mentees, notes = _people_choices(pair.programme, pair)
    initial = {
        "mentors": [p.pk for p in pair.mentors],
        "mentees": [p.pk for p in pair.mentees],
        "goals": pair.goals,
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
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Пара изменена."))
            return redirect("registry:pair_detail", org_slug=org_slug, pair_id=pair.pk)
    return render(
        request,
        "registry/pairs/form.html",
        {"form": form, "programme": pair.programme, "pair": pair},
    )


@require_POST
@tenant_view(access.PAIRS_WRITE)
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
    return redirect("registry:pair_detail", org_slug=org_slug, pair_id=pair.pk)


@require_POST
@tenant_view(access.PAIRS_WRITE)
def pair_resume_view(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = pair_or_404(pair_id)
    try:
        pair_resume(actor=request.user, pair=pair)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Работа пары возобновлена."))
    return redirect("registry:pair_detail", org_slug=org_slug, pair_id=pair.pk)


@require_POST
@tenant_view(access.PAIRS_WRITE)
def meeting_add(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = full_pair_or_404(pair_id)
    form = MeetingForm(request.POST, members=pair_selectors.member_people(pair))
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting_log(
                actor=request.user,
                pair=pair,
                kind=data["kind"],
                held_on=data["held_on"],
                format=data["format"],
                topic=data["topic"],
                result=data["result"],
                attended_ids=[p.pk for p in data["attended"]],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Встреча записана в журнал."))
            return back_to_pair(org_slug, pair.pk, "meetings")
    context = detail_context(request, pair, meeting_form=form)
    return render(request, "registry/pairs/detail.html", context)
