"""The dashboard of each level, its xlsx export and the request of the PDF report. Thin:
reads come from the selectors, documents through the document pipeline. Who may open
what: the named rules of monitoring/indicators/access.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship.documents.services import document_request
from mentorship.tenancy.access import tenant_view
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import MUNICIPALITY, REGION, SCHOOL, level_of
from monitoring.indicators import access
from monitoring.indicators.documents.regional import REGIONAL_REPORT
from monitoring.indicators.forms.inputs import YearForm
from monitoring.indicators.selectors import reports, results
from monitoring.indicators.selectors.dashboards import Dashboard, unscoped_dashboard
from monitoring.indicators.views import exports

REPORT_KINDS = {
    SCHOOL: reports.SCHOOL_REPORT,
    MUNICIPALITY: reports.MUNICIPAL_REPORT,
    REGION: REGIONAL_REPORT,
}


def _dashboard(tenant: TenantContext, year: int) -> Dashboard:
    return unscoped_dashboard(tenant.organization, year, exact=access.EXACT.permits(tenant))


@require_GET
@tenant_view(access.DASHBOARD)
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    level = level_of(tenant.organization)
    year = YearForm.year_of(request.GET)
    context = {
        "board": _dashboard(tenant, year),
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "campaign_links": _campaign_links(tenant, year),
    }
    return render(request, f"indicators/dashboard_{level}.html", context)


def _campaign_links(tenant: TenantContext, year: int) -> list[tuple[str, str]]:
    """(title, results URL) of the year's campaigns, read in the tenant's own scope."""
    slug = tenant.organization.slug
    if tenant.is_school and access.SCHOOL_RESULTS.permits(tenant):
        return [
            (
                str(row.campaign),
                reverse(
                    "indicators:school_campaign_results",
                    kwargs={"org_slug": slug, "school_campaign_id": row.pk},
                ),
            )
            for row in results.school_campaigns_of_year(year)
        ]
    if tenant.is_municipality and access.RESULTS.permits(tenant):
        return [
            (
                str(c),
                reverse(
                    "indicators:campaign_results", kwargs={"org_slug": slug, "campaign_id": c.pk}
                ),
            )
            for c in results.campaigns_of_year(year)
        ]
    return []


@require_GET
@tenant_view(access.DASHBOARD)
def export(request: HttpRequest, org_slug: str) -> HttpResponse:
    year = YearForm.year_of(request.GET)
    if request.tenant.is_region:
        # The region's tables are its whole report: the roll-up and campaigns too.
        return exports.regional_workbook_response(request.tenant.organization, year)
    board = _dashboard(request.tenant, year)
    return exports.workbook_response(reports.report_data(board))


@require_POST
@tenant_view(access.REPORT)
def report(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Ask the document pipeline for the school's or the municipal report of a year."""
    code = REPORT_KINDS[level_of(request.tenant.organization)]
    year = YearForm.year_of(request.POST)
    document = document_request(
        actor=request.user,
        organization=request.tenant.organization,
        kind=code,
        params={"year": year},
        title=reports.title(code, year),
    )
    messages.success(request, _("Отчёт поставлен в очередь на формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
