"""The region over its municipalities (issue 17): the year's submission of a municipality
(frozen beside live figures, «сдать отчёт», the region's return), the region's list of
who has submitted, and the review threads. Thin: reads from selectors/oversight.py,
writes through services/oversight.py, rules from access.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.models import Role
from mentorship.query import query_int
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from monitoring.indicators import access
from monitoring.indicators.forms.inputs import YearForm
from monitoring.indicators.forms.oversight import CommentForm, ReturnForm, ReviewOpenForm
from monitoring.indicators.models import Review, YearSubmission
from monitoring.indicators.selectors import oversight as selectors
from monitoring.indicators.services import oversight as services
from roadmaps.models import Roadmap


def _to_submission(org_slug: str, year: int) -> HttpResponse:
    url = reverse("indicators:submission", kwargs={"org_slug": org_slug})
    return redirect(f"{url}?year={year}")


@require_GET
@tenant_view(access.SUBMISSION)
def submission(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The municipality's year: as submitted (frozen) beside the live figures."""
    tenant = request.tenant
    year = YearForm.year_of(request.GET)
    found = YearSubmission.objects.filter(year=year).select_related("submitted_by").first()
    frozen = selectors.YearFigures.from_json(found.figures) if found else None
    live = selectors.unscoped_year_figures(tenant.organization, year)
    context = {
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "found": found,
        "rows": selectors.compare(frozen, live),
        "frozen_participants": selectors.participants_figure(frozen) if frozen else None,
        "live_participants": selectors.participants_figure(live),
        "live": live,
        "frozen": frozen,
        "can_submit": access.SUBMIT.permits(tenant) and not (found and found.is_submitted),
        "can_return": access.SUBMISSION_RETURN.permits(tenant) and found and found.is_submitted,
        "return_form": ReturnForm(),
        "reviews": selectors.reviews_of(year=year),
        "can_answer": access.REVIEW_ANSWER.permits(tenant),
    }
    return render(request, "indicators/submission.html", context)


@require_POST
@tenant_view(access.SUBMIT)
def submission_submit(request: HttpRequest, org_slug: str) -> HttpResponse:
    year = YearForm.year_of(request.POST)
    try:
        services.submission_submit(
            actor=request.user, municipality=request.tenant.organization, year=year
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Отчёт за %(y)s год сдан в регион: показатели зафиксированы.") % {"y": year}
        )
    return _to_submission(org_slug, year)


@require_POST
@tenant_view(access.SUBMISSION_RETURN)
def submission_return(request: HttpRequest, org_slug: str) -> HttpResponse:
    year = YearForm.year_of(request.POST)
    found = YearSubmission.objects.filter(year=year).first()
    form = ReturnForm(request.POST)
    if found is None:
        messages.error(
            request, _("Отчёт за %(y)s год ещё не сдан: возвращать нечего.") % {"y": year}
        )
    elif form.is_valid():
        try:
            services.submission_return(
                actor=request.user, submission=found, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Отчёт возвращён на доработку с комментарием."))
    else:
        messages.error(request, _("Напишите, что нужно доработать."))
    return _to_submission(org_slug, year)


@require_GET
@tenant_view(access.SUBMISSIONS)
def submissions(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The region: every municipality and where its year stands."""
    year = YearForm.year_of(request.GET)
    context = {
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "overview": selectors.unscoped_submissions_overview(request.tenant.organization, year),
    }
    return render(request, "indicators/submissions.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.REVIEWS, write=access.REVIEW_OPEN)
def reviews(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A municipality's threads (and, for the region, a form to open one); at the region
    the threads of all its municipalities. `?roadmap=` or `?year=` narrow the list."""
    tenant = request.tenant
    roadmap_id = query_int(request.GET, "roadmap")
    year = query_int(request.GET, "year")
    if tenant.is_region:
        context = {"threads": selectors.unscoped_region_reviews(tenant.organization)}
        return render(request, "indicators/reviews.html", context)
    roadmaps = Roadmap.objects.filter(origin__isnull=True).order_by("-period_start", "title")
    form = ReviewOpenForm(
        request.POST or None, roadmaps=roadmaps, initial={"roadmap": roadmap_id, "year": year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_open(
                actor=request.user, municipality=tenant.organization, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Замечание отправлено муниципалитету."))
            return redirect("indicators:review", org_slug=org_slug, review_id=review.pk)
    context = {
        "threads": selectors.reviews_of(roadmap_id=roadmap_id, year=year),
        "form": form if access.REVIEW_OPEN.permits(tenant) else None,
    }
    return render(request, "indicators/reviews.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.REVIEWS, write=access.REVIEW_ANSWER)
def review(request: HttpRequest, org_slug: str, review_id: int) -> HttpResponse:
    """One thread; the municipality answers it, the region adds to it."""
    tenant = request.tenant
    thread = get_in_tenant_or_404(Review.objects.select_related("roadmap"), pk=review_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_comment(
                actor=request.user,
                review=thread,
                text=form.cleaned_data["text"],
                from_region=tenant.has_any(Role.REGIONAL),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Сообщение добавлено."))
            return redirect("indicators:review", org_slug=org_slug, review_id=thread.pk)
    context = {
        "thread": thread,
        "comments": list(thread.comments.select_related("author")),
        "form": form if access.REVIEW_ANSWER.permits(tenant) else None,
    }
    return render(request, "indicators/review.html", context)
