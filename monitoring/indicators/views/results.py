"""Pages of a campaign's results: the municipality's over its schools, a school's own.

A municipality opens its campaign by id; a school opens a municipal campaign through its
own CampaignSchool row (as the monitoring pages do), or its own campaign by id. Figures
only: who answered what is never shown, to anyone.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from monitoring.indicators import access
from monitoring.indicators.selectors.counts import unscoped_campaign_schools
from monitoring.indicators.selectors.growth import unscoped_growth
from monitoring.indicators.selectors.results import unscoped_campaign_results
from monitoring.models import Campaign, CampaignSchool


def _page(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    organization = request.tenant.organization
    municipal = request.tenant.is_municipality
    schools = unscoped_campaign_schools(campaign.pk) if municipal else [organization]
    # Each participant's growth: the school's own staff only, at the school's address.
    names = not municipal and access.EXACT.permits(request.tenant)
    context = {
        "campaign": campaign,
        "results": unscoped_campaign_results(campaign, schools, per_school=municipal),
        "growth": unscoped_growth(campaign, schools, per_school=municipal, with_names=names),
        "municipal": municipal,
        "year": campaign.starts_on.year,
    }
    return render(request, "indicators/results.html", context)


@require_GET
@tenant_view(access.RESULTS)
def campaign_results(request: HttpRequest, org_slug: str, campaign_id: int) -> HttpResponse:
    """The organisation's own campaign: a municipality's over its schools, a school's own."""
    campaign = get_in_tenant_or_404(
        Campaign.objects.select_related("mentee_questionnaire", "mentor_questionnaire"),
        pk=campaign_id,
    )
    return _page(request, campaign)


@require_GET
@tenant_view(access.SCHOOL_RESULTS)
def school_campaign_results(
    request: HttpRequest, org_slug: str, school_campaign_id: int
) -> HttpResponse:
    """A municipal campaign as the school answered it."""
    row = get_in_tenant_or_404(
        CampaignSchool.objects.select_related(
            "campaign__mentee_questionnaire", "campaign__mentor_questionnaire"
        ),
        pk=school_campaign_id,
    )
    return _page(request, row.campaign)
