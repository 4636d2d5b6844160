"""Participants' personal links: the curator issues them from the person's card (one) or
the registry list (ticked people), and revokes them; the person opens their own page.

A link's secret is never stored, so it is shown on the response that issued it and mailed
once (to an adult's own address, to a minor's consenting parent); a later visit can only
reissue, which kills the old link.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.tenancy.access import tenant_view
from mentorship.tenancy.scoping import tenant_scope
from registry import access
from registry.models import LinkPurpose, Participant, PlanTask
from registry.participant_page import participant_sections
from registry.selectors.schedule import participant_page
from registry.services.links import (
    feed_url,
    page_url,
    personal_link_issue,
    personal_link_resolve,
    personal_link_touch,
    personal_links_issue_many,
    personal_links_mail,
    personal_links_revoke,
)
from registry.services.pairs import plan_task_tick
from registry.views.common import living_participant_or_404


def _issued_page(request: HttpRequest, issued, refused) -> HttpResponse:
    personal_links_mail(issued)
    rows = [
        {"participant": participant, "url": page_url(item.token), "sent_to": item.link.sent_to}
        for participant, item in issued
    ]
    return render(request, "registry/links/issued.html", {"rows": rows, "refused": refused})


@require_POST
@tenant_view(access.PERSONAL_LINKS)
def participant_link_issue(
    request: HttpRequest, org_slug: str, participant_id: int
) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    try:
        issued = personal_link_issue(actor=request.user, participant=participant)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(
            "registry:participant_detail", org_slug=org_slug, participant_id=participant.pk
        )
    return _issued_page(request, [(participant, issued)], [])


@require_POST
@tenant_view(access.PERSONAL_LINKS)
def participant_link_revoke(
    request: HttpRequest, org_slug: str, participant_id: int
) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    if personal_links_revoke(actor=request.user, participant=participant):
        messages.success(request, _("Личные ссылки участника отозваны."))
    return redirect("registry:participant_detail", org_slug=org_slug, participant_id=participant.pk)


def bulk_issue(request: HttpRequest, people: list[Participant]) -> HttpResponse:
    """The registry list's bulk action: links for the ticked people."""
    access.PERSONAL_LINKS.check(request.tenant)
    issued, refused = personal_links_issue_many(actor=request.user, participants=people)
    return _issued_page(request, issued, refused)


# --- The participant's own page (no login: the token is the key) ----------------------


def _resolve(token: str):
    link = personal_link_resolve(token, LinkPurpose.PAGE)
    if link is None:
        raise Http404(_("Ссылка недействительна: попросите куратора выдать новую."))
    return link


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _render_home(request: HttpRequest, token: str, link, **extra) -> HttpResponse:
    with tenant_scope(link.organization):
        page = participant_page(link.participant)
        sections = participant_sections(link.participant)
        personal_link_touch(link)
    context = {
        "token": token,
        "page": page,
        "person": link.participant,
        "organization": link.organization,
        "sections": sections,
        **extra,
    }
    return _private(render(request, "registry/participant_page/home.html", context))


@require_GET
def participant_home(request: HttpRequest, token: str) -> HttpResponse:
    return _render_home(request, token, _resolve(token))


@require_POST
def participant_task(request: HttpRequest, token: str, task_id: int) -> HttpResponse:
    """Tick or untick a plan task on one's own page; another person's task is a 404."""
    link = _resolve(token)
    with tenant_scope(link.organization):
        task = PlanTask.objects.filter(pk=task_id).first()
        if task is None:
            raise Http404
        try:
            plan_task_tick(
                participant=link.participant, task=task, done=request.POST.get("done") == "1"
            )
        except PlanTask.DoesNotExist:
            raise Http404 from None
    return _private(redirect(reverse("participant_page:home", kwargs={"token": token}) + "#tasks"))


@require_http_methods(["POST"])
def participant_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person subscribes their calendar app: a feed of their own, shown once here."""
    link = _resolve(token)
    with tenant_scope(link.organization):
        issued = personal_link_issue(
            actor=None, participant=link.participant, purpose=LinkPurpose.FEED
        )
    return _render_home(
        request, token, link, new_feed_url=feed_url(link.organization, issued.token)
    )
