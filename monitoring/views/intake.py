"""The curator's intake pages: send candidates their questionnaire, review the answers and
accept them into the registry; send the links of the choice after a group meeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from monitoring import access
from monitoring.models import Response
from monitoring.selectors import intake as selectors
from monitoring.services import intake as service
from monitoring.services.intake import SendResult
from monitoring.services.partner_choice import choice_campaign, choice_links_send
from registry.models import GroupMeeting


def _report(request: HttpRequest, result: SendResult) -> None:
    made = result.created + result.restored
    if made:
        messages.success(
            request,
            _("Создано ссылок: %(n)s. Письма уходят: %(e)s. Для листа с QR-кодами: %(p)s.")
            % {"n": made, "e": result.by_email, "p": result.by_sheet},
        )
    elif not result.refused:
        messages.info(request, _("У выбранных уже есть действующие ссылки."))
    if result.refused:
        messages.warning(request, _("Без ссылки: ") + "; ".join(result.refused))


@require_GET
@tenant_view(access.INTAKE_READ)
def intake(request: HttpRequest, org_slug: str) -> HttpResponse:
    rows = selectors.candidates()
    campaign = service.running_intake(request.tenant.organization)
    context = {
        "rows": rows,
        "campaign": campaign,
        "sheet_row": selectors.running_sheet_row(campaign.pk if campaign else None),
        "waiting": sum(r.status == "answered" for r in rows),
        "not_sent": sum(r.status == "none" for r in rows),
    }
    return render(request, "monitoring/intake/candidates.html", context)


@require_POST
@tenant_view(access.INTAKE)
def intake_send(request: HttpRequest, org_slug: str) -> HttpResponse:
    ids = [v for v in request.POST.getlist("participant") if v.isdigit()]
    try:
        result = service.intake_send(
            actor=request.user, school=request.tenant.organization, participant_ids=ids
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report(request, result)
    return redirect("monitoring:intake", org_slug=org_slug)


@require_GET
@tenant_view(access.INTAKE_READ)
def intake_review(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(request, "monitoring/intake/review.html", {"rows": selectors.review_rows()})


@require_POST
@tenant_view(access.INTAKE)
def intake_accept(request: HttpRequest, org_slug: str, response_id: int) -> HttpResponse:
    response = get_in_tenant_or_404(
        Response.objects.select_related("campaign", "participant"), pk=response_id
    )
    try:
        service.intake_accept(actor=request.user, response=response)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Анкета: %(name)s — принята в реестр.") % {"name": response.participant.short_name},
        )
    return redirect("monitoring:intake_review", org_slug=org_slug)


@require_POST
@tenant_view(access.INTAKE)
def intake_accept_all(request: HttpRequest, org_slug: str) -> HttpResponse:
    accepted, refused = service.intake_accept_all(actor=request.user)
    if accepted:
        messages.success(request, _("Принято в реестр анкет: %(n)s.") % {"n": accepted})
    elif not refused:
        messages.info(request, _("Новых анкет на проверку нет."))
    if refused:
        messages.warning(request, _("Не приняты: ") + "; ".join(refused))
    return redirect("monitoring:intake_review", org_slug=org_slug)


@require_POST
@tenant_view(access.INTAKE)
def choice_send(request: HttpRequest, org_slug: str, group_meeting_id: int) -> HttpResponse:
    meeting = get_in_tenant_or_404(GroupMeeting, pk=group_meeting_id)
    try:
        result = choice_links_send(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report(request, result)
    return redirect("registry:group_meeting_detail", org_slug=org_slug, group_meeting_id=meeting.pk)


@require_GET
@tenant_view(access.INTAKE)
def choice_sheet(request: HttpRequest, org_slug: str, group_meeting_id: int) -> HttpResponse:
    """The printable sheet of the meeting's choice links (for those without e-mail)."""
    meeting = get_in_tenant_or_404(GroupMeeting, pk=group_meeting_id)
    campaign = choice_campaign(meeting)
    row = selectors.running_sheet_row(campaign.pk if campaign else None)
    if row is None:
        messages.info(request, _("Ссылки для выбора ещё не созданы."))
        return redirect(
            "registry:group_meeting_detail", org_slug=org_slug, group_meeting_id=meeting.pk
        )
    return redirect(
        "monitoring:school_campaign_sheet", org_slug=org_slug, school_campaign_id=row.pk
    )
