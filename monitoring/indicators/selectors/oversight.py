"""Reads of the region's oversight (issue 17): a municipality's year figures live and as
submitted, who of the region's municipalities has submitted, the review threads.

Figures are true values (`Value`) until published: `published()` turns them into
`Figure`s with small counts hidden, as every page above the school does.

For the regional report: `submitted_figures(region, year)` returns, per municipality
that has submitted the year (and not had it returned), the frozen figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from mentorship.models import Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.definitions import DEFINITIONS
from monitoring.indicators.models import Review, SubmissionStatus, YearSubmission
from monitoring.indicators.selectors.counts import schools_of, unscoped_first_approvals
from monitoring.indicators.selectors.dashboards import _publish
from monitoring.indicators.selectors.figures import Figure, count_figure
from monitoring.indicators.selectors.frozen import (
    SubmittedFigures,
    YearFigures,
    unscoped_submitted,
)
from monitoring.indicators.selectors.values import (
    MUNICIPAL_CODES,
    Value,
    introduced,
    load,
    municipal_values,
)


def unscoped_year_figures(municipality: Organization, year: int) -> YearFigures:
    """The municipality's live totals for the year (the dashboard's queries, one year):
    a named cross-tenant read of counts over its schools, no person."""
    schools = schools_of(municipality)
    data = load([s.pk for s in schools], [municipality.pk], [year])
    _units, totals, _members = municipal_values(municipality, schools, year, data)
    participants = sum(data.people.get((s.pk, year), {}).get("participants", 0) for s in schools)
    approval = unscoped_first_approvals([municipality.pk]).get(municipality.pk)
    return YearFigures(
        values=totals,
        participants=participants,
        schools=len(schools),
        introduced=introduced(approval, participants, year),
    )


@dataclass(frozen=True)
class ComparedRow:
    """One indicator: as submitted beside its live value."""

    code: str
    label: str
    frozen: Figure | None
    live: Figure

    @property
    def changed(self) -> bool:
        if self.frozen is None:
            return False
        return (self.frozen.numerator, self.frozen.denominator) != (
            self.live.numerator,
            self.live.denominator,
        )


def published(value: Value, code: str) -> Figure:
    """A true value as pages above the school publish it (small counts hidden)."""
    return _publish(value, DEFINITIONS[code], exact=False)


def compare(frozen: YearFigures | None, live: YearFigures) -> list[ComparedRow]:
    return [
        ComparedRow(
            code=code,
            label=str(DEFINITIONS[code].label),
            frozen=published(frozen.values[code], code)
            if frozen is not None and code in frozen.values
            else None,
            live=published(live.values[code], code),
        )
        for code in MUNICIPAL_CODES
    ]


def participants_figure(figures: YearFigures) -> Figure:
    return count_figure(figures.participants, None, suppress=True)


def submitted_figures(region: Organization, year: int) -> dict[int, SubmittedFigures]:
    """Municipality id → its frozen figures, for each municipality of the region that has
    submitted `year` (a returned submission is not counted until submitted again).

    A named cross-tenant read of the region's own municipalities: two queries, counts only.
    """
    municipalities = Organization.objects.filter(
        parent=region, kind=OrganizationKind.MUNICIPALITY
    ).order_by()
    return {
        org_id: found
        for (org_id, _year), found in unscoped_submitted(municipalities, [year]).items()
    }


@dataclass
class SubmissionLine:
    """A municipality of the region and where its year stands."""

    municipality: Organization
    submission: YearSubmission | None
    awaiting_answer: int = 0

    @property
    def state(self) -> str:
        if self.submission is None:
            return "missing"
        return self.submission.status


@dataclass
class SubmissionsOverview:
    year: int
    lines: list[SubmissionLine] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(line.state == SubmissionStatus.SUBMITTED for line in self.lines)

    @property
    def returned(self) -> int:
        return sum(line.state == SubmissionStatus.RETURNED for line in self.lines)

    @property
    def missing(self) -> int:
        return sum(line.state == "missing" for line in self.lines)


def unscoped_submissions_overview(region: Organization, year: int) -> SubmissionsOverview:
    """Every municipality of the region with its submission of the year and its threads
    waiting for an answer: three queries whatever the number of municipalities."""
    municipalities = list(
        Organization.objects.filter(parent=region, kind=OrganizationKind.MUNICIPALITY).order_by(
            "short_name", "pk"
        )
    )
    ids = [m.pk for m in municipalities]
    with unscoped_reads():
        submissions = {
            s.organization_id: s
            for s in YearSubmission.objects.filter(organization_id__in=ids, year=year).defer(
                "figures"
            )
        }
        waiting = dict(
            Review.objects.filter(organization_id__in=ids)
            .values("organization_id")
            .annotate(n=Count("pk", filter=Q(awaiting_answer=True)))
            .values_list("organization_id", "n")
        )
    return SubmissionsOverview(
        year=year,
        lines=[
            SubmissionLine(m, submissions.get(m.pk), waiting.get(m.pk, 0)) for m in municipalities
        ],
    )


def reviews_of(*, roadmap_id: int | None = None, year: int | None = None) -> list[Review]:
    """The tenant's threads (in its scope) with their comments, newest first: two queries."""
    qs = Review.objects.select_related("roadmap").prefetch_related("comments__author")
    if roadmap_id is not None:
        qs = qs.filter(roadmap_id=roadmap_id)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs)


def unscoped_region_reviews(region: Organization) -> list[Review]:
    """The threads of every municipality of the region (the region's list): three queries."""
    with unscoped_reads():
        return list(
            Review.objects.filter(
                organization__parent=region, organization__kind=OrganizationKind.MUNICIPALITY
            )
            .select_related("organization", "roadmap")
            .prefetch_related("comments__author")
        )


def awaiting_answer_count() -> int:
    """The tenant's threads where the region's comment waits for an answer (one query)."""
    return Review.objects.filter(awaiting_answer=True).count()


def oversight_home_figures(tenant) -> dict[str, list]:
    """The home pages' part (mentorship/home.py), one query each: the municipality's
    unanswered comments of the region as a to-do (for those who answer them), and at the
    region a column of the municipalities' table: where each one's year stands."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from mentorship.home import Cell, Column, Todo
    from monitoring.indicators import access
    from monitoring.indicators.selectors.dashboards import default_year

    slug = tenant.organization.slug
    if tenant.is_municipality and access.SUBMIT.permits(tenant):
        return {
            "todos": [
                Todo(
                    "region_comments",
                    _("Замечания региона без ответа"),
                    awaiting_answer_count(),
                    reverse("indicators:reviews", kwargs={"org_slug": slug}),
                    tone="danger",
                )
            ]
        }
    if tenant.is_region and access.SUBMISSIONS.permits(tenant):
        year = default_year()
        with unscoped_reads():
            rows = YearSubmission.objects.filter(
                organization__parent=tenant.organization, year=year
            ).values_list("organization_id", "status")
            labels = dict(SubmissionStatus.choices)
            cells = {
                org_id: Cell(
                    status,
                    str(labels[status]),
                    flag=_("отчёт возвращён") if status == SubmissionStatus.RETURNED else "",
                )
                for org_id, status in rows
            }
        return {
            "columns": [
                Column(
                    "submission",
                    _("Отчёт за %(y)s год") % {"y": year},
                    cells,
                    order=60,
                    numeric=False,
                    empty=Cell("", _("не сдан")),
                )
            ]
        }
    return {}
