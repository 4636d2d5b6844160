"""Pages of the indicators: the dashboard of each level, the contingent and target forms,
the xlsx export and the request of the PDF report. Thin: reads come from `dashboards`,
writes go through `services`, documents through the document pipeline.

`tenant_view()` checks the login and the organisation; the roles are checked per level
by `access.require`, so a level where a page does not exist answers 404, not 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.documents import kinds
from mentorship.documents.services import document_request
from mentorship.tenancy.access import require_roles, tenant_view
from mentorship.tenancy.rules import MUNICIPALITY, SCHOOL
from monitoring.indicators import access, exports, reports, results
from monitoring.indicators.dashboards import (
    school_dashboard,
    unscoped_municipal_dashboard,
    unscoped_regional_dashboard,
)
from monitoring.indicators.forms import ContingentForm, TargetsForm, YearForm
from monitoring.indicators.models import Contingent, Target
from monitoring.indicators.selectors import unscoped_targets
from monitoring.indicators.services import contingent_save, targets_save

REPORT_KINDS = {SCHOOL: reports.SCHOOL_REPORT, MUNICIPALITY: reports.MUNICIPAL_REPORT}


def _dashboard(request: HttpRequest, level: str, year: int):
    organization = request.tenant.organization
    if level == SCHOOL:
        exact = request.tenant.has_any(*access.EXACT_ROLES)
        return school_dashboard(organization, year, exact=exact)
    if level == MUNICIPALITY:
        return unscoped_municipal_dashboard(organization, year)
    return unscoped_regional_dashboard(organization, year)


def _report_kind(request: HttpRequest, level: str) -> kinds.DocumentKind | None:
    code = REPORT_KINDS.get(level)
    if code is None:
        return None
    kind = kinds.get(code)
    return kind if request.tenant.has_any(*kind.roles) else None


@require_GET
@tenant_view()
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    level = access.require(request, access.DASHBOARD)
    year = YearForm.year_of(request.GET)
    context = {
        "board": _dashboard(request, level, year),
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "can_edit_contingent": access.can(request, access.CONTINGENT_EDIT),
        # A methodist enters a school's contingent at the school's address.
        "can_edit_school_contingents": level == MUNICIPALITY
        and request.tenant.has_any(*access.CONTINGENT_EDIT[SCHOOL]),
        "can_see_targets": access.can(request, access.TARGETS_READ),
        "report_kind": _report_kind(request, level),
        "campaign_links": _campaign_links(level, year, org_slug),
    }
    return render(request, f"indicators/dashboard_{level}.html", context)


def _campaign_links(level: str, year: int, org_slug: str) -> list[tuple[str, str]]:
    """(title, results URL) of the year's campaigns, read in the tenant's own scope."""
    if level == SCHOOL:
        return [
            (
                str(row.campaign),
                reverse(
                    "school_campaign_results",
                    kwargs={"org_slug": org_slug, "school_campaign_id": row.pk},
                ),
            )
            for row in results.school_campaigns_of_year(year)
        ]
    if level == MUNICIPALITY:
        return [
            (
                str(c),
                reverse("campaign_results", kwargs={"org_slug": org_slug, "campaign_id": c.pk}),
            )
            for c in results.campaigns_of_year(year)
        ]
    return []


@require_GET
@tenant_view()
def export(request: HttpRequest, org_slug: str) -> HttpResponse:
    level = access.require(request, access.DASHBOARD)
    year = YearForm.year_of(request.GET)
    board = _dashboard(request, level, year)
    return exports.workbook_response(reports.report_data(board))


@require_http_methods(["GET", "POST"])
@tenant_view()
def contingent(request: HttpRequest, org_slug: str) -> HttpResponse:
    access.require(request, access.CONTINGENT_EDIT)
    organization = request.tenant.organization
    year = YearForm.year_of(request.POST if request.method == "POST" else request.GET)
    instance = Contingent.objects.filter(year=year).first()
    form = ContingentForm(request.POST or None, organization=organization, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            contingent_save(
                actor=request.user, organization=organization, year=year, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Контингент на %(y)s год сохранён.") % {"y": year})
            return redirect(f"{reverse('indicators', kwargs={'org_slug': org_slug})}?year={year}")
    context = {"form": form, "year": year, "year_form": YearForm(initial={"year": year})}
    return render(request, "indicators/contingent.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view()
def targets(request: HttpRequest, org_slug: str) -> HttpResponse:
    access.require(request, access.TARGETS_READ)
    can_edit = access.can(request, access.TARGETS_EDIT)
    if request.method == "POST":
        access.require(request, access.TARGETS_EDIT)
    organization = request.tenant.organization
    year = YearForm.year_of(request.POST if request.method == "POST" else request.GET)
    own = dict(Target.objects.filter(year=year).values_list("indicator", "percent"))
    inherited = unscoped_targets(organization.parent)
    form = TargetsForm(
        request.POST or None,
        own=own,
        inherited=inherited,
        year=year,
        regional=request.tenant.is_region,
    )
    if request.method == "POST" and form.is_valid():
        try:
            targets_save(
                actor=request.user, organization=organization, year=year, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Целевые значения на %(y)s год сохранены.") % {"y": year})
            return redirect(f"{reverse('indicators', kwargs={'org_slug': org_slug})}?year={year}")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "form": form,
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "can_edit": can_edit,
    }
    return render(request, "indicators/targets.html", context)


@require_POST
@tenant_view()
def report(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Ask the document pipeline for the school's or the municipal report of a year."""
    level = access.require(request, access.DASHBOARD)
    code = REPORT_KINDS.get(level)
    if code is None:
        raise Http404(_("Отчёт региона собирается из отчётов муниципалитетов."))
    kind = kinds.get(code)
    require_roles(request, *kind.roles)
    year = YearForm.year_of(request.POST)
    document = document_request(
        actor=request.user,
        organization=request.tenant.organization,
        kind=kind.code,
        params={"year": year},
        title=reports.title(kind.code, year),
    )
    messages.success(request, _("Отчёт поставлен в очередь на формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
