"""The region's report as a document kind (`regional_report`): indicators by
municipality against the targets with their trend, pairs by form, the roll-up of the
municipalities (roadmap completion, submission, the latest campaign's response), the
results of the region's own campaigns, and the best practices passed up.

    manage.py render_document regional_report --org REGION --year 2026 --out r.pdf

The same content as an .xlsx workbook is the region's «Скачать таблицы (xlsx)»
(`regional_workbook`). Counts of people under 5 are hidden, as on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from mentorship.documents.kinds import DocumentDataError, register
from mentorship.files import safe_cell
from mentorship.models import Document, Organization, OrganizationKind
from mentorship.tenancy.rules import REGION
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators import access
from monitoring.indicators.documents.reports import _common, report_year
from monitoring.indicators.selectors.counts import unscoped_schools_of_region
from monitoring.indicators.selectors.dashboards import (
    MET,
    NOT_MET,
    unscoped_regional_dashboard,
)
from monitoring.indicators.selectors.figures import Figure
from monitoring.indicators.selectors.regional import (
    RegionalCampaignRates,
    Rollup,
    unscoped_best_practices_passed_up,
    unscoped_regional_campaign_rates,
    unscoped_regional_rollup,
)
from monitoring.indicators.selectors.reports import CampaignSummary, ReportData, report_data
from monitoring.indicators.selectors.results import CampaignResults, unscoped_campaign_results
from monitoring.models import Campaign

REGIONAL_REPORT = "regional_report"


@dataclass
class RegionalCampaign:
    rates: RegionalCampaignRates
    results: CampaignResults

    @property
    def as_report(self) -> ReportData:
        """The shape the reports' survey section reads (`data.campaigns`)."""
        return ReportData(board=None, campaigns=[CampaignSummary(self.results, None)])


@dataclass
class MunicipalityLine:
    """A municipality of the report's table: its cells (figure, met / not met, the live
    figure shown beside a submitted one), as submitted where it has submitted the year."""

    organization: Organization
    participants: Figure
    cells: list[tuple[Figure, str, Figure | None]]
    submitted_at: datetime | None = None
    live_participants: Figure | None = None


@dataclass
class RegionalReport:
    data: ReportData
    rollup: Rollup
    campaigns: list[RegionalCampaign] = field(default_factory=list)
    practices: list = field(default_factory=list)

    def municipality_rows(self) -> list[MunicipalityLine]:
        """Each municipality's cells with «met»/«not_met» against the region's target."""
        targets = {s.definition.code: s.target for s in self.data.board.summaries}
        rows = []
        for row in self.data.board.rows:
            cells = []
            for definition, figure, live in row.live_cells:
                target, share = targets.get(definition.code), figure.share
                status = ""
                if target is not None and share is not None and not figure.over_denominator:
                    status = MET if share >= target.percent else NOT_MET
                cells.append((figure, status, live))
            rows.append(
                MunicipalityLine(
                    organization=row.organization,
                    participants=row.participants,
                    cells=cells,
                    submitted_at=row.submitted_at,
                    live_participants=row.live_participants,
                )
            )
        return rows


def regional_report(region: Organization, year: int) -> RegionalReport:
    board = unscoped_regional_dashboard(region, year)
    with unscoped_reads():
        campaigns = list(
            Campaign.objects.filter(organization=region, starts_on__year=year, purpose="monitoring")
            .select_related("mentor_questionnaire", "mentee_questionnaire")
            .order_by("starts_on", "pk")
        )
    schools = unscoped_schools_of_region(region) if campaigns else []
    return RegionalReport(
        data=report_data(board),
        rollup=unscoped_regional_rollup(region, year),
        campaigns=[
            RegionalCampaign(
                rates=unscoped_regional_campaign_rates(region, c),
                results=unscoped_campaign_results(c, schools, per_school=False),
            )
            for c in campaigns
        ],
        practices=unscoped_best_practices_passed_up(region, year),
    )


def build_regional_context(document: Document) -> dict[str, Any]:
    organization = document.organization
    if organization.kind != OrganizationKind.REGION:
        raise DocumentDataError(_("Отчёт региона формирует региональный центр."))
    year = report_year(document)
    report = regional_report(organization, year)
    if not report.data.board.rows:
        raise DocumentDataError(_("В регионе нет муниципалитетов."))
    return {**_common(year), "data": report.data, "report": report}


register(
    REGIONAL_REPORT,
    label=gettext_lazy("Итоговый отчёт региона о реализации целевой модели наставничества"),
    template="documents/regional_report.html",
    build_context=build_regional_context,
    roles=access.REPORT[REGION],
    org_kinds=(OrganizationKind.REGION,),
    numbered=False,
    landscape=True,
)


# --- The same report as .xlsx ---------------------------------------------------------


def _count(figure: Figure) -> int | str:
    return figure.numerator if figure.numerator is not None else figure.numerator_display


def submitted_on(submitted_at: datetime | None) -> str:
    """The «отчёт сдан» cell of a sheet: the date, or «нет»."""
    if submitted_at is None:
        return _("нет")
    return date_format(localtime(submitted_at), "d.m.Y")


def regional_workbook(report: RegionalReport, book: Workbook) -> bytes:
    """Adds the region's own sheets to the dashboard's workbook and returns the file."""
    sheet = book.create_sheet(_("Свод по муниципалитетам"))
    sheet.append(
        [
            _("Муниципалитет"),
            _("Организаций"),
            _("С работающими парами"),
            _("Участников"),
            _("Пар и групп"),
            _("Дорожная карта: выполнено"),
            _("Дорожная карта: всего"),
            _("Выполнено, %"),
            _("Отклик на кампанию, %"),
            _("Отчёт сдан"),
            _("Участников сейчас (если изменилось после сдачи)"),
        ]
    )
    for r in report.rollup.rows:
        sheet.append(
            [
                safe_cell(r.municipality.short_name),
                r.schools,
                r.active_schools,
                _count(r.participants),
                _count(r.pairs),
                r.roadmap_done,
                r.roadmap_total,
                r.roadmap_percent if r.roadmap_percent is not None else "—",
                float(r.campaign.rate) if r.campaign and r.campaign.rate is not None else "—",
                submitted_on(r.submitted_at),
                _count(r.live_participants) if r.live_participants is not None else "",
            ]
        )
    sheet.column_dimensions["A"].width = 40
    for item in report.campaigns:
        sheet = book.create_sheet(safe_cell(item.rates.campaign.title)[:28] or _("Кампания"))
        sheet.append([safe_cell(item.rates.campaign.title)])
        sheet.append([_("Муниципалитет"), _("Приглашено"), _("Ответили"), _("Отклик, %")])
        for cell in (*item.rates.municipalities, item.rates.total):
            sheet.append(
                [
                    safe_cell(cell.organization.short_name),
                    _count(cell.invited),
                    _count(cell.responded),
                    float(cell.rate) if cell.rate is not None else "—",
                ]
            )
        sheet.column_dimensions["A"].width = 40
    sheet = book.create_sheet(_("Лучшие практики"))
    sheet.append([_("Практика"), _("Муниципалитет")])
    for practice in report.practices:
        owner = getattr(practice, "municipality", None) or ""
        sheet.append([safe_cell(str(practice)), safe_cell(str(owner))])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
