"""The federal statistical form of a region for a quarter: the model's monitoring figures
by form of mentoring and category of participant.

Counted in one pass over the members (`queries.form_counts`) by the indicators' own
rules (`queries._metric_sums`, shared with `people_counts`) over the quarter's window:
the same pair statuses, the same overlap of dates, ages on 1 September of the year,
depersonalised people left out. The totals of
section 2 are therefore the dashboard's figures whenever the quarter and the year hold
the same pairs. Counts of people under 5 are published as «<5», as everywhere above the
school; organisations (enterprises) are not suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization, OrganizationKind
from monitoring.indicators.selectors import queries
from monitoring.indicators.selectors.counts import unscoped_schools_of_region
from monitoring.indicators.selectors.figures import Figure, count_figure
from registry.models import Category, MemberRole, MentoringForm

QUARTERS = (1, 2, 3, 4)

# (category, role) columns of section 1, in the order of the form.
COLUMNS: tuple[tuple[str, str, str | Promise], ...] = (
    (Category.TEACHER, MemberRole.MENTOR, _("Наставники — педагоги")),
    (Category.PUPIL, MemberRole.MENTOR, _("Наставники — обучающиеся")),
    (Category.COLLEGE_STUDENT, MemberRole.MENTOR, _("Наставники — студенты")),
    (Category.PARTNER, MemberRole.MENTOR, _("Наставники — представители предприятий")),
    (Category.PUPIL, MemberRole.MENTEE, _("Наставляемые — обучающиеся")),
    (Category.TEACHER, MemberRole.MENTEE, _("Наставляемые — педагоги")),
    (Category.COLLEGE_STUDENT, MemberRole.MENTEE, _("Наставляемые — студенты")),
)

# Section 2: the indicators' numerators for the quarter (queries.PEOPLE_METRICS).
TOTALS: tuple[tuple[str, str | Promise], ...] = (
    ("participants", _("Участники наставнических пар и групп (всего)")),
    ("pupil_mentees", _("Обучающиеся 10–19 лет — наставляемые")),
    ("pupil_mentors", _("Обучающиеся 15–19 лет — наставники")),
    ("college_students", _("Студенты СПО в любой роли")),
    ("young_specialists", _("Молодые специалисты (стаж 0–3 года) — наставляемые")),
    ("young_teachers", _("Педагоги до 35 лет — наставляемые")),
)


class FederalFormError(ValueError):
    """A bad organisation, year or quarter: the message says which, in Russian."""


@dataclass(frozen=True)
class FormRow:
    name: str
    pairs: Figure
    participants: Figure
    cells: list[Figure]


@dataclass(frozen=True)
class FederalForm:
    region: Organization
    year: int
    quarter: int
    window: queries.Window
    rows: list[FormRow]
    totals: list[tuple[str, Figure]]
    enterprises: int
    schools: int
    municipalities: int

    @property
    def columns(self) -> list[str]:
        return [str(label) for _c, _r, label in COLUMNS]


def check_period(year: object, quarter: object, *, first: int, last: int) -> tuple[int, int]:
    """The year and quarter as integers, or a FederalFormError saying what is wrong."""
    try:
        year_value = int(str(year))
    except ValueError:
        raise FederalFormError(_("Год указан неверно: «%(y)s».") % {"y": year}) from None
    if not first <= year_value <= last:
        raise FederalFormError(
            _("Форма формируется за годы с %(first)s по %(last)s.") % {"first": first, "last": last}
        )
    try:
        quarter_value = int(str(quarter))
    except ValueError:
        quarter_value = 0
    if quarter_value not in QUARTERS:
        raise FederalFormError(_("Квартал — число от 1 до 4, указано «%(q)s».") % {"q": quarter})
    return year_value, quarter_value


def unscoped_federal_form(region: Organization, year: int, quarter: int) -> FederalForm:
    """Counts only, over every school of every municipality of the region (four queries)."""
    if region.kind != OrganizationKind.REGION:
        raise FederalFormError(_("Федеральную форму формирует регион."))
    if quarter not in QUARTERS:
        raise FederalFormError(_("Квартал — число от 1 до 4, указано «%(q)s».") % {"q": quarter})
    window = queries.Window(year, quarter)
    schools = unscoped_schools_of_region(region)
    school_ids = [s.pk for s in schools]
    counts = queries.form_counts(school_ids, window)
    forms = {f.pk: f.name for f in MentoringForm.objects.order_by("ordering", "name")}
    rows = [
        FormRow(
            name=name,
            pairs=count_figure(counts.pairs.get(form_id, 0), None, suppress=True),
            participants=count_figure(counts.people.get(form_id, 0), None, suppress=True),
            cells=[
                count_figure(counts.cells.get((form_id, c.value, r.value), 0), None, suppress=True)
                for c, r, _label in COLUMNS
            ],
        )
        for form_id, name in forms.items()
        if form_id in counts.pairs or form_id in counts.people
    ]
    totals = [
        (str(label), count_figure(counts.totals.get(metric, 0), None, suppress=True))
        for metric, label in TOTALS
    ]
    return FederalForm(
        region=region,
        year=year,
        quarter=quarter,
        window=window,
        rows=rows,
        totals=totals,
        enterprises=counts.enterprises,
        schools=len(schools),
        municipalities=len({s.parent_id for s in schools}),
    )
