"""The public answer page /q/<token>/: no account, the token in the URL is the key.

Every outcome is a Russian page, never a stack trace: a forged or mistyped token gets
the same 404 as a missing one (it reveals nothing about which tokens exist), an expired
or closed campaign and a withdrawn consent get 410, too many requests 429. The form is
protected by Django's CSRF cookie as well as by the token, and submitting redirects
back (post/redirect/get), so reloading never re-submits.

Requests are limited per client address (mentorship.http.client_ip, the one django-axes
sees too): `MONITORING_PUBLIC_RATE_LIMIT` a minute (0 switches it off), counted by the
portal's shared counter (mentorship/ratelimit.py). The default leaves room for a class of
30 answering from one school address at once (a page view and a submit each, plus
corrections); it stops someone hammering the page to guess tokens. If the counter's store
is unreachable the page stays open: pupils answering matters more than the limit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.http import client_ip
from mentorship.query import query_flag
from mentorship.ratelimit import hit
from monitoring.services.answering import (
    form_rows,
    form_spec,
    parse,
    response_save,
    saved_answers,
)
from monitoring.services.links import Link, LinkState, find_link, link_state
from monitoring.services.partner_choice import choice_page, choice_save
from registry.models import MAX_CHOICES

WINDOW_SECONDS = 60
STATUS = {
    LinkState.NOT_FOUND: 404,
    LinkState.REVOKED: 410,
    LinkState.CLOSED: 410,
    LinkState.EXPIRED: 410,
    LinkState.NOT_STARTED: 403,
}


def _status_page(request: HttpRequest, state: LinkState, link=None) -> HttpResponse:
    context = {"state": state.value}
    # Only a real, still-known link may say which school and campaign it is for.
    if link is not None and state in (
        LinkState.CLOSED,
        LinkState.EXPIRED,
        LinkState.NOT_STARTED,
    ):
        context.update(
            school=link.school.short_name,
            campaign=link.campaign,
            responded=link.responded_at is not None,
        )
    return render(request, "monitoring/public/status.html", context, status=STATUS[state])


def within_rate_limit(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "MONITORING_PUBLIC_RATE_LIMIT", 0) or 0)
    address = client_ip(request) or "unknown"
    return hit(f"monitoring:q-rate:{address}", limit, WINDOW_SECONDS)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "monitoring/public/status.html", {"state": "rate_limited"}, status=429
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if not within_rate_limit(request):
        return too_many_requests(request)
    link = find_link(token)
    state = link_state(link)
    if state is not LinkState.OK:
        return _status_page(request, state, link)
    if link.campaign.purpose == "partner_choice":
        return _choice(request, link)
    spec = form_spec(link.questionnaire)
    errors: dict[str, str] = {}
    if request.method == "POST":
        parsed = parse(spec, request.POST)
        if not parsed.errors:
            response_save(link, parsed)
            return redirect(request.path + "?saved=1")
        errors, values = parsed.errors, parsed.raw
    else:
        values = saved_answers(link, spec) if link.responded_at else {}
    context = {
        "campaign": link.campaign,
        "questionnaire": link.questionnaire,
        "school": link.school,
        "sections": form_rows(spec, values, errors),
        "saved": request.method == "GET"
        and query_flag(request.GET, "saved")
        and link.responded_at is not None,
        "answered": link.responded_at is not None,
        # Questions appear in spec order, and so do their errors.
        "first_error": next(iter(errors), ""),
        "error_summary": _("Проверьте ответы: некоторые вопросы остались без ответа.")
        if errors
        else "",
        # Intake answers are read by the curator with the name: the page says so.
        "personal": link.campaign.purpose != "monitoring",
    }
    return render(request, "monitoring/public/answer.html", context, status=400 if errors else 200)


def _parse_choice(data, allowed: set[int]) -> tuple[list[int], str]:
    """The ranked ids from the fields choice_1..choice_N, or a Russian error."""
    chosen: list[int] = []
    for rank in range(1, MAX_CHOICES + 1):
        raw = (data.get(f"choice_{rank}") or "").strip()
        if not raw:
            continue
        try:
            pk = int(raw)
        except ValueError:
            return [], _("Выберите людей из списка.")
        if pk not in allowed:
            return [], _("Выберите людей из списка.")
        if pk in chosen:
            return [], _("Один и тот же человек выбран дважды: выберите разных.")
        chosen.append(pk)
    if not chosen:
        return [], _("Выберите хотя бы одного человека.")
    return chosen, ""


def _choice(request: HttpRequest, link: Link) -> HttpResponse:
    """The ranking after a group meeting: up to three people of the other side who came."""
    options, current = choice_page(link)
    spec = form_spec(link.questionnaire)
    errors: dict[str, str] = {}
    choice_error = ""
    values: dict = {}
    if request.method == "POST":
        parsed = parse(spec, request.POST)
        chosen, choice_error = _parse_choice(request.POST, {p.pk for p in options})
        if not parsed.errors and not choice_error:
            choice_save(link, chosen, parsed)
            return redirect(request.path + "?saved=1")
        errors, values = parsed.errors, parsed.raw
        current = [
            int(v) if str(v).isdigit() else None
            for v in (request.POST.get(f"choice_{r}") for r in range(1, MAX_CHOICES + 1))
        ]
    elif link.responded_at:
        values = saved_answers(link, spec)
    ranks = [
        {"rank": r, "field": f"choice_{r}", "value": current[r - 1] if r <= len(current) else None}
        for r in range(1, MAX_CHOICES + 1)
    ]
    context = {
        "campaign": link.campaign,
        "questionnaire": link.questionnaire,
        "school": link.school,
        "options": options,
        "ranks": ranks,
        "other_side": _("наставников") if link.role == "mentee" else _("наставляемых"),
        "choice_error": choice_error,
        "sections": form_rows(spec, values, errors),
        "saved": request.method == "GET"
        and query_flag(request.GET, "saved")
        and link.responded_at is not None,
        "answered": link.responded_at is not None,
    }
    status = 400 if (errors or choice_error) else 200
    return render(request, "monitoring/public/choice.html", context, status=status)
