"""The organisations one level down (/o/<slug>/organizations/): a municipality's schools
for its methodist, a region's municipalities for the regional centre. List, add, edit,
close a merged one, reopen one closed by mistake. Each write calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship import access, selectors
from mentorship.forms import apply_service_errors
from mentorship.forms.organizations import OrganizationForm
from mentorship.models import Organization, OrganizationKind
from mentorship.services import organizations as service
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from mentorship.views.actions import run_row_action

__all__ = [
    "organization_close",
    "organization_create",
    "organization_edit",
    "organization_list",
    "organization_reopen",
]


def _child(request: HttpRequest, organization_id: int) -> Organization:
    """An organisation directly under the tenant's; any other is not found."""
    return get_in_tenant_or_404(
        Organization.objects.filter(parent=request.tenant.organization).select_related("parent"),
        pk=organization_id,
    )


def _new_child(parent: Organization) -> Organization:
    kind = (
        OrganizationKind.MUNICIPALITY
        if parent.kind == OrganizationKind.REGION
        else OrganizationKind.SCHOOL
    )
    return Organization(parent=parent, kind=kind)


@require_GET
@tenant_view(access.ORGANIZATIONS_MANAGE)
def organization_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    parent = request.tenant.organization
    context = {
        "organization": parent,
        "children": selectors.children_with_staff(parent),
        "closed": list(selectors.closed_children_of(parent)),
        "of_schools": parent.kind == OrganizationKind.MUNICIPALITY,
    }
    return render(request, "mentorship/organizations/list.html", context)


def _form_page(request, form, status=200) -> HttpResponse:
    context = {"organization": request.tenant.organization, "form": form}
    return render(request, "mentorship/organizations/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(access.ORGANIZATIONS_MANAGE)
def organization_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    parent = request.tenant.organization
    form = OrganizationForm(request.POST or None, instance=_new_child(parent))
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, status=400 if form.errors else 200)
    data = dict(form.cleaned_data)
    kind = data.pop("kind", form.instance.kind)
    try:
        child = service.organization_create(actor=request.user, kind=kind, parent=parent, **data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form, status=400)
    messages.success(request, _("«%(name)s» добавлена.") % {"name": child.short_name})
    if child.kind == OrganizationKind.MUNICIPALITY:
        # What the regional centre does next: invite the municipality's methodist.
        messages.info(request, _("Пригласите методиста и сотрудников управления образования."))
        return redirect("staff_list", org_slug=child.slug)
    return redirect("organization_list", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
@tenant_view(access.ORGANIZATIONS_MANAGE)
def organization_edit(request: HttpRequest, org_slug: str, organization_id: int) -> HttpResponse:
    child = _child(request, organization_id)
    form = OrganizationForm(request.POST or None, instance=child)
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, status=400 if form.errors else 200)
    # The form changed the instance while validating; the service compares and writes.
    fresh = Organization.objects.get(pk=child.pk)
    try:
        service.organization_update(actor=request.user, organization=fresh, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form, status=400)
    messages.success(request, _("Данные «%(name)s» сохранены.") % {"name": fresh.short_name})
    return redirect("organization_list", org_slug=org_slug)


@require_POST
@tenant_view(access.ORGANIZATIONS_MANAGE)
def organization_close(request: HttpRequest, org_slug: str, organization_id: int) -> HttpResponse:
    child = _child(request, organization_id)
    return run_row_action(
        request,
        lambda: service.organization_close(actor=request.user, organization=child),
        _("«%(name)s» закрыта: её данные сохранены, в списках её больше нет.")
        % {"name": child.short_name},
        "organization_list",
    )


@require_POST
@tenant_view(access.ORGANIZATIONS_MANAGE)
def organization_reopen(request: HttpRequest, org_slug: str, organization_id: int) -> HttpResponse:
    child = _child(request, organization_id)
    return run_row_action(
        request,
        lambda: service.organization_reopen(actor=request.user, organization=child),
        _("«%(name)s» снова работает.") % {"name": child.short_name},
        "organization_list",
    )
