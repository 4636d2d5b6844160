"""The region's own pages: the roll-up of its municipalities and the federal form.
Thin: figures come from monitoring/indicators/selectors/regional.py and federal.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.tenancy.access import tenant_view
from monitoring.indicators import access
from monitoring.indicators.forms.inputs import QuarterForm, YearForm
from monitoring.indicators.selectors.federal import unscoped_federal_form
from monitoring.indicators.selectors.regional import unscoped_regional_rollup
from monitoring.indicators.views import exports


@require_GET
@tenant_view(access.ROLLUP)
def rollup(request: HttpRequest, org_slug: str) -> HttpResponse:
    year = YearForm.year_of(request.GET)
    context = {
        "rollup": unscoped_regional_rollup(request.tenant.organization, year),
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "quarter_form": QuarterForm(initial={"year": year, "quarter": 1}),
    }
    return render(request, "indicators/rollup.html", context)


@require_GET
@tenant_view(access.FEDERAL_FORM)
def federal_form(request: HttpRequest, org_slug: str) -> HttpResponse:
    year, quarter = QuarterForm.period_of(request.GET)
    form = unscoped_federal_form(request.tenant.organization, year, quarter)
    return exports.federal_form_response(form)
