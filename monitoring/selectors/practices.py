"""Reads of the bank of best practices.

A school reads its own practices in its scope. The municipal bank (accepted practices
of the municipality's schools), the methodist's review queue and the regional list
read across schools: they are named `unscoped_…`/`practices_passed_to_region`, filter
by the municipality (or region) kept on the row, and carry no pupil's data — a
practice is a method its school chose to share.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.models import Kind, Practice, PracticeStatus, Response
from registry.models import MentoringForm


def _listed(queryset: QuerySet[Practice]) -> QuerySet[Practice]:
    return queryset.select_related("form", "organization").annotate(file_count=Count("files"))


def school_practices() -> QuerySet[Practice]:
    """The current school's practices, every state (the tenant scope is the filter)."""
    return _listed(Practice.objects.all()).order_by("-updated_at", "-pk")


def unscoped_municipal_bank(municipality: Organization) -> QuerySet[Practice]:
    """The municipal bank: accepted practices of the municipality's schools.

    Built outside the tenant scope (django-scopes filters when a queryset is made, not
    when it is read), so the caller may filter, paginate and read it in its own scope.
    """
    with unscoped_reads():
        return _listed(
            Practice.objects.filter(municipality=municipality, status=PracticeStatus.ACCEPTED)
        )


def unscoped_review_queue(municipality: Organization) -> list[Practice]:
    """Practices of the municipality's schools waiting for the methodist, oldest first."""
    with unscoped_reads():
        return list(
            _listed(
                Practice.objects.filter(municipality=municipality, status=PracticeStatus.SUBMITTED)
            ).order_by("submitted_at", "pk")
        )


def practices_passed_to_region(region: Organization) -> list[Practice]:
    """Practices the region's municipalities passed to the regional bank, newest first.

    For the regional programme bank (issue 17): the municipality and school come along
    (select_related), as do the form and the number of materials.
    """
    with unscoped_reads():
        return list(
            _listed(
                Practice.objects.filter(
                    municipality__parent=region,
                    status=PracticeStatus.ACCEPTED,
                    passed_to_region_at__isnull=False,
                )
            )
            .select_related("municipality")
            .order_by("-passed_to_region_at", "-pk")
        )


def year_choices(practices: QuerySet[Practice]) -> list[int]:
    return sorted(set(practices.values_list("year", flat=True)), reverse=True)


def form_choices() -> list[tuple[int, str]]:
    return list(MentoringForm.objects.order_by("ordering", "name").values_list("pk", "name"))


# --- The curator's report --------------------------------------------------------------


def curator_reports() -> list[Response]:
    """The school's answered curator's reports, newest first: each may propose a
    practice (the practices page shows a button per report)."""
    return list(
        Response.objects.filter(questionnaire__kind=Kind.CURATOR_REPORT)
        .select_related("questionnaire", "campaign")
        .order_by("-submitted_at", "-pk")[:20]
    )


def practice_initial_from_report(response: Response) -> dict[str, Any]:
    """The fields of a practice draft read off a curator's report: the proposed
    practices as the title and description, the period's results, the first form named
    there that the portal knows, the report's year. The curator completes them.

    Reads the answers by the standard questionnaire's codes (`best_practices`,
    `results_summary`, `forms`), which copies of it keep.
    """
    if response.questionnaire.kind != Kind.CURATOR_REPORT:
        raise ValidationError(_("Практику можно предложить только из отчёта куратора."))
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    proposed = answers.get("best_practices")
    proposed_text = proposed.text.strip() if proposed else ""
    results = answers.get("results_summary")
    initial: dict[str, Any] = {
        "title": proposed_text.splitlines()[0][:300] if proposed_text else "",
        "description": proposed_text,
        "results": results.text.strip() if results else "",
        "year": timezone.localtime(response.submitted_at).year,
    }
    forms = answers.get("forms")
    if forms and forms.choices:
        options = forms.question.options or []
        names = [options[i] for i in forms.choices if isinstance(i, int) and 0 <= i < len(options)]
        if names:
            form = MentoringForm.objects.filter(name__in=names).order_by("ordering", "pk").first()
            if form is not None:
                initial["form"] = form.pk
    return initial
