"""What each indicator counts: ages on 1 September, pairs of the year, distinct people,
denominators that must be present, targets that carry forward."""

from datetime import date
from decimal import Decimal

import pytest

from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.definitions import DOMAIN_TARGETS, Indicator
from monitoring.indicators.models import Target
from monitoring.indicators.selectors.counts import unscoped_targets
from monitoring.indicators.selectors.dashboards import (
    school_dashboard,
    unscoped_municipal_dashboard,
)
from monitoring.indicators.selectors.figures import NO_DENOMINATOR, OK, ZERO_DENOMINATOR
from monitoring.indicators.services.inputs import targets_save
from tests.factories import make_partner
from tests.indicators.conftest import (
    YEAR,
    campaign,
    contingent,
    mentor,
    pair,
    person,
    pupils,
    respond,
    standard,
)

pytestmark = pytest.mark.django_db


def summary(board, code):
    return board.summary_by_code[code]


def test_global_targets_are_the_domain_table(db):
    with pytest.raises(Exception):  # noqa: B017 - the scoped manager refuses unscoped reads
        list(Target.objects.all())
    targets = unscoped_targets(None)
    for code, by_year in DOMAIN_TARGETS.items():
        for year, percent in by_year.items():
            value = targets.for_year(code, year)
            assert value is not None and value.percent == Decimal(percent), (code, year)
    assert targets.for_year(Indicator.PUPIL_MENTEES, 2019) is None
    # After the table ends, its last year stays in force and says which year it is.
    carried = targets.for_year(Indicator.PUPIL_MENTEES, 2026)
    assert carried.percent == Decimal(70) and carried.year == 2024


def test_ages_are_counted_on_1_september_of_the_year(cast):
    school = cast.school
    teacher = mentor(school)
    # 10 on 1 September 2026 exactly; 9 the day before turning 10; 19 and 20.
    ten = person(school, birth_date=date(2016, 9, 1))
    nine = person(school, birth_date=date(2016, 9, 2))
    nineteen = person(school, birth_date=date(2006, 9, 2))
    twenty = person(school, birth_date=date(2006, 9, 1))
    unknown = person(school, birth_date=None)
    pair(school, [teacher], [ten, nine, nineteen, twenty, unknown])
    contingent(school, pupils_10_19=100, pupils_15_19=40)
    board = school_dashboard(school, YEAR, exact=True)
    figure = summary(board, Indicator.PUPIL_MENTEES).figure
    assert (figure.numerator, figure.denominator) == (2, 100)
    assert figure.share == Decimal("2.0")
    assert board.pupils_without_birth_date == 1


def test_pupil_mentors_are_15_to_19_and_mentors(cast):
    school = cast.school
    older = pupils(school, 3, birth_date=date(2010, 1, 1))  # 16
    younger = person(school, birth_date=date(2013, 1, 1))  # 13: too young to count
    mentees = pupils(school, 4, birth_date=date(2016, 1, 1))
    pair(school, older + [younger], mentees, form="student-student")
    contingent(school, pupils_10_19=200, pupils_15_19=50)
    board = school_dashboard(school, YEAR, exact=True)
    assert summary(board, Indicator.PUPIL_MENTORS).figure.numerator == 3
    assert summary(board, Indicator.PUPIL_MENTEES).figure.numerator == 4


def test_only_pairs_of_the_year_that_were_approved_count(cast):
    school = cast.school
    contingent(school, pupils_10_19=100)

    def group(n, **kwargs):
        return pair(school, [mentor(school)], pupils(school, n), **kwargs)

    group(1, status="active")
    group(2, status="completed", starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31))
    group(4, status="proposed")  # not mentoring yet
    group(8, status="rejected")
    group(16, status="completed", starts_on=date(2024, 9, 1), ends_on=date(2025, 5, 31))
    group(32, status="approved", starts_on=date(2027, 1, 10))  # next year
    group(64, status="active", starts_on=None)  # no dates: since it was entered (now)
    board = school_dashboard(school, YEAR, exact=True)
    assert summary(board, Indicator.PUPIL_MENTEES).figure.numerator == 1 + 2 + 64
    previous = school_dashboard(school, YEAR - 1, exact=True)
    assert summary(previous, Indicator.PUPIL_MENTEES).figure.numerator == 2 + 16


def test_a_person_in_two_pairs_counts_once_and_depersonalised_rows_not_at_all(cast):
    school = cast.school
    child = person(school)
    gone = person(school)
    # One pair ended in the spring, the next one works: two pairs of the year, one child
    # (a mentee is in one open pair at a time).
    pair(school, [mentor(school)], [child, gone], status="completed", ends_on=date(YEAR, 5, 31))
    pair(school, [mentor(school)], [child])
    with tenant_scope(school):
        type(gone).objects.filter(pk=gone.pk).update(depersonalized_at="2026-10-01T00:00:00Z")
    contingent(school, pupils_10_19=10)
    board = school_dashboard(school, YEAR, exact=True)
    assert summary(board, Indicator.PUPIL_MENTEES).figure.numerator == 1


def test_teachers_young_specialists_and_under_35(cast):
    school = cast.school
    young = person(school, "teacher", experience_years=2, birth_date=date(1999, 1, 1))
    late_starter = person(school, "teacher", experience_years=1, birth_date=date(1980, 1, 1))
    thirty_four = person(school, "teacher", experience_years=8, birth_date=date(1991, 9, 2))
    thirty_five = person(school, "teacher", experience_years=9, birth_date=date(1991, 9, 1))
    pair(
        school,
        [mentor(school)],
        [young, late_starter, thirty_four, thirty_five],
        form="teacher-teacher",
    )
    # A young teacher who mentors is not "in a form of support".
    pair(
        school,
        [person(school, "teacher", experience_years=1, birth_date=date(2000, 1, 1))],
        pupils(school, 1),
    )
    contingent(school, young_specialists=4, young_teachers=5)
    board = school_dashboard(school, YEAR, exact=True)
    assert summary(board, Indicator.YOUNG_SPECIALISTS).figure.numerator == 2
    assert summary(board, Indicator.YOUNG_TEACHERS).figure.numerator == 2
    assert summary(board, Indicator.YOUNG_SPECIALISTS).figure.share == Decimal("50.0")


def test_missing_or_zero_denominator_is_never_a_percentage(cast):
    school = cast.school
    pair(school, [mentor(school)], pupils(school, 6))
    board = school_dashboard(school, YEAR, exact=True)
    figure = summary(board, Indicator.PUPIL_MENTEES).figure
    assert figure.state == NO_DENOMINATOR
    assert figure.share is None
    assert figure.share_display == "нет знаменателя — внесите контингент"
    assert summary(board, Indicator.PUPIL_MENTEES).status == "unknown"
    contingent(school, pupils_10_19=0)
    board = school_dashboard(school, YEAR, exact=True)
    figure = summary(board, Indicator.PUPIL_MENTEES).figure
    assert figure.state == ZERO_DENOMINATOR and figure.share is None
    assert "%" not in figure.share_display


def test_municipal_share_uses_only_schools_with_a_contingent(cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 10))
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 30))
    contingent(cast.school, pupils_10_19=100)
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    s = summary(board, Indicator.PUPIL_MENTEES)
    # School 2 entered nothing: its 30 children are neither in the numerator nor below it.
    assert (s.figure.numerator, s.figure.denominator, s.figure.share) == (10, 100, Decimal("10.0"))
    assert (s.covered, s.expected) == (1, 2)
    rows = {r.organization.pk: r for r in board.rows}
    assert rows[cast.school2.pk].figures[Indicator.PUPIL_MENTEES].state == NO_DENOMINATOR
    assert rows[cast.school2.pk].figures[Indicator.PUPIL_MENTEES].numerator == 30


def test_enterprises_are_distinct_across_schools(cast):
    kamaz = make_partner(cast.muni, "ПАО «КАМАЗ»")
    other = make_partner(cast.muni, "ООО «Челны-Хлеб»")
    for school in (cast.school, cast.school2):
        rep = person(school, "partner", partner=kamaz)
        pair(school, [rep], pupils(school, 1), form="employer-student")
    rep = person(cast.school, "partner", partner=other)
    pair(cast.school, [rep], pupils(cast.school, 1), form="employer-student", status="proposed")
    contingent(cast.muni, enterprises=20)
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    figure = summary(board, Indicator.ENTERPRISES).figure
    # Organisations, not people: a count of 1 is shown as it is.
    assert (figure.numerator, figure.denominator, figure.share) == (1, 20, Decimal("5.0"))


def test_college_students_over_the_territory_count(cast):
    student = person(cast.school, "college_student", birth_date=date(2007, 1, 1))
    pair(cast.school, [student], pupils(cast.school, 1), form="college-student")
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    assert summary(board, Indicator.COLLEGE_STUDENTS).figure.state == NO_DENOMINATOR
    contingent(cast.muni, college_students=10)
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    figure = summary(board, Indicator.COLLEGE_STUDENTS).figure
    # One student is under 5: hidden at the municipal level, not a 10 % that names them.
    assert figure.hidden and figure.share is None and figure.denominator == 10


def test_municipal_target_overrides_the_global_one(cast):
    with tenant_scope(cast.muni):
        targets_save(
            actor=cast.methodist,
            organization=cast.muni,
            year=2025,
            values={Indicator.PUPIL_MENTEES: Decimal("55.5")},
        )
    targets = unscoped_targets(cast.muni)
    assert targets.for_year(Indicator.PUPIL_MENTEES, 2025).percent == Decimal("55.5")
    assert targets.for_year(Indicator.PUPIL_MENTEES, 2026).year == 2025
    assert targets.for_year(Indicator.PUPIL_MENTEES, 2024).percent == Decimal(70)
    # The other municipality still has the target model's value.
    assert unscoped_targets(cast.other_muni).for_year(Indicator.PUPIL_MENTEES, 2025).year == 2024


def test_status_against_the_target(cast):
    school = cast.school
    pair(school, [mentor(school)], pupils(school, 80))
    contingent(school, pupils_10_19=100)
    board = school_dashboard(school, YEAR, exact=True)
    s = summary(board, Indicator.PUPIL_MENTEES)
    assert s.figure.share == Decimal("80.0") and s.target.percent == Decimal(70)
    assert s.status == "met" and s.target_carried
    assert [y for y, _f in s.trend] == [2022, 2023, 2024, 2025, 2026]
    assert s.figure.state == OK


SCALE_CODES = (
    "overall",
    "meetings_useful",
    "frequency_fit",
    "mentor_available",
    "comfort",
    "goals_clear",
)


def _satisfied(school, run, *, people: int, value: int):
    questionnaire = standard("mentee_satisfaction")
    for _ in range(people):
        answers = dict.fromkeys(SCALE_CODES, value)
        answers["continue"] = 1
        answers["improve"] = "Больше встреч"
        respond(school, run, questionnaire, answers)


def test_satisfaction_is_the_share_of_answers_4_and_5(cast):
    run = campaign(cast.muni)
    _satisfied(cast.school, run, people=4, value=5)
    _satisfied(cast.school, run, people=2, value=3)
    # The same school's answers of another year do not count in this one.
    _satisfied(cast.school, campaign(cast.muni, starts_on=date(YEAR - 1, 11, 1)), people=5, value=1)
    board = school_dashboard(cast.school, YEAR, exact=True)
    figure = summary(board, Indicator.MENTEE_SATISFACTION).figure
    # 6 scale questions × 6 people; yes/no and free text are not on the 1–5 scale.
    assert (figure.numerator, figure.denominator) == (24, 36)
    assert figure.share == Decimal("66.7")
    assert summary(board, Indicator.MENTOR_SATISFACTION).figure.share is None
    previous = school_dashboard(cast.school, YEAR - 1, exact=True)
    assert summary(previous, Indicator.MENTEE_SATISFACTION).figure.share == Decimal("0.0")


def test_satisfaction_of_fewer_than_5_people_is_hidden_even_at_the_school(cast):
    run = campaign(cast.muni)
    _satisfied(cast.school, run, people=4, value=5)
    board = school_dashboard(cast.school, YEAR, exact=True)
    figure = summary(board, Indicator.MENTEE_SATISFACTION).figure
    assert figure.hidden and figure.share is None
    # 4 at school 1 and 6 at school 2: the municipal total would give school 1 back,
    # so school 2 is hidden with it; the municipality's own figure (10 people) is shown.
    _satisfied(cast.school2, run, people=6, value=4)
    municipal = unscoped_municipal_dashboard(cast.muni, YEAR)
    cells = {r.organization.pk: r.figures[Indicator.MENTEE_SATISFACTION] for r in municipal.rows}
    assert cells[cast.school.pk].suppressed and cells[cast.school2.pk].secondary
    assert summary(municipal, Indicator.MENTEE_SATISFACTION).figure.share == Decimal("100.0")


def test_more_people_than_the_contingent_is_a_count_to_check_not_a_success(cast):
    school = cast.school
    teachers = [person(school, "teacher", experience_years=1) for _ in range(3)]
    pair(school, [mentor(school)], teachers, form="teacher-teacher")
    contingent(school, young_specialists=2)
    s = summary(school_dashboard(school, YEAR, exact=True), Indicator.YOUNG_SPECIALISTS)
    assert s.figure.share == Decimal("150.0") and s.figure.over_denominator
    assert s.status == "check" and s.status_label == "проверьте контингент"
