"""Pair matching (stage 5): every rule with its Russian reason, and the optimal assignment.

Pure: candidates are plain records, no database.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import numpy as np
import pytest

from registry.matching import (
    MenteeCandidate,
    MentorCandidate,
    greedy_match,
    match,
    score,
)
from registry.matching import candidates as c
from registry.matching.rules import evaluate
from registry.matching.text import stems
from registry.models.people import Category


def mentor(id: int = 1, **kw) -> MentorCandidate:
    fields = {
        "name": f"Наставник {id}",
        "category": "teacher",
        "age": 40,
        "grade": None,
        "experience_years": 15,
        "subjects": "",
        "competencies": "",
        "interests": "",
        "capacity": 1,
        "has_sen_experience": False,
        "forms": frozenset(),
    }
    return MentorCandidate(id=id, **{**fields, **kw})


def mentee(id: int = 101, **kw) -> MenteeCandidate:
    fields = {
        "name": f"Наставляемый {id}",
        "category": "pupil",
        "age": 13,
        "grade": 7,
        "experience_years": None,
        "needs": "",
        "interests": "",
        "subject": "",
        "has_sen": False,
        "is_gifted": False,
        "forms": frozenset(),
        "preferred_mentor_ids": (),
    }
    return MenteeCandidate(id=id, **{**fields, **kw})


def pupil_mentor(id: int = 1, **kw) -> MentorCandidate:
    return mentor(
        id, **{"category": "pupil", "age": 16, "grade": 10, "experience_years": None, **kw}
    )


def codes(s) -> set[str]:
    return {r.code for r in s.reasons}


def text_of(s, code: str) -> str:
    return next(r.text for r in s.reasons if r.code == code)


def points_of(s, code: str) -> float:
    return next((r.points for r in s.reasons if r.code == code), 0.0)


def test_category_codes_follow_the_model():
    assert {c.PUPIL, c.TEACHER, c.COLLEGE_STUDENT, c.PARTNER} == set(Category.values)
    assert set(c.FORM_CATEGORIES) == set(c.FORM_NAMES)


# ---- form and category fit --------------------------------------------------------------

FEASIBLE = [
    ("student-student", pupil_mentor(), mentee()),
    ("teacher-teacher", mentor(), mentee(category="teacher", age=24, experience_years=1)),
    ("teacher-student", mentor(), mentee()),
    (
        "college-student",
        mentor(category="college_student", age=20, experience_years=None),
        mentee(),
    ),
    ("employer-student", mentor(category="partner"), mentee()),
    ("employer-college", mentor(category="partner"), mentee(category="college_student", age=18)),
    ("teacher-student-sen", mentor(has_sen_experience=True), mentee(has_sen=True)),
]


@pytest.mark.parametrize(("form", "a", "b"), FEASIBLE, ids=[f[0] for f in FEASIBLE])
def test_each_form_accepts_its_categories(form, a, b):
    s = score(a, b, form)
    assert s.feasible
    assert text_of(s, "form_fit").startswith(f"Категории подходят для формы «{c.form_name(form)}»")
    assert s.total == sum(r.points for r in s.reasons) > 0


INFEASIBLE = [
    (
        "student-student",
        pupil_mentor(age=13, grade=7),
        mentee(age=15, grade=9),
        "Наставник в форме «ученик – ученик» должен быть старше наставляемого (13 и 15 лет)",
    ),
    (
        "student-student",
        pupil_mentor(age=14, grade=8),
        mentee(age=11, grade=5),
        "Наставник в форме «ученик – ученик» должен быть в возрасте 15–19 лет (указано: 14 лет)",
    ),
    (
        "student-student",
        pupil_mentor(age=None, grade=7),
        mentee(age=None, grade=5),
        "Наставник в форме «ученик – ученик» должен учиться не ниже 8 класса (указан 7 класс)",
    ),
    (
        "student-student",
        mentor(),
        mentee(),
        "В форме «ученик – ученик» наставник — обучающийся (указано: педагог)",
    ),
    (
        "teacher-teacher",
        mentor(experience_years=3),
        mentee(category="teacher", age=30, experience_years=5),
        "Наставник в форме «учитель – учитель» должен быть опытнее наставляемого (стаж 3 и 5 лет)",
    ),
    (
        "teacher-teacher",
        mentor(experience_years=None),
        mentee(category="teacher", age=30, experience_years=5),
        "Наставник в форме «учитель – учитель» должен быть опытнее наставляемого: стаж не указан",
    ),
    (
        "teacher-teacher",
        mentor(),
        mentee(),
        "В форме «учитель – учитель» наставляемый — педагог (указано: обучающийся)",
    ),
    (
        "teacher-student",
        mentor(category="college_student"),
        mentee(),
        "В форме «учитель – ученик» наставник — педагог (указано: студент)",
    ),
    (
        "college-student",
        mentor(),
        mentee(),
        "В форме «студент – ученик» наставник — студент (указано: педагог)",
    ),
    (
        "employer-student",
        mentor(),
        mentee(),
        "В форме «работодатель – ученик» наставник — представитель организации-партнёра "
        "(указано: педагог)",
    ),
    (
        "employer-college",
        mentor(category="partner"),
        mentee(),
        "В форме «работодатель – студент» наставляемый — студент (указано: обучающийся)",
    ),
    (
        "teacher-student-sen",
        mentor(has_sen_experience=False),
        mentee(has_sen=True),
        "В форме «учитель – ученик с ОВЗ» нужен наставник с опытом работы с детьми с ОВЗ",
    ),
    (
        "teacher-student-sen",
        mentor(has_sen_experience=True),
        mentee(has_sen=False),
        "В форме «учитель – ученик с ОВЗ» наставляемый — обучающийся с ОВЗ",
    ),
    (
        "teacher-student",
        mentor(forms=frozenset({"teacher-teacher"})),
        mentee(),
        "Наставник не выбрал форму «учитель – ученик» в анкете",
    ),
    (
        "teacher-student",
        mentor(),
        mentee(forms=frozenset({"college-student"})),
        "Наставляемый не выбрал форму «учитель – ученик» в анкете",
    ),
]


@pytest.mark.parametrize(("form", "a", "b", "why"), INFEASIBLE, ids=[i[3][:50] for i in INFEASIBLE])
def test_each_form_refuses_with_a_russian_reason(form, a, b, why):
    s = score(a, b, form)
    assert not s.feasible
    assert s.total == 0
    assert why in [r.text for r in s.reasons]


def test_pupil_mentor_without_age_is_checked_by_grade():
    s = score(pupil_mentor(age=None, grade=9), mentee(age=None, grade=6), "student-student")
    assert s.feasible
    assert "Наставник старше на 3 класса" in text_of(s, "age_gap")


def test_pupil_mentor_with_neither_age_nor_grade_cannot_be_checked():
    s = score(pupil_mentor(age=None, grade=None), mentee(), "student-student")
    assert not s.feasible
    assert codes(s) == {"mentor_age", "not_older"}
    assert text_of(s, "mentor_age").startswith("Не указаны возраст и класс наставника")


def test_a_teacher_is_refused_for_the_category_only():
    # Not also for being over 19 and not for age: one clear reason is what the curator needs.
    assert codes(score(mentor(), mentee(), "student-student")) == {"mentor_category"}


def test_unknown_form_skips_the_category_rule_but_not_the_others():
    s = score(mentor(category="partner"), mentee(category="teacher"), "school-own-form")
    assert s.feasible
    assert "не из стандартных" in text_of(s, "form_custom")
    closed = score(mentor(forms=frozenset({"teacher-student"})), mentee(), "school-own-form")
    assert codes(closed) == {"mentor_form"}


def test_open_to_the_form_when_it_is_listed():
    s = score(mentor(forms=frozenset({"teacher-student"})), mentee(), "teacher-student")
    assert s.feasible


# ---- bonuses and penalties ---------------------------------------------------------------


def test_needs_reason_names_the_matching_words():
    a = mentor(competencies="Подготовка к ОГЭ, олимпиады", subjects="Математика, физика")
    b = mentee(needs="Подготовка к ОГЭ по математике (классный руководитель)")
    s = score(a, b, "teacher-student")
    assert text_of(s, "needs") == (
        "Запрос наставляемого совпадает с анкетой наставника: «подготовка» (компетенции), "
        "«ОГЭ» (компетенции), «математике» ~ «математика» (предметы)"
    )
    assert points_of(s, "needs") == 24


def test_needs_points_are_capped():
    words = "алгебра геометрия физика химия биология история литература"
    s = score(mentor(competencies=words), mentee(needs=words), "teacher-student")
    assert points_of(s, "needs") == 32
    assert "не больше 32 баллов" in text_of(s, "needs")


def test_stop_words_short_words_and_yo_are_handled():
    # «мне», «с», «по» are short, «хочу», «чтобы», «помогли», «ещё» are stop-words; the short
    # abbreviations stay.
    assert stems("Хочу, чтобы мне помогли с ИЗО и ещё с ёлкой по ОБЖ") == {"изо", "обж", "елкой"}
    a = mentor(competencies="Нужна помощь? Могу помочь")
    assert "needs" not in codes(score(a, mentee(needs="Нужна помощь"), "teacher-student"))


def test_interests_and_subject_bonuses():
    a = mentor(subjects="физика", interests="Шахматы, робототехника, туризм")
    b = mentee(subject="Физика", interests="шахматы и робототехнику")
    s = score(a, b, "teacher-student")
    assert text_of(s, "interests") == "Общие интересы: «шахматы», «робототехнику»"
    assert points_of(s, "interests") == 6
    assert text_of(s, "subject") == "Предмет наставляемого «Физика» есть среди предметов наставника"
    assert points_of(s, "subject") == 10


def test_sen_experience_bonus_and_penalty():
    with_exp = score(mentor(has_sen_experience=True), mentee(has_sen=True), "teacher-student")
    without = score(mentor(has_sen_experience=False), mentee(has_sen=True), "teacher-student")
    assert points_of(with_exp, "sen") == 15
    assert points_of(without, "sen") == -10
    assert text_of(without, "sen") == (
        "У наставляемого ОВЗ, а у наставника нет опыта работы с детьми с ОВЗ"
    )
    assert without.feasible  # hard only in «учитель – ученик с ОВЗ»
    assert "sen" not in codes(score(mentor(has_sen_experience=True), mentee(), "teacher-student"))


@pytest.mark.parametrize(("rank", "points"), [(1, 30), (2, 15), (3, 10), (4, 5)])
def test_preference_after_the_group_meeting(rank, points):
    prefs = tuple([90, 91, 92][: rank - 1]) + (1,)
    s = score(mentor(1), mentee(preferred_mentor_ids=prefs), "teacher-student")
    assert points_of(s, "preference") == points
    assert text_of(s, "preference").endswith(f"(выбор № {rank})")


@pytest.mark.parametrize(("mentor_age", "points"), [(16, 10), (15, 4), (19, 0)])
def test_age_gap_of_pupil_pairs(mentor_age, points):
    s = score(
        pupil_mentor(age=mentor_age), mentee(age=13 if mentor_age != 15 else 14), "student-student"
    )
    assert s.feasible
    assert points_of(s, "age_gap") == points


def test_young_specialist_and_career_grade_bonuses():
    young = score(
        mentor(), mentee(category="teacher", age=23, experience_years=1), "teacher-teacher"
    )
    assert text_of(young, "young_specialist") == "Наставляемый — молодой специалист (стаж 1 год)"
    older = score(
        mentor(), mentee(category="teacher", age=35, experience_years=8), "teacher-teacher"
    )
    assert "young_specialist" not in codes(older)
    career = score(mentor(category="partner"), mentee(grade=9), "employer-student")
    assert points_of(career, "career_grade") == 8
    assert "career_grade" not in codes(
        score(mentor(category="partner"), mentee(grade=5), "employer-student")
    )


# ---- the whole-programme numbers agree with the single-pair ones -------------------------

_WORDS_TEXT = (
    "математика алгебра геометрия физика химия биология информатика программирование "
    "шахматы футбол туризм робототехника олимпиады проекты исследования профориентация "
    "чтение литература история английский волонтерство музыка рисование ОГЭ ЕГЭ ВПР"
)
WORDS = _WORDS_TEXT.split()


def random_population(rng: random.Random, n_mentors: int, n_mentees: int):
    def text(k: int) -> str:
        return ", ".join(rng.sample(WORDS, rng.randint(0, k)))

    def maybe(v):
        return None if rng.random() < 0.2 else v

    mentors = [
        MentorCandidate(
            id=j + 1,
            name=f"M{j}",
            category=rng.choice(["pupil", "teacher", "college_student", "partner"]),
            age=maybe(rng.randint(13, 60)),
            grade=maybe(rng.randint(5, 11)),
            experience_years=maybe(rng.randint(0, 30)),
            subjects=text(2),
            competencies=text(4),
            interests=text(3),
            capacity=rng.randint(0, 3),
            has_sen_experience=rng.random() < 0.4,
            forms=frozenset(rng.sample(sorted(c.FORM_NAMES), rng.randint(0, 2))),
        )
        for j in range(n_mentors)
    ]
    mentees = [
        MenteeCandidate(
            id=100 + i,
            name=f"E{i}",
            category=rng.choice(["pupil", "pupil", "teacher", "college_student"]),
            age=maybe(rng.randint(10, 40)),
            grade=maybe(rng.randint(1, 11)),
            experience_years=maybe(rng.randint(0, 10)),
            needs=text(5),
            interests=text(3),
            subject=rng.choice(WORDS[:8] + [""]),
            has_sen=rng.random() < 0.3,
            is_gifted=rng.random() < 0.1,
            forms=frozenset(rng.sample(sorted(c.FORM_NAMES), rng.randint(0, 1))),
            preferred_mentor_ids=tuple(rng.sample(range(1, n_mentors + 1), rng.randint(0, 3))),
        )
        for i in range(n_mentees)
    ]
    return mentors, mentees


@pytest.mark.parametrize("form", [*c.FORM_NAMES, "school-own-form"])
def test_programme_matrix_equals_single_pair_scores(form):
    mentors, mentees = random_population(random.Random(form), 12, 20)
    ev = evaluate(mentors, mentees, form)
    for i, b in enumerate(mentees):
        for j, a in enumerate(mentors):
            s = score(a, b, form)
            assert s.feasible == bool(ev.feasible[i, j])
            assert s.total == ev.total[i, j]
            if s.feasible:
                assert s.total == sum(r.points for r in s.reasons)
            else:
                assert s.reasons and all(r.points == 0 for r in s.reasons)


# ---- assignment ----------------------------------------------------------------------------


def test_capacity_is_respected_and_the_rest_are_listed_unmatched():
    popular = mentor(1, capacity=2)
    mentees = [mentee(100 + i, preferred_mentor_ids=(1,)) for i in range(4)]
    result = match([popular], mentees, "teacher-student")
    assert len(result.suggestions) == 2
    assert {s.mentor_id for s in result.suggestions} == {1}
    assert len(result.unmatched_mentee_ids) == 2
    placed = {s.mentee_id for s in result.suggestions}
    assert placed.isdisjoint(result.unmatched_mentee_ids)
    assert placed | set(result.unmatched_mentee_ids) == {100, 101, 102, 103}


def test_infeasible_pairs_and_low_scores_are_never_suggested():
    mentors = [mentor(1, capacity=3), mentor(2, category="college_student", capacity=3)]
    mentees = [
        mentee(100, preferred_mentor_ids=(1,)),
        mentee(101),
        mentee(102, category="teacher", experience_years=2),
    ]
    result = match(mentors, mentees, "teacher-student")
    assert [(s.mentor_id, s.mentee_id) for s in result.suggestions] == [(1, 100), (1, 101)]
    assert result.unmatched_mentee_ids == (102,)
    assert result.total_score == 40 + 10
    strict = match(mentors, mentees, "teacher-student", min_score=20)
    assert [(s.mentor_id, s.mentee_id) for s in strict.suggestions] == [(1, 100)]
    assert strict.unmatched_mentee_ids == (101, 102)


def test_suggestions_carry_their_reasons():
    a = mentor(1, subjects="математика")
    result = match([a], [mentee(100, subject="математика")], "teacher-student")
    (suggestion,) = result.suggestions
    assert suggestion.score == score(a, mentee(100, subject="математика"), "teacher-student")


def test_matching_is_deterministic_whatever_the_input_order():
    mentors, mentees = random_population(random.Random(7), 15, 30)
    mentors = [replace(m, category="teacher", forms=frozenset()) for m in mentors]
    mentees = [replace(m, category="pupil", forms=frozenset()) for m in mentees]
    first = match(mentors, mentees, "teacher-student")
    assert first.suggestions  # a non-trivial case
    for seed in range(5):
        rng = random.Random(seed)
        shuffled_mentors, shuffled_mentees = mentors[:], mentees[:]
        rng.shuffle(shuffled_mentors)
        rng.shuffle(shuffled_mentees)
        assert match(shuffled_mentors, shuffled_mentees, "teacher-student") == first


def test_empty_programmes():
    assert match([], [mentee(100)], "teacher-student").unmatched_mentee_ids == (100,)
    assert match([mentor(1, capacity=0)], [mentee(100)], "teacher-student").suggestions == ()
    assert match([mentor(1)], [], "teacher-student").total_score == 0


def brute_force(mentors, mentees, form, min_score=0.0) -> tuple[int, float]:
    """Best (mentees placed, total score) over every assignment that respects capacity."""
    options = []
    for b in mentees:
        allowed = [None]
        for a in mentors:
            s = score(a, b, form)
            if s.feasible and s.total >= min_score:
                allowed.append((a.id, s.total))
        options.append(allowed)
    capacity = {a.id: a.capacity for a in mentors}
    best = (0, 0.0)
    for combo in itertools.product(*options):
        used = [p[0] for p in combo if p]
        if any(used.count(m) > capacity[m] for m in set(used)):
            continue
        best = max(best, (len(used), sum(p[1] for p in combo if p)))
    return best


def test_optimal_beats_greedy_and_equals_the_brute_force_optimum():
    # X suits Anna best (her first choice and her need), but Anna also chose Y, while Boris
    # chose only X. Best pair first gives X to Anna and leaves Boris the weak pair with Y.
    x = mentor(1, competencies="проекты")
    y = mentor(2)
    anna = mentee(100, needs="проекты", preferred_mentor_ids=(1, 2))
    boris = mentee(101, preferred_mentor_ids=(1,))
    assert score(x, anna, "teacher-student").total == 48
    assert score(y, anna, "teacher-student").total == 25
    assert score(x, boris, "teacher-student").total == 40
    assert score(y, boris, "teacher-student").total == 10

    greedy = greedy_match([x, y], [anna, boris], "teacher-student")
    optimal = match([x, y], [anna, boris], "teacher-student")
    assert [(s.mentor_id, s.mentee_id) for s in greedy.suggestions] == [(1, 100), (2, 101)]
    assert greedy.total_score == 58
    assert [(s.mentor_id, s.mentee_id) for s in optimal.suggestions] == [(1, 101), (2, 100)]
    assert optimal.total_score == 65
    assert (len(optimal.suggestions), optimal.total_score) == brute_force(
        [x, y], [anna, boris], "teacher-student"
    )


def test_coverage_comes_before_a_higher_total():
    # Only X is older than Boris, and X also suits Anna best. Best pair first takes the
    # 68-point X–Anna pair and leaves Boris alone; the model wants everyone placed, so Anna
    # gets Y (a good age gap) and Boris gets X, for a lower total.
    x = pupil_mentor(1, age=17, competencies="проекты исследования олимпиады")
    y = pupil_mentor(2, age=15)
    anna = mentee(100, age=12, needs="проекты исследования олимпиады", preferred_mentor_ids=(1,))
    boris = mentee(101, age=16, grade=10)
    assert score(y, boris, "student-student").feasible is False
    greedy = greedy_match([x, y], [anna, boris], "student-student")
    optimal = match([x, y], [anna, boris], "student-student")
    assert greedy.unmatched_mentee_ids == (101,)
    assert greedy.total_score == 68
    assert optimal.unmatched_mentee_ids == ()
    assert optimal.total_score == 20 + 14
    assert brute_force([x, y], [anna, boris], "student-student") == (2, 34.0)


def test_negative_scores_above_min_score_are_still_placed():
    # A school's own form gives no fit bonus, so the ОВЗ penalty alone makes −10. With the
    # curator's threshold at −20 both mentees are acceptable and both must be placed.
    a = mentor(1, capacity=2)
    pupils = [mentee(100, has_sen=True), mentee(101, has_sen=True)]
    result = match([a], pupils, "school-own-form", min_score=-20)
    assert result.unmatched_mentee_ids == ()
    assert result.total_score == -20
    assert match([a], pupils, "school-own-form").unmatched_mentee_ids == (100, 101)


@pytest.mark.parametrize("seed", range(30))
def test_match_equals_brute_force_on_small_random_programmes(seed):
    rng = random.Random(seed)
    # A school's own form has no +10 fit, so ОВЗ penalties make negative scores there too.
    form = "teacher-student" if seed % 2 else "school-own-form"
    min_score = rng.choice([-20.0, 0.0, 15.0])
    mentors, mentees = random_population(rng, 3, 5)
    mentors = [
        replace(m, category="teacher", forms=frozenset(), capacity=rng.randint(0, 2))
        for m in mentors
    ]
    mentees = [replace(m, category="pupil", forms=frozenset()) for m in mentees]
    result = match(mentors, mentees, form, min_score=min_score)
    assert (len(result.suggestions), result.total_score) == brute_force(
        mentors, mentees, form, min_score
    )
    greedy = greedy_match(mentors, mentees, form, min_score=min_score)
    assert (len(greedy.suggestions), greedy.total_score) <= (
        len(result.suggestions),
        result.total_score,
    )
    counts = np.bincount([s.mentor_id for s in result.suggestions], minlength=4)
    assert all(counts[m.id] <= m.capacity for m in mentors)
