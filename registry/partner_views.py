"""Partner organisations of a municipality or a school, and the municipal mentor base.

Who may do what is read from registry/api/roles.py, the same map as the API's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.api import RolesByLevel, tenant_level
from mentorship.models import EDUCATIONAL_KINDS, OrganizationKind
from mentorship.tenancy.access import get_in_tenant_or_404, require_roles, tenant_view
from registry.api import roles
from registry.models import PartnerOrganization
from registry.partner_forms import MentorBaseFilterForm, PartnerForm
from registry.selectors.municipal import (
    unscoped_mentor_base,
    unscoped_municipal_partners,
    unscoped_school_counts,
)
from registry.services import partners as service
from registry.services.subject_rights import mentor_base_record_view

LEVELS = (OrganizationKind.MUNICIPALITY, *EDUCATIONAL_KINDS)
MENTOR_BASE_PAGE = 50


def _require(request: HttpRequest, rule: RolesByLevel) -> None:
    """The rule's roles at this organisation's level; a level it lacks has no page (404)."""
    allowed = rule.get(tenant_level(request.tenant))
    if not allowed:
        raise Http404(_("Такой страницы у этой организации нет."))
    require_roles(request, *allowed)


def _can(request: HttpRequest, rule: RolesByLevel) -> bool:
    return request.tenant.has_any(*rule.get(tenant_level(request.tenant), ()))


def _partner(partner_id: int) -> PartnerOrganization:
    # Only this organisation's own partners: a municipality's partner seen from a school
    # is read-only and has no page of its own there.
    return get_in_tenant_or_404(PartnerOrganization, pk=partner_id)


@require_GET
@tenant_view(*roles.all_roles(roles.PARTNERS_READ), kinds=LEVELS)
def partner_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    _require(request, roles.PARTNERS_READ)
    tenant = request.tenant
    context = {
        "partners": PartnerOrganization.objects.order_by("name", "pk"),
        "municipal_partners": (
            unscoped_municipal_partners(tenant.organization) if tenant.is_school else []
        ),
        "can_edit": _can(request, roles.PARTNERS_WRITE),
        "can_see_mentor_base": tenant.is_municipality and _can(request, roles.MENTOR_BASE),
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
@tenant_view(*roles.all_roles(roles.PARTNERS_WRITE), kinds=LEVELS)
def partner_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    _require(request, roles.PARTNERS_WRITE)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = _save(request, form, None)
        if partner is not None:
            messages.success(request, _("Организация-партнёр «%(n)s» добавлена.") % {"n": partner})
            return redirect("partner_list", org_slug=org_slug)
    return render(request, "registry/partners/form.html", {"form": form, "partner": None})


@require_http_methods(["GET", "POST"])
@tenant_view(*roles.all_roles(roles.PARTNERS_WRITE), kinds=LEVELS)
def partner_edit(request: HttpRequest, org_slug: str, partner_id: int) -> HttpResponse:
    _require(request, roles.PARTNERS_WRITE)
    partner = _partner(partner_id)
    initial = model_to_dict(partner, fields=service.PARTNER_FIELDS)
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, partner):
        messages.success(request, _("Изменения сохранены."))
        return redirect("partner_list", org_slug=org_slug)
    return render(request, "registry/partners/form.html", {"form": form, "partner": partner})


@require_POST
@tenant_view(*roles.all_roles(roles.PARTNERS_WRITE), kinds=LEVELS)
def partner_delete(request: HttpRequest, org_slug: str, partner_id: int) -> HttpResponse:
    _require(request, roles.PARTNERS_WRITE)
    partner = _partner(partner_id)
    try:
        service.partner_delete(actor=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partner_edit", org_slug=org_slug, partner_id=partner_id)
    messages.success(request, _("Организация-партнёр «%(n)s» удалена.") % {"n": partner.name})
    return redirect("partner_list", org_slug=org_slug)


@require_GET
@tenant_view(*roles.all_roles(roles.MENTOR_BASE), kinds=(OrganizationKind.MUNICIPALITY,))
def mentor_base(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Adult mentors of the schools who consented to the base, and suppressed counts."""
    _require(request, roles.MENTOR_BASE)
    municipality = request.tenant.organization
    counts = unscoped_school_counts(municipality)
    schools = [(row.school_id, row.school_name) for row in counts.rows]
    form = MentorBaseFilterForm(request.GET or None, schools=schools)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = unscoped_mentor_base(
        municipality,
        search=filters.get("q") or "",
        school_id=filters.get("school"),
        category=filters.get("category") or "",
    )
    page = Paginator(entries, MENTOR_BASE_PAGE).get_page(request.GET.get("page"))
    # Only the people on this page were shown: they are the ones the log names.
    mentor_base_record_view(
        actor=request.user,
        municipality=municipality,
        participant_ids=[(e.participant_id, e.school_id, e.full_name) for e in page],
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form, "counts": counts, "query": query.urlencode()}
    return render(request, "registry/mentor_base/page.html", context)
