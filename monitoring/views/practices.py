"""The bank of best practices: the school's practices and their review, the municipal bank.

At a school: its practices (every state) with the answered curator's reports that can
propose one, a practice's page with what comes next for whoever opens it (the curator
edits and submits, the methodist accepts, returns or passes it to the region), the
form, and the materials' downloads. At a municipality (and, read-only, at its schools):
the municipal bank, searchable by form, direction and year, and the methodist's queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship import audit
from mentorship.conflicts import Conflict
from mentorship.forms import apply_service_errors
from mentorship.http import stored_file_download
from mentorship.models import Role
from mentorship.query import page_of, query_int
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from monitoring import access
from monitoring.forms.practices import (
    PracticeFilter,
    PracticeForm,
    ReviewForm,
    SchoolPracticeFilter,
)
from monitoring.models import Practice, PracticeFile, Response
from monitoring.selectors import practices as selectors
from monitoring.services import practices as service

PAGE_SIZE = 30


def _practice(practice_id: int) -> Practice:
    return get_in_tenant_or_404(
        Practice.objects.select_related("form", "reviewed_by", "created_by"), pk=practice_id
    )


def _detail(org_slug: str, practice: Practice):
    return redirect("monitoring:practice_detail", org_slug=org_slug, practice_id=practice.pk)


@require_GET
@tenant_view(access.PRACTICES_READ)
def practice_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    forms_choices = selectors.form_choices()
    filterset = SchoolPracticeFilter(
        request.GET, queryset=selectors.school_practices(), forms_choices=forms_choices
    )
    practices = filterset.qs if filterset.is_valid() else selectors.school_practices().none()
    context = {
        "filter": filterset,
        "page": page_of(Paginator(practices, PAGE_SIZE), request.GET),
        "reports": selectors.curator_reports()
        if access.PRACTICES_WRITE.permits(request.tenant)
        else [],
    }
    return render(request, "monitoring/practices/list.html", context)


def _form_page(request, form, practice: Practice | None, response: Response | None = None):
    context = {"form": form, "practice": practice, "source_response": response}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/practices/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PRACTICES_WRITE)
def practice_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A new draft; `?response=<id>` prefills it from an answered curator's report."""
    response = None
    initial = {}
    response_id = query_int(request.GET, "response") or query_int(request.POST, "response")
    if response_id:
        response = get_in_tenant_or_404(
            Response.objects.select_related("questionnaire"), pk=response_id
        )
        try:
            initial = selectors.practice_initial_from_report(response)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("monitoring:practice_list", org_slug=org_slug)
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        forms_choices=selectors.form_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            practice = service.practice_create(
                actor=request.user,
                organization=request.tenant.organization,
                source_response=response,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Черновик практики сохранён. Проверьте его и отправьте методисту.")
            )
            return _detail(org_slug, practice)
    return _form_page(request, form, None, response)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PRACTICES_WRITE)
def practice_edit(request: HttpRequest, org_slug: str, practice_id: int) -> HttpResponse:
    practice = _practice(practice_id)
    if not practice.is_editable:
        messages.error(
            request, _("Практика отправлена методисту: изменить её можно, только если её вернут.")
        )
        return _detail(org_slug, practice)
    initial = {
        "title": practice.title,
        "form": practice.form_id,
        "category": practice.category,
        "year": practice.year,
        "description": practice.description,
        "results": practice.results,
    }
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        forms_choices=selectors.form_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.practice_update(actor=request.user, practice=practice, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return _detail(org_slug, practice)
    return _form_page(request, form, practice)


@require_GET
@tenant_view(access.PRACTICES_READ)
def practice_detail(request: HttpRequest, org_slug: str, practice_id: int) -> HttpResponse:
    practice = _practice(practice_id)
    context = {
        "practice": practice,
        "files": list(practice.files.all()),
        "review_form": ReviewForm(),
    }
    return render(request, "monitoring/practices/detail.html", context)


def _step(request: HttpRequest, org_slug: str, practice: Practice, run, done: str):
    try:
        run()
    except ValidationError as error:  # Conflict included: the state moved on
        messages.error(request, " ".join(error.messages))
        return _detail(org_slug, practice)
    messages.success(request, done)
    return _detail(org_slug, practice)


@require_POST
@tenant_view(access.PRACTICES_WRITE)
def practice_submit(request: HttpRequest, org_slug: str, practice_id: int) -> HttpResponse:
    practice = _practice(practice_id)
    return _step(
        request,
        org_slug,
        practice,
        lambda: service.practice_submit(actor=request.user, practice=practice),
        _("Практика отправлена методисту на рассмотрение."),
    )


@require_POST
@tenant_view(access.PRACTICE_REVIEW)
def practice_review(request: HttpRequest, org_slug: str, practice_id: int) -> HttpResponse:
    practice = _practice(practice_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        context = {"practice": practice, "files": list(practice.files.all()), "review_form": form}
        return render(request, "monitoring/practices/detail.html", context, status=400)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "accept":
        run = lambda: service.practice_accept(  # noqa: E731
            actor=request.user, practice=practice, comment=comment
        )
        done = _("Практика принята в муниципальный банк.")
    else:
        run = lambda: service.practice_return(  # noqa: E731
            actor=request.user, practice=practice, comment=comment
        )
        done = _("Практика возвращена школе с замечаниями.")
    try:
        run()
    except Conflict as error:
        messages.error(request, " ".join(error.messages))
        return _detail(org_slug, practice)
    except ValidationError as error:
        apply_service_errors(form, error)
        context = {"practice": practice, "files": list(practice.files.all()), "review_form": form}
        return render(request, "monitoring/practices/detail.html", context, status=400)
    messages.success(request, done)
    return _detail(org_slug, practice)


@require_POST
@tenant_view(access.PRACTICE_REVIEW)
def practice_pass_to_region(request: HttpRequest, org_slug: str, practice_id: int) -> HttpResponse:
    practice = _practice(practice_id)
    return _step(
        request,
        org_slug,
        practice,
        lambda: service.practice_pass_to_region(actor=request.user, practice=practice),
        _("Практика передана в региональный банк."),
    )


@require_POST
@tenant_view(access.PRACTICES_WRITE)
def practice_file_delete(
    request: HttpRequest, org_slug: str, practice_id: int, file_id: int
) -> HttpResponse:
    practice = _practice(practice_id)
    stored = get_in_tenant_or_404(PracticeFile, pk=file_id, practice=practice)
    return _step(
        request,
        org_slug,
        practice,
        lambda: service.practice_file_delete(actor=request.user, practice_file=stored),
        _("Материал удалён."),
    )


@require_GET
@tenant_view(access.PRACTICES_READ)
def practice_file(request: HttpRequest, org_slug: str, practice_id: int, file_id: int):
    """A material, only through the tenant: media files are never public."""
    stored = get_in_tenant_or_404(
        PracticeFile.objects.select_related("practice"), pk=file_id, practice_id=practice_id
    )
    audit.record(
        actor=request.user,
        organization=request.tenant.organization,
        action="practice.file_download",
        obj=stored.practice,
        file=stored.name,
    )
    return stored_file_download(stored.file)


@require_GET
@tenant_view(access.PRACTICE_BANK)
def practice_bank(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The municipal bank: at the municipality, and read from its schools."""
    tenant = request.tenant
    municipality = tenant.organization if tenant.is_municipality else tenant.organization.parent
    bank = selectors.unscoped_municipal_bank(municipality).order_by("-year", "title", "pk")
    filterset = PracticeFilter(request.GET, queryset=bank, forms_choices=selectors.form_choices())
    practices = filterset.qs if filterset.is_valid() else bank.none()
    queue = (
        selectors.unscoped_review_queue(municipality)
        if tenant.is_municipality and tenant.has_any(Role.METHODIST)
        else []
    )
    context = {
        "municipality": municipality,
        "filter": filterset,
        "page": page_of(Paginator(practices, PAGE_SIZE), request.GET),
        "queue": queue,
        # The school's page of a practice is open to the municipality's roles.
        "links": tenant.is_municipality,
    }
    return render(request, "monitoring/practices/bank.html", context)
