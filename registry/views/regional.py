"""The region's programme bank and mentor base (counts): a named cross-tenant read
(registry/selectors/regional.py), at the region's address only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.query import page_of, valid_query
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.partners import RegionalBankFilterForm
from registry.models import MentoringForm
from registry.selectors.regional import (
    SUPPRESSION_THRESHOLD,
    unscoped_mentor_base_counts,
    unscoped_programme_bank,
)

BANK_PAGE = 50


@require_GET
@tenant_view(access.REGIONAL_BANK)
def regional_bank(request: HttpRequest, org_slug: str) -> HttpResponse:
    region = request.tenant.organization
    base, categories = unscoped_mentor_base_counts(region)
    form = RegionalBankFilterForm(
        request.GET or None,
        municipalities=[(row.municipality.pk, row.municipality.short_name) for row in base],
        forms_offered=list(MentoringForm.objects.values_list("pk", "name")),
    )
    filters = valid_query(form)
    programmes = unscoped_programme_bank(
        region, municipality_id=filters.get("municipality"), form_id=filters.get("form")
    )
    context = {
        "base": base,
        "categories": categories,
        "form": form,
        "page": page_of(Paginator(programmes, BANK_PAGE), request.GET),
        "threshold": SUPPRESSION_THRESHOLD,
    }
    return render(request, "registry/regional_bank.html", context)
