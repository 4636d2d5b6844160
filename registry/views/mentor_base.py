"""The municipal mentor base: adult mentors of the municipality's schools who consented
to it, and the schools' suppressed counts. A named cross-tenant read
(registry/selectors/municipal.py), at the municipality's address only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.query import page_of, valid_query
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.partners import MentorBaseFilterForm
from registry.selectors.municipal import unscoped_mentor_base, unscoped_school_counts
from registry.selectors.school import unscoped_completed_courses
from registry.services.subject_rights import mentor_base_record_view

MENTOR_BASE_PAGE = 50


@require_GET
@tenant_view(access.MENTOR_BASE)
def mentor_base(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Adult mentors of the schools who consented to the base, and suppressed counts."""
    municipality = request.tenant.organization
    counts = unscoped_school_counts(municipality)
    schools = [(row.school_id, row.school_name) for row in counts.rows]
    form = MentorBaseFilterForm(request.GET or None, schools=schools)
    filters = valid_query(form)
    entries = unscoped_mentor_base(
        municipality,
        search=filters.get("q") or "",
        school_id=filters.get("school"),
        category=filters.get("category") or "",
    )
    page = page_of(Paginator(entries, MENTOR_BASE_PAGE), request.GET)
    # Only the people on this page were shown: they are the ones the log names.
    mentor_base_record_view(
        actor=request.user,
        municipality=municipality,
        participant_ids=[(e.participant_id, e.school_id, e.full_name) for e in page],
    )
    training = unscoped_completed_courses([e.participant_id for e in page], municipality)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": [(e, training.get(e.participant_id, [])) for e in page],
        "page": page,
        "form": form,
        "counts": counts,
        "query": query.urlencode(),
    }
    return render(request, "registry/mentor_base/page.html", context)
