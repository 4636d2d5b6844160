"""The school's mentoring programmes: the list, a programme's page with its pool and
pairs, creating, editing, closing and reopening one. Each write calls the same service
as the API (registry/services/programmes.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.conflicts import Conflict
from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.programmes import ProgrammeForm
from registry.models import Programme
from registry.selectors.programmes import programme_pairs, programme_rows, school_staff
from registry.services import programmes as service
from registry.services.matching import programme_pool
from registry.views.common import programme_or_404

# How many people of the pool the page names; the counts cover everyone.
POOL_SHOWN = 30


@require_GET
@tenant_view(access.PROGRAMMES_READ)
def programme_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    programmes = list(programme_rows())
    context = {
        "programmes": programmes,
        "has_closed": any(p.is_closed for p in programmes),
    }
    return render(request, "registry/programme_list.html", context)


def _pool_context(programme: Programme) -> dict:
    """The programme's pool as matching sees it (registry/services/matching.py): people
    who consented, of its form; mentees not in an open pair; mentors with free seats."""
    pool = programme_pool(programme)
    mentors = sorted(pool.mentors, key=lambda m: (m.capacity == 0, m.name))
    mentees = sorted(pool.mentees, key=lambda m: m.name)
    people = pool.people
    return {
        "pool": pool,
        "pool_mentors": [(people[m.id], m.capacity) for m in mentors[:POOL_SHOWN]],
        "pool_mentees": [people[m.id] for m in mentees[:POOL_SHOWN]],
        "mentors_total": len(mentors),
        "mentors_free": sum(1 for m in mentors if m.capacity),
        "seats_free": sum(m.capacity for m in mentors),
        "mentees_total": len(mentees),
        "ready_to_match": bool(mentees) and any(m.capacity for m in mentors),
    }


@require_GET
@tenant_view(access.PROGRAMMES_READ)
def programme_detail(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    context = {"programme": programme, "pairs": programme_pairs(programme)}
    # The pool names people: only the school's own staff see it (registry/access.py);
    # the municipality reads the programme and its pairs' counts.
    if access.PEOPLE_READ.permits(request.tenant) and not programme.is_closed:
        context.update(_pool_context(programme))
    return render(request, "registry/programme_detail.html", context)


def _form_page(
    request: HttpRequest, form: ProgrammeForm, programme: Programme | None, status: int = 0
):
    status = status or (400 if form.errors else 200)
    context = {"form": form, "programme": programme}
    return render(request, "registry/programme_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PROGRAMMES_WRITE)
def programme_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    staff = list(school_staff(request.tenant.organization))
    initial = {"mentor_capacity": 1}
    if any(u.pk == request.user.pk for u in staff):
        initial["responsible"] = request.user.pk
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, initial=initial, staff=staff
    )
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, None)
    try:
        programme = service.programme_create(
            actor=request.user, organization=request.tenant.organization, **form.cleaned_data
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _form_page(request, form, None, 409 if isinstance(error, Conflict) else 400)
    messages.success(
        request,
        _("Программа «%(name)s» создана. Дальше — участники и их согласия, затем подбор пар.")
        % {"name": programme.name},
    )
    return redirect("registry:programme_detail", org_slug=org_slug, programme_id=programme.pk)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PROGRAMMES_WRITE)
def programme_edit(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    if programme.is_closed:
        messages.error(
            request, _("Программа закрыта: чтобы изменить её, сначала возобновите программу.")
        )
        return redirect("registry:programme_detail", org_slug=org_slug, programme_id=programme.pk)
    staff = list(school_staff(request.tenant.organization))
    initial = {f: getattr(programme, f) for f in service.FIELDS}
    initial["responsible"] = programme.responsible_id
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, initial=initial, staff=staff
    )
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, programme)
    try:
        service.programme_update(actor=request.user, programme=programme, **form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _form_page(request, form, programme, 409 if isinstance(error, Conflict) else 400)
    messages.success(request, _("Изменения сохранены."))
    return redirect("registry:programme_detail", org_slug=org_slug, programme_id=programme.pk)


def _row_action(request: HttpRequest, programme: Programme, action, success: str):
    try:
        action(actor=request.user, programme=programme)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(
        "registry:programme_detail",
        org_slug=request.tenant.organization.slug,
        programme_id=programme.pk,
    )


@require_POST
@tenant_view(access.PROGRAMMES_WRITE)
def programme_close(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    return _row_action(
        request,
        programme,
        service.programme_close,
        _("Программа «%(name)s» закрыта: её пары и история сохранены.") % {"name": programme},
    )


@require_POST
@tenant_view(access.PROGRAMMES_WRITE)
def programme_reopen(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    return _row_action(
        request,
        programme,
        service.programme_reopen,
        _("Программа «%(name)s» снова открыта для подбора пар.") % {"name": programme},
    )
