"""The calendar: the organisation's page (or one person's, `?person=`), its private ICS
feed and the token that opens it, and planning a pair's meetings.

The page lists five weeks from `?start=` as an agenda (days, then entries): a table of
weeks would not fit a 390 px phone. Every entry comes from the sources registered in
mentorship/calendar.py; each source checks its own rule against the tenant.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.calendar import CalendarQuery, calendar_events, ics_calendar
from mentorship.forms import apply_service_errors
from mentorship.http import absolute_url
from mentorship.query import BadQuery, valid_query
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from mentorship.tenancy.scoping import tenant_scope
from registry import access
from registry.forms.schedule import CalendarFilterForm, PlannedMeetingForm
from registry.models import LinkPurpose, PersonalLink, PlannedMeeting
from registry.services.links import (
    feed_url,
    organization_feed_issue,
    organization_feed_revoke,
    personal_link_resolve,
    personal_link_touch,
)
from registry.services.schedule import meeting_cancel, meeting_plan, meeting_update
from registry.views.common import full_pair_or_404, participant_or_404

PAGE_DAYS = 35
# How far the page goes back and ahead of today: enough for a school year's planning,
# and a bounded set of pages for crawlers and the link checker.
PAST_LIMIT = dt.timedelta(days=180)
FUTURE_LIMIT = dt.timedelta(days=365)
# What a subscribed calendar app receives: a month back, a year ahead.
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 366
RENAME = {"starts_at": "day"}


def _days(events, start: dt.date, days: int) -> list[tuple[dt.date, list]]:
    """The agenda: each day that has entries, with them (today is always shown)."""
    by_day: dict[dt.date, list] = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    today = timezone.localdate()
    if start <= today < start + dt.timedelta(days=days):
        by_day.setdefault(today, [])
    return sorted(by_day.items())


def calendar_context(request: HttpRequest, **extra) -> dict:
    tenant = request.tenant
    params = valid_query(CalendarFilterForm(request.GET or None))
    today = timezone.localdate()
    start = params.get("start") or today
    if not today - PAST_LIMIT <= start <= today + FUTURE_LIMIT:
        raise BadQuery({"start": [_("Календарь показывает полгода назад и год вперёд.")]})
    person = participant_or_404(params["person"]) if params.get("person") else None
    if person is not None:
        access.PEOPLE_READ.check(tenant)
    end = start + dt.timedelta(days=PAGE_DAYS - 1)
    events = calendar_events(
        CalendarQuery(
            organization=tenant.organization,
            start=start,
            end=end,
            participant_id=person.pk if person else None,
            tenant=None if person else tenant,
        )
    )
    feed = None
    if access.CALENDAR_FEED.permits(tenant):
        feed = PersonalLink.objects.filter(
            participant__isnull=True, purpose=LinkPurpose.ORG_FEED, revoked_at__isnull=True
        ).first()
    return {
        "start": start,
        "end": end,
        # A person's calendar is one window (from their card); the organisation's pages.
        "previous": (
            start - dt.timedelta(days=PAGE_DAYS)
            if person is None and start - dt.timedelta(days=PAGE_DAYS) >= today - PAST_LIMIT
            else None
        ),
        "next": (
            start + dt.timedelta(days=PAGE_DAYS)
            if person is None and start + dt.timedelta(days=PAGE_DAYS) <= today + FUTURE_LIMIT
            else None
        ),
        "today": today,
        "person": person,
        "days": _days(events, start, PAGE_DAYS),
        "count": len(events),
        "feed": feed,
        "can_feed": feed is not None or access.CALENDAR_FEED.permits(tenant),
        **extra,
    }


@require_GET
@tenant_view(access.CALENDAR)
def calendar_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(request, "registry/calendar/page.html", calendar_context(request))


@require_POST
@tenant_view(access.CALENDAR_FEED)
def calendar_feed_issue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Issue (or reissue) the private feed; its address is shown on this response only."""
    issued = organization_feed_issue(actor=request.user, organization=request.tenant.organization)
    context = calendar_context(
        request, new_feed_url=feed_url(request.tenant.organization, issued.token)
    )
    return render(request, "registry/calendar/page.html", context)


@require_POST
@tenant_view(access.CALENDAR_FEED)
def calendar_feed_revoke(request: HttpRequest, org_slug: str) -> HttpResponse:
    if organization_feed_revoke(actor=request.user, organization=request.tenant.organization):
        messages.success(
            request, _("Ссылка на календарь отозвана: подписки перестанут обновляться.")
        )
    return redirect("registry:calendar", org_slug=org_slug)


@require_GET
def calendar_ics(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The ICS feed, opened by its token alone (calendar apps have no login).

    The organisation's token gives the organisation's calendar (what its curator sees),
    a participant's feed token that person's. A missing, revoked or foreign token, or a
    person whose consent is no longer valid: 404, the same for all.
    """
    link = personal_link_resolve(request.GET.get("token", ""), LinkPurpose.ORG_FEED)
    if link is None:
        link = personal_link_resolve(request.GET.get("token", ""), LinkPurpose.FEED)
    if link is None or link.organization.slug != org_slug:
        raise Http404(_("Календарь не найден."))
    organization = link.organization
    today = timezone.localdate()
    with tenant_scope(organization):
        events = calendar_events(
            CalendarQuery(
                organization=organization,
                start=today - dt.timedelta(days=FEED_PAST_DAYS),
                end=today + dt.timedelta(days=FEED_FUTURE_DAYS),
                participant_id=link.participant_id,
            )
        )
        personal_link_touch(link)
    name = (
        _("Наставничество: %(org)s") % {"org": organization.short_name}
        if link.participant is None
        else _("Мои встречи: %(org)s") % {"org": organization.short_name}
    )
    body = ics_calendar(
        events, name=name, base_url=absolute_url("") if link.participant is None else ""
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    # A secret URL: no shared cache keeps it, no referrer repeats it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


calendar_ics.tenant_token_view = True  # type: ignore[attr-defined]


# --- Planning a pair's meetings -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@tenant_view(access.PAIRS_WRITE)
def meeting_plan_view(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = full_pair_or_404(pair_id)
    form = PlannedMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_plan(actor=request.user, pair=pair, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error, rename=RENAME)
        else:
            messages.success(request, _("Встреча запланирована; участникам отправлены письма."))
            return redirect(
                reverse("registry:pair_detail", kwargs={"org_slug": org_slug, "pair_id": pair.pk})
                + "#planned"
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registry/calendar/plan_form.html", {"pair": pair, "form": form}, status=status
    )


def planned_or_404(planned_meeting_id: int) -> PlannedMeeting:
    return get_in_tenant_or_404(
        PlannedMeeting.objects.select_related("pair"), pk=planned_meeting_id
    )


@require_http_methods(["GET", "POST"])
@tenant_view(access.PAIRS_WRITE)
def meeting_plan_edit(request: HttpRequest, org_slug: str, planned_meeting_id: int) -> HttpResponse:
    meeting = planned_or_404(planned_meeting_id)
    pair = full_pair_or_404(meeting.pair_id)
    form = PlannedMeetingForm.for_meeting(meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(actor=request.user, meeting=meeting, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error, rename=RENAME)
        else:
            messages.success(request, _("Встреча изменена."))
            return redirect(
                reverse("registry:pair_detail", kwargs={"org_slug": org_slug, "pair_id": pair.pk})
                + "#planned"
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registry/calendar/plan_form.html",
        {"pair": pair, "form": form, "meeting": meeting},
        status=status,
    )


@require_POST
@tenant_view(access.PAIRS_WRITE)
def meeting_plan_cancel(
    request: HttpRequest, org_slug: str, planned_meeting_id: int
) -> HttpResponse:
    meeting = planned_or_404(planned_meeting_id)
    meeting_cancel(actor=request.user, meeting=meeting)
    messages.success(request, _("Встреча отменена; участникам отправлены письма."))
    return redirect(
        reverse("registry:pair_detail", kwargs={"org_slug": org_slug, "pair_id": meeting.pair_id})
        + "#planned"
    )
