"""Campaign pages. At a municipality: the list, starting a campaign, the per-school
progress (counts only) and closing it. At a school: the campaign as the school sees it,
with its people, inviting them, and the printable sheet of personal links."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.query import query_flag, valid_query
from mentorship.tenancy.access import tenant_view
from monitoring import access
from monitoring.forms.campaigns import CampaignForm, MunicipalityQuery
from monitoring.indicators.definitions import SUPPRESSION_THRESHOLD
from monitoring.indicators.selectors.regional import unscoped_regional_campaign_rates
from monitoring.models import Campaign, CampaignSchool, Invitation, Purpose
from monitoring.selectors import campaigns as selectors
from monitoring.services import campaigns as service
from monitoring.services.mailing import public_link
from monitoring.views.common import campaign_or_404, school_campaign_or_404


@require_http_methods(["GET", "POST"])
@tenant_view(access.CAMPAIGNS, write=access.CAMPAIGN_START)
def campaign_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """GET: the list (`monitoring.campaigns`); POST: start one (`monitoring.campaign_start`)."""
    organization = request.tenant.organization
    form = CampaignForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = service.campaign_create(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Кампания «%(t)s» начата.") % {"t": campaign.title})
            if not request.tenant.is_school:
                return redirect(
                    "monitoring:campaign_detail", org_slug=org_slug, campaign_id=campaign.pk
                )
            row = CampaignSchool.objects.get(campaign=campaign)
            return redirect(
                "monitoring:school_campaign", org_slug=org_slug, school_campaign_id=row.pk
            )
    # «?running=1»: the campaigns taking answers today (the home page's link).
    running = query_flag(request.GET, "running")
    if not request.tenant.is_school:
        campaigns = list(
            Campaign.objects.select_related("mentor_questionnaire", "mentee_questionnaire")
            .filter(purpose=Purpose.MONITORING)
            .filter(selectors.running() if running else Q())
        )
        totals = selectors.unscoped_campaign_totals([c.pk for c in campaigns])
        rows = [
            {
                "campaign": c,
                "progress": totals.get(c.pk, selectors.Progress()),
                "id": c.pk,
            }
            for c in campaigns
        ]
    else:
        school_rows = list(
            CampaignSchool.objects.select_related("campaign")
            .filter(campaign__purpose=Purpose.MONITORING)
            .filter(selectors.running("campaign__") if running else Q())
        )
        totals = selectors.school_totals([r.campaign_id for r in school_rows])
        rows = [
            {
                "campaign": r.campaign,
                "progress": totals.get(r.campaign_id, selectors.Progress()),
                "id": r.pk,
            }
            for r in school_rows
        ]
    context = {"rows": rows, "form": form, "running": running}
    return render(request, "monitoring/campaign_list.html", context)


@require_GET
@tenant_view(access.CAMPAIGN_READ)
def campaign_detail(request: HttpRequest, org_slug: str, campaign_id: int) -> HttpResponse:
    campaign = campaign_or_404(campaign_id)
    if request.tenant.is_region:
        return _regional_campaign(request, campaign)
    schools = selectors.unscoped_campaign_progress(campaign)
    total = selectors.Progress()
    for _school, progress in schools:
        total.invited += progress.invited
        total.responded += progress.responded
        total.revoked += progress.revoked
    context = {
        "campaign": campaign,
        "schools": schools,
        "total": total,
    }
    return render(request, "monitoring/campaign_detail.html", context)


def _regional_campaign(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """A region's campaign: response by municipality, and by school of the municipality
    chosen with `?municipality=<id>` (counts only, under 5 hidden)."""
    form = MunicipalityQuery(request.GET)
    municipality_id = valid_query(form).get("municipality")
    rates = unscoped_regional_campaign_rates(
        request.tenant.organization, campaign, municipality_id=municipality_id
    )
    if municipality_id is not None and rates.municipality is None:
        raise Http404(_("Муниципалитет не найден."))
    context = {"campaign": campaign, "rates": rates, "threshold": SUPPRESSION_THRESHOLD}
    return render(request, "monitoring/campaign_detail_region.html", context)


@require_POST
@tenant_view(access.CAMPAIGN_CLOSE)
def campaign_close(request: HttpRequest, org_slug: str, campaign_id: int) -> HttpResponse:
    campaign = campaign_or_404(campaign_id)
    try:
        service.campaign_close(actor=request.user, campaign=campaign)
        messages.success(request, _("Кампания завершена: ссылки больше не принимают ответы."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("monitoring:campaign_detail", org_slug=org_slug, campaign_id=campaign.pk)


@require_GET
@tenant_view(access.SCHOOL_CAMPAIGN_READ)
def school_campaign(request: HttpRequest, org_slug: str, school_campaign_id: int) -> HttpResponse:
    row = school_campaign_or_404(school_campaign_id)
    people, refused = selectors.school_people(row)
    progress = selectors.school_totals([row.campaign_id]).get(row.campaign_id, selectors.Progress())
    context = {
        "row": row,
        "campaign": row.campaign,
        "people": people,
        "refused": refused,
        "progress": progress,
        "not_invited": sum(p.invitation is None for p in people),
        "on_sheet": sum(
            1
            for p in people
            if p.invitation and p.invitation.channel == "print" and not p.invitation.responded_at
        ),
    }
    return render(request, "monitoring/school_campaign.html", context)


@require_POST
@tenant_view(access.INVITE)
def school_campaign_invite(
    request: HttpRequest, org_slug: str, school_campaign_id: int
) -> HttpResponse:
    row = school_campaign_or_404(school_campaign_id)
    try:
        result = service.campaign_invite(actor=request.user, campaign_school=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.created or result.restored:
            messages.success(
                request,
                _("Создано ссылок: %(n)s. Письма уходят: %(e)s. Для листа с QR-кодами: %(p)s.")
                % {
                    "n": result.created + result.restored,
                    "e": result.by_email,
                    "p": result.by_sheet,
                },
            )
        else:
            messages.info(request, _("Новых участников для приглашения нет."))
    return redirect("monitoring:school_campaign", org_slug=org_slug, school_campaign_id=row.pk)


def _qr_svg(link: str) -> str:
    # Inline SVG without size attributes: the print CSS sizes it in millimetres.
    return segno.make(link, error="m").svg_inline(scale=1, border=2, omitsize=True)


@require_GET
@tenant_view(access.INVITE)
def school_campaign_sheet(
    request: HttpRequest, org_slug: str, school_campaign_id: int
) -> HttpResponse:
    """A4 sheet of cut-out cards: name, questionnaire, QR code and the link written out.

    By default the links of people without e-mail; `?all=1` every link not yet answered.
    """
    row = school_campaign_or_404(school_campaign_id)
    everyone = query_flag(request.GET, "all")
    invitations = (
        Invitation.objects.filter(
            campaign=row.campaign, revoked_at__isnull=True, responded_at__isnull=True
        )
        .select_related("participant", "questionnaire")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    if not everyone:
        invitations = invitations.filter(channel="print")
    cards = []
    for invitation in invitations:
        link = public_link(invitation.token)
        cards.append(
            {
                "invitation": invitation,
                "link": link,
                "qr": mark_safe(_qr_svg(link)),  # noqa: S308 - segno's own markup, no user text
            }
        )
    context = {"row": row, "campaign": row.campaign, "cards": cards, "everyone": everyone}
    return render(request, "monitoring/sheet.html", context)
