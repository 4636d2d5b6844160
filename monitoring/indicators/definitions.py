"""What the indicators are: codes, Russian names, denominators and the targets of the model.

One place for the definitions the pages, the reports, the data migration and the README
quote, so that a figure means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A figure of people below this is published as «<5» outside the school's own staff:
# the same threshold as the registry's per-school counts.
SUPPRESSION_THRESHOLD = 5
# Ages are counted in full years on this day of the reporting year: the start of the
# school year, when schools fill in their contingents.
AGE_DAY = (9, 1)
# Years of teaching experience of a "young specialist" (молодой специалист).
YOUNG_SPECIALIST_MAX_YEARS = 3
YOUNG_TEACHER_AGE = 35
# How many years the trend shows, the reporting year included.
TREND_YEARS = 5
FIRST_YEAR = 2019


class Indicator(models.TextChoices):
    MUNICIPALITIES = "municipalities", _("Муниципалитеты, внедрившие целевую модель")
    COLLEGE_STUDENTS = "college_students", _("Студенты СПО, вовлечённые в наставничество")
    PUPIL_MENTEES = "pupil_mentees", _("Дети 10–19 лет — наставляемые")
    PUPIL_MENTORS = "pupil_mentors", _("Дети 15–19 лет — наставники")
    YOUNG_SPECIALISTS = "young_specialists", _("Молодые специалисты (стаж 0–3 года) — наставляемые")
    YOUNG_TEACHERS = "young_teachers", _("Педагоги до 35 лет в формах поддержки")
    ENTERPRISES = "enterprises", _("Предприятия (организации), предоставившие наставников")
    MENTEE_SATISFACTION = "mentee_satisfaction", _("Удовлетворённость наставляемых")
    MENTOR_SATISFACTION = "mentor_satisfaction", _("Удовлетворённость наставников")


class Contingent(models.TextChoices):
    """The denominators, as fields of `indicators.Contingent`."""

    PUPILS_10_19 = "pupils_10_19", _("Обучающиеся 10–19 лет")
    PUPILS_15_19 = "pupils_15_19", _("Обучающиеся 15–19 лет")
    COLLEGE_STUDENTS = "college_students", _("Студенты СПО")
    YOUNG_SPECIALISTS = "young_specialists", _("Педагоги — молодые специалисты (стаж 0–3 года)")
    YOUNG_TEACHERS = "young_teachers", _("Педагоги в возрасте до 35 лет")
    ENTERPRISES = "enterprises", _("Предприятия (организации) территории")


@dataclass(frozen=True)
class Definition:
    indicator: Indicator
    # The contingent field that is the denominator; None: the tree or the survey gives it.
    denominator: str | None
    numerator_text: str | Promise
    denominator_text: str | Promise
    # Counts of people are suppressed under 5 above the school; organisations are not.
    people: bool = True
    # The registry gives the figure per school; otherwise it exists only higher up.
    per_school: bool = True
    # For narrow table headers (the printed per-school table).
    short_label: str | Promise = ""

    @property
    def code(self) -> str:
        return self.indicator.value

    @property
    def label(self) -> str | Promise:
        return self.indicator.label


DEFINITIONS: dict[str, Definition] = {
    d.code: d
    for d in (
        Definition(
            Indicator.MUNICIPALITIES,
            None,
            _(
                "муниципалитеты, где утверждена дорожная карта муниципального уровня "
                "или хотя бы в одной школе работала наставническая пара в этом году"
            ),
            _("все муниципалитеты региона"),
            people=False,
            per_school=False,
            short_label=_("Муниципалитеты"),
        ),
        Definition(
            Indicator.COLLEGE_STUDENTS,
            Contingent.COLLEGE_STUDENTS,
            _("студенты в наставнических парах года (в любой роли)"),
            _("студенты СПО по контингенту"),
            short_label=_("Студенты СПО"),
        ),
        Definition(
            Indicator.PUPIL_MENTEES,
            Contingent.PUPILS_10_19,
            _("обучающиеся 10–19 лет — наставляемые в парах года"),
            _("обучающиеся 10–19 лет по контингенту"),
            short_label=_("Дети 10–19, наставляемые"),
        ),
        Definition(
            Indicator.PUPIL_MENTORS,
            Contingent.PUPILS_15_19,
            _("обучающиеся 15–19 лет — наставники в парах года"),
            _("обучающиеся 15–19 лет по контингенту"),
            short_label=_("Дети 15–19, наставники"),
        ),
        Definition(
            Indicator.YOUNG_SPECIALISTS,
            Contingent.YOUNG_SPECIALISTS,
            _("педагоги со стажем 0–3 года — наставляемые в парах года"),
            _("молодые специалисты по контингенту"),
            short_label=_("Молодые специалисты"),
        ),
        Definition(
            Indicator.YOUNG_TEACHERS,
            Contingent.YOUNG_TEACHERS,
            _("педагоги до 35 лет — наставляемые в парах года"),
            _("педагоги до 35 лет по контингенту"),
            short_label=_("Педагоги до 35 лет"),
        ),
        Definition(
            Indicator.ENTERPRISES,
            Contingent.ENTERPRISES,
            _("организации-партнёры, чей представитель — наставник в паре года"),
            _("предприятия (организации) территории по контингенту муниципалитета"),
            people=False,
            short_label=_("Предприятия"),
        ),
        Definition(
            Indicator.MENTEE_SATISFACTION,
            None,
            _("ответы наставляемых «4» и «5» на вопросы об удовлетворённости"),
            _("все ответы наставляемых на эти вопросы"),
            short_label=_("Удовл. наставляемых"),
        ),
        Definition(
            Indicator.MENTOR_SATISFACTION,
            None,
            _("ответы наставников «4» и «5» на вопросы об удовлетворённости"),
            _("все ответы наставников на эти вопросы"),
            short_label=_("Удовл. наставников"),
        ),
    )
}

# The indicators the registry and pairs give (the survey ones come from monitoring).
REGISTRY_INDICATORS = (
    Indicator.PUPIL_MENTEES,
    Indicator.PUPIL_MENTORS,
    Indicator.YOUNG_SPECIALISTS,
    Indicator.YOUNG_TEACHERS,
    Indicator.COLLEGE_STUDENTS,
    Indicator.ENTERPRISES,
)
SURVEY_INDICATORS = (Indicator.MENTEE_SATISFACTION, Indicator.MENTOR_SATISFACTION)

# The target model's indicators, % by year (DOMAIN.md, the St Petersburg seed). The
# data migration 0002 writes them as the global defaults; a municipality overrides them.
DOMAIN_TARGETS: dict[str, dict[int, int]] = {
    Indicator.MUNICIPALITIES: {2020: 100, 2021: 100, 2022: 100, 2023: 100, 2024: 100},
    Indicator.COLLEGE_STUDENTS: {2020: 5, 2021: 10, 2022: 30, 2023: 50, 2024: 70},
    Indicator.PUPIL_MENTEES: {2020: 10, 2021: 25, 2022: 40, 2023: 50, 2024: 70},
    Indicator.PUPIL_MENTORS: {2020: 5, 2021: 6, 2022: 7, 2023: 8, 2024: 10},
    Indicator.YOUNG_SPECIALISTS: {2020: 15, 2021: 25, 2022: 35, 2023: 50, 2024: 85},
    Indicator.ENTERPRISES: {2020: 2, 2021: 3, 2022: 10, 2023: 20, 2024: 30},
    Indicator.MENTEE_SATISFACTION: {2024: 85},
    Indicator.MENTOR_SATISFACTION: {2024: 70},
}
