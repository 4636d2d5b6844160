"""The school's report and the consolidated municipal report as document kinds.

`params["year"]` is the reporting year; the web form of the documents list sends no
parameters, so the document's date gives the year then, and `manage.py render_document
… --year YYYY` passes it as a string (and dates the document 31 December of a past year).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship import events
from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import EDUCATIONAL_KINDS, Document, OrganizationKind
from mentorship.tenancy.rules import MUNICIPALITY, SCHOOL
from monitoring.indicators import access
from monitoring.indicators.definitions import DEFINITIONS, FIRST_YEAR, SUPPRESSION_THRESHOLD
from monitoring.indicators.selectors.dashboards import (
    school_dashboard,
    unscoped_municipal_dashboard,
)
from monitoring.indicators.selectors.reports import MUNICIPAL_REPORT, SCHOOL_REPORT, report_data


def report_year(document: Document) -> int:
    raw = document.params.get("year", document.date.year)
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise DocumentDataError(_("Год отчёта указан неверно: «%(y)s».") % {"y": raw}) from None
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise DocumentDataError(
            _("Отчёт формируется за годы с %(first)s по %(last)s.")
            % {"first": FIRST_YEAR, "last": last}
        )
    return year


def _common(year: int) -> dict[str, Any]:
    return {
        "year": year,
        "threshold": SUPPRESSION_THRESHOLD,
        "definitions": list(DEFINITIONS.values()),
    }


def build_school_context(document: Document) -> dict[str, Any]:
    organization = document.organization
    if not organization.is_educational:
        raise DocumentDataError(_("Отчёт школы формирует образовательная организация."))
    year = report_year(document)
    # Suppressed as above the school: the report is filed with the department.
    board = school_dashboard(organization, year, exact=False)
    return {**_common(year), "data": report_data(board)}


def build_municipal_context(document: Document) -> dict[str, Any]:
    organization = document.organization
    if organization.kind != OrganizationKind.MUNICIPALITY:
        raise DocumentDataError(_("Итоговый отчёт формирует муниципалитет."))
    year = report_year(document)
    board = unscoped_municipal_dashboard(organization, year)
    if not board.rows:
        raise DocumentDataError(_("В муниципалитете нет образовательных организаций."))
    return {**_common(year), "data": report_data(board)}


def announce_report(document: Document) -> None:
    """The kinds' `on_ready` hook: «report generated», so that a roadmap's «Отчёт по итогам
    программы» ticks itself, with the report as its evidence (for those who may ask for it)."""
    events.emit(
        events.Event.REPORT_GENERATED,
        document.organization,
        evidence=events.document_evidence(document, rule=access.REPORT.name),
    )


register(
    SCHOOL_REPORT,
    label=gettext_lazy("Отчёт школы о реализации целевой модели наставничества"),
    template="documents/school_report.html",
    build_context=build_school_context,
    # Who may ask for it is the rule of the report's page, at the school's level.
    roles=access.REPORT[SCHOOL],
    org_kinds=tuple(EDUCATIONAL_KINDS),
    numbered=False,
    on_ready=announce_report,
)

register(
    MUNICIPAL_REPORT,
    label=gettext_lazy("Итоговый отчёт муниципалитета о реализации целевой модели"),
    template="documents/municipal_report.html",
    build_context=build_municipal_context,
    # The methodical centre prepares it; the department files it (and reads every kind).
    roles=access.REPORT[MUNICIPALITY],
    org_kinds=(OrganizationKind.MUNICIPALITY,),
    numbered=False,
    on_ready=announce_report,
)
