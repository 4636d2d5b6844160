"""The content of the school and municipal reports, shared by the PDF and the xlsx export.

A report is the dashboard of its level (published figures, suppressed as for anyone
above the school: the report travels up to the department) plus the pairs by form, the
roadmap completion per school and the results of the year's monitoring campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mentorship.models import Organization
from monitoring.indicators.selectors.counts import (
    unscoped_campaign_schools,
    unscoped_current_roadmap,
    unscoped_pairs_by_form,
    unscoped_roadmap_completion,
    unscoped_schools_of_region,
)
from monitoring.indicators.selectors.dashboards import MUNICIPALITY, REGION, SCHOOL, Dashboard
from monitoring.indicators.selectors.figures import Figure, count_figure, protect_total
from monitoring.indicators.selectors.growth import Growth, unscoped_growth
from monitoring.indicators.selectors.results import (
    CampaignResults,
    campaigns_of_year,
    school_campaigns_of_year,
    unscoped_campaign_results,
)
from roadmaps.models import Roadmap

SCHOOL_REPORT = "school_report"
MUNICIPAL_REPORT = "municipal_report"


def title(kind: str, year: int) -> str:
    if kind == MUNICIPAL_REPORT:
        return _("Итоговый отчёт о реализации целевой модели наставничества за %(y)s год") % {
            "y": year
        }
    return _("Отчёт о реализации целевой модели наставничества за %(y)s год") % {"y": year}


@dataclass(frozen=True)
class FormRow:
    name: str
    pairs: Figure
    schools: int | None  # schools running the form (municipal report), not people


@dataclass(frozen=True)
class RoadmapRow:
    organization_name: str
    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class CampaignSummary:
    results: CampaignResults
    growth: Growth | None


@dataclass
class ReportData:
    board: Dashboard
    forms: list[FormRow] = field(default_factory=list)
    pairs_total: Figure | None = None
    roadmap: Roadmap | None = None
    roadmap_rows: list[RoadmapRow] = field(default_factory=list)
    campaigns: list[CampaignSummary] = field(default_factory=list)

    @property
    def roadmap_total(self) -> RoadmapRow | None:
        if not self.roadmap_rows:
            return None
        return RoadmapRow(
            _("Итого"),
            sum(r.done for r in self.roadmap_rows),
            sum(r.total for r in self.roadmap_rows),
        )


def _school_ids(board: Dashboard) -> list[int]:
    if board.level == SCHOOL:
        return [board.organization.pk]
    if board.level == MUNICIPALITY:
        return [r.organization.pk for r in board.rows]
    return [s.pk for s in unscoped_schools_of_region(board.organization)]


def _forms(board: Dashboard) -> tuple[list[FormRow], Figure]:
    counts = unscoped_pairs_by_form(_school_ids(board), board.year)
    by_form: dict[str, tuple[int, set[int]]] = {}
    for (school_id, form_name), n in counts.items():
        total, schools = by_form.get(form_name, (0, set()))
        schools.add(school_id)
        by_form[form_name] = (total + n, schools)
    names = list(by_form)
    # Pairs are people: small counts hidden, and a second one where the total would tell.
    figures = protect_total(
        [(count_figure(by_form[n][0], None, suppress=True), by_form[n][0]) for n in names]
    )
    per_school = board.level != SCHOOL
    rows = [
        FormRow(name, figures[i], len(by_form[name][1]) if per_school else None)
        for i, name in enumerate(names)
    ]
    total = sum(t for t, _s in by_form.values())
    return rows, count_figure(total, None, suppress=True)


def _roadmap(board: Dashboard) -> tuple[Roadmap | None, list[RoadmapRow]]:
    if board.level == REGION:
        return None, []
    organization: Organization = board.organization
    municipality = organization if board.level == MUNICIPALITY else organization.municipality()
    if municipality is None:
        return None, []
    roadmap = unscoped_current_roadmap(municipality, board.year)
    if roadmap is None:
        return None, []
    only = [organization.pk] if board.level == SCHOOL else None
    rows = [
        RoadmapRow(name, done, total)
        for name, done, total in unscoped_roadmap_completion(roadmap, only=only)
    ]
    return roadmap, rows


def _campaigns(board: Dashboard) -> list[CampaignSummary]:
    """The year's campaigns as the level ran them, read in the tenant's own scope: the
    municipality's own campaigns over its schools, a school's rows of the campaigns
    covering it. Municipal figures only (the report has the per-school indicators)."""
    if board.level == SCHOOL:
        found = [
            (row.campaign, [board.organization]) for row in school_campaigns_of_year(board.year)
        ]
    elif board.level == MUNICIPALITY:
        found = [(c, unscoped_campaign_schools(c.pk)) for c in campaigns_of_year(board.year)]
    else:
        return []
    return [
        CampaignSummary(
            results=unscoped_campaign_results(campaign, schools, per_school=False),
            growth=unscoped_growth(campaign, schools, per_school=False),
        )
        for campaign, schools in found
        if schools
    ]


def report_data(board: Dashboard) -> ReportData:
    forms, pairs_total = _forms(board)
    roadmap, roadmap_rows = _roadmap(board)
    return ReportData(
        board=board,
        forms=forms,
        pairs_total=pairs_total,
        roadmap=roadmap,
        roadmap_rows=roadmap_rows,
        campaigns=_campaigns(board),
    )
