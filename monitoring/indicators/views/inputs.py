"""What organisations enter: the contingent of a year (the denominators the registry does
not hold) and the organisation's own targets. Writes go through the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorship.tenancy.access import tenant_view
from monitoring.indicators import access
from monitoring.indicators.forms.inputs import ContingentForm, TargetsForm, YearForm
from monitoring.indicators.models import Contingent, Target
from monitoring.indicators.selectors.counts import unscoped_targets
from monitoring.indicators.services.inputs import contingent_save, targets_save


def _back_to_dashboard(org_slug: str, year: int) -> HttpResponse:
    return redirect(f"{reverse('indicators:dashboard', kwargs={'org_slug': org_slug})}?year={year}")


@require_http_methods(["GET", "POST"])
@tenant_view(access.CONTINGENT_EDIT)
def contingent(request: HttpRequest, org_slug: str) -> HttpResponse:
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
            return _back_to_dashboard(org_slug, year)
    context = {"form": form, "year": year, "year_form": YearForm(initial={"year": year})}
    return render(request, "indicators/contingent.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.TARGETS_READ, write=access.TARGETS_EDIT)
def targets(request: HttpRequest, org_slug: str) -> HttpResponse:
    """GET: the targets in force (`indicators.targets_read`); POST: the organisation's own
    (`indicators.targets_edit`)."""
    can_edit = access.TARGETS_EDIT.permits(request.tenant)
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
            return _back_to_dashboard(org_slug, year)
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
