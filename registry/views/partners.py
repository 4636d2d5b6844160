"""Partner organisations of a municipality or a school (registry/access.py: the school's
list is read by the municipality too; each level writes its own)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.partners import PartnerForm
from registry.models import PartnerOrganization
from registry.selectors.municipal import unscoped_municipal_partners
from registry.services import partners as service


def _partner(partner_id: int) -> PartnerOrganization:
    # Only this organisation's own partners: a municipality's partner seen from a school
    # is read-only and has no page of its own there.
    return get_in_tenant_or_404(PartnerOrganization, pk=partner_id)


@require_GET
@tenant_view(access.PARTNERS_READ)
def partner_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    context = {
        "partners": PartnerOrganization.objects.order_by("name", "pk"),
        "municipal_partners": (
            unscoped_municipal_partners(tenant.organization) if tenant.is_school else []
        ),
    }
    return render(request, "registry/partners/list.html", context)


def _save(request: HttpRequest, form: PartnerForm, partner: PartnerOrganization | None):
    """Call the service; its Russian ValidationError lands on the form's fields."""
    try:
        if partner is None:
            return service.partner_create(
                actor=request.user, organization=request.tenant.organization, **form.cleaned_data
            )
        return service.partner_update(actor=request.user, partner=partner, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@tenant_view(access.PARTNERS_WRITE)
def partner_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = _save(request, form, None)
        if partner is not None:
            messages.success(request, _("Организация-партнёр «%(n)s» добавлена.") % {"n": partner})
            return redirect("registry:partner_list", org_slug=org_slug)
    return render(request, "registry/partners/form.html", {"form": form, "partner": None})


@require_http_methods(["GET", "POST"])
@tenant_view(access.PARTNERS_WRITE)
def partner_edit(request: HttpRequest, org_slug: str, partner_id: int) -> HttpResponse:
    partner = _partner(partner_id)
    initial = model_to_dict(partner, fields=service.PARTNER_FIELDS)
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, partner):
        messages.success(request, _("Изменения сохранены."))
        return redirect("registry:partner_list", org_slug=org_slug)
    return render(request, "registry/partners/form.html", {"form": form, "partner": partner})


@require_POST
@tenant_view(access.PARTNERS_WRITE)
def partner_delete(request: HttpRequest, org_slug: str, partner_id: int) -> HttpResponse:
    partner = _partner(partner_id)
    try:
        service.partner_delete(actor=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:partner_edit", org_slug=org_slug, partner_id=partner_id)
    messages.success(request, _("Организация-партнёр «%(n)s» удалена.") % {"n": partner.name})
    return redirect("registry:partner_list", org_slug=org_slug)
