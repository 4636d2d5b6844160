"""Russian reasons for a pair, built from the numbers `rules.evaluate` computed.

Only the pairs a curator looks at get texts (the suggestions, or one `score()` call), so a
programme of 18,000 candidate pairs builds a few hundred Reason objects, not 18,000 × 9.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from registry.matching.candidates import (
    CATEGORY_LABELS,
    FORM_CATEGORIES,
    MenteeCandidate,
    MentorCandidate,
    Reason,
    Score,
    form_name,
)
from registry.matching.rules import (
    AGE_GAP_BEST,
    NEED_CAP,
    PUPIL_MENTOR_AGES,
    PUPIL_MENTOR_MIN_GRADE,
    Evaluation,
    evaluate,
)
from registry.matching.text import stem_words

Mentor, Mentee = MentorCandidate, MenteeCandidate  # short names for the many text builders


def plural(n: int, one: str, few: str, many: str) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def years(n: int) -> str:
    return f"{n} {plural(n, 'год', 'года', 'лет')}"


def grades(n: int) -> str:
    return f"{n} {plural(n, 'класс', 'класса', 'классов')}"


def _category(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def _gap(mentor: Mentor, mentee: Mentee) -> str | None:
    """How much older the mentor is, in words, measured the way `rules.pupil_gap` does."""
    if mentor.age is not None and mentee.age is not None:
        return years(mentor.age - mentee.age)
    if mentor.grade is not None and mentee.grade is not None:
        return grades(mentor.grade - mentee.grade)
    return None


# ---- hard rules ------------------------------------------------------------------------


def _mentor_form(mentor: Mentor, mentee: Mentee, form: str) -> str:
    return gettext("Наставник не выбрал форму «{form}» в анкете").format(form=form_name(form))


def _mentee_form(mentor: Mentor, mentee: Mentee, form: str) -> str:
    return gettext("Наставляемый не выбрал форму «{form}» в анкете").format(form=form_name(form))


def _mentor_category(mentor: Mentor, mentee: Mentee, form: str) -> str:
    return gettext("В форме «{form}» наставник — {expected} (указано: {actual})").format(
        form=form_name(form),
        expected=_category(FORM_CATEGORIES[form][0]),
        actual=_category(mentor.category),
    )


def _mentee_category(mentor: Mentor, mentee: Mentee, form: str) -> str:
    return gettext("В форме «{form}» наставляемый — {expected} (указано: {actual})").format(
        form=form_name(form),
        expected=_category(FORM_CATEGORIES[form][1]),
        actual=_category(mentee.category),
    )


def _mentor_age(mentor: Mentor, mentee: Mentee, form: str) -> str:
    low, high = PUPIL_MENTOR_AGES
    values = {"form": form_name(form), "low": low, "high": high}
    if mentor.age is not None:
        text = gettext(
            "Наставник в форме «{form}» должен быть в возрасте {low}–{high} лет (указано: {age})"
        )
        return text.format(age=years(mentor.age), **values)
    if mentor.grade is not None:
        text = gettext(
            "Наставник в форме «{form}» должен учиться не ниже {min_grade} класса "
            "(указан {grade} класс)"
        )
        return text.format(min_grade=PUPIL_MENTOR_MIN_GRADE, grade=mentor.grade, **values)
    text = gettext(
        "Не указаны возраст и класс наставника: нельзя проверить правило формы «{form}» "
        "(наставник {low}–{high} лет)"
    )
    return text.format(**values)


def _not_older(mentor: Mentor, mentee: Mentee, form: str) -> str:
    text = gettext("Наставник в форме «{form}» должен быть старше наставляемого")
    text = text.format(form=form_name(form))
    if mentor.age is not None and mentee.age is not None:
        return f"{text} ({mentor.age} и {years(mentee.age)})"
    if mentor.grade is not None and mentee.grade is not None:
        return f"{text} ({mentor.grade} и {mentee.grade} класс)"
    return text + gettext(": возраст или класс не указан")


def _not_more_experienced(mentor: Mentor, mentee: Mentee, form: str) -> str:
    text = gettext("Наставник в форме «{form}» должен быть опытнее наставляемого")
    text = text.format(form=form_name(form))
    if mentor.experience_years is None or mentee.experience_years is None:
        return text + gettext(": стаж не указан")
    return f"{text} (стаж {mentor.experience_years} и {years(mentee.experience_years)})"


def _sen_experience_required(mentor: Mentor, mentee: Mentee, form: str) -> str:
    text = gettext("В форме «{form}» нужен наставник с опытом работы с детьми с ОВЗ")
    return text.format(form=form_name(form))


def _mentee_sen_required(mentor: Mentor, mentee: Mentee, form: str) -> str:
    text = gettext("В форме «{form}» наставляемый — обучающийся с ОВЗ")
    return text.format(form=form_name(form))


# ---- points ----------------------------------------------------------------------------


def _form_fit(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    text = gettext(
        "Категории подходят для формы «{form}»: наставник — {mentor}, наставляемый — {mentee}"
    )
    return text.format(
        form=form_name(form), mentor=_category(mentor.category), mentee=_category(mentee.category)
    )


def _needs(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    fields = (
        (gettext("компетенции"), stem_words(mentor.competencies)),
        (gettext("предметы"), stem_words(mentor.subjects)),
        (gettext("интересы"), stem_words(mentor.interests)),
    )
    found = []
    for stem, word in stem_words(mentee.needs).items():
        for label, words in fields:
            if stem in words:
                pair = f"«{word}»" if words[stem] == word else f"«{word}» ~ «{words[stem]}»"
                found.append(f"{pair} ({label})")
                break
    text = gettext("Запрос наставляемого совпадает с анкетой наставника: {words}")
    text = text.format(words=", ".join(found))
    if points >= NEED_CAP:
        text += gettext(" (учтено не больше {cap} баллов)").format(cap=int(NEED_CAP))
    return text


def _interests(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    theirs = stem_words(mentor.interests)
    words = [w for s, w in stem_words(mentee.interests).items() if s in theirs]
    return gettext("Общие интересы: {words}").format(words=", ".join(f"«{w}»" for w in words))


def _subject(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    text = gettext("Предмет наставляемого «{subject}» есть среди предметов наставника")
    return text.format(subject=mentee.subject.strip())


def _sen(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    if points > 0:
        return gettext("У наставляемого ОВЗ, у наставника есть опыт работы с детьми с ОВЗ")
    return gettext("У наставляемого ОВЗ, а у наставника нет опыта работы с детьми с ОВЗ")


def _preference(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    rank = mentee.preferred_mentor_ids.index(mentor.id) + 1
    text = gettext("Наставляемый выбрал этого наставника после групповой встречи (выбор № {rank})")
    return text.format(rank=rank)


def _mentor_preference(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    rank = mentor.preferred_mentee_ids.index(mentee.id) + 1
    text = gettext("Наставник выбрал этого наставляемого после групповой встречи (выбор № {rank})")
    return text.format(rank=rank)


def _mutual_choice(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    return gettext("Взаимный выбор: после групповой встречи оба назвали друг друга первыми")


def _age_gap(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    gap = _gap(mentor, mentee)
    if points >= AGE_GAP_BEST:
        text = gettext(
            "Наставник старше на {gap}: оптимальная разница для пары учеников (2–4 года)"
        )
    else:
        text = gettext("Наставник старше на {gap}: допустимая разница (лучше 2–4 года)")
    return text.format(gap=gap)


def _young_specialist(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    text = gettext("Наставляемый — молодой специалист (стаж {experience})")
    return text.format(experience=years(mentee.experience_years))


def _career_grade(mentor: Mentor, mentee: Mentee, form: str, points: float) -> str:
    text = gettext("Наставляемый в {grade} классе: возраст профессионального самоопределения")
    return text.format(grade=mentee.grade)


FAILURE_TEXTS: dict[str, Callable[[Mentor, Mentee, str], str]] = {
    "mentor_form": _mentor_form,
    "mentee_form": _mentee_form,
    "mentor_category": _mentor_category,
    "mentee_category": _mentee_category,
    "mentor_age": _mentor_age,
    "not_older": _not_older,
    "not_more_experienced": _not_more_experienced,
    "sen_experience_required": _sen_experience_required,
    "mentee_sen_required": _mentee_sen_required,
}

POINT_TEXTS: dict[str, Callable[[Mentor, Mentee, str, float], str]] = {
    "form_fit": _form_fit,
    "needs": _needs,
    "subject": _subject,
    "interests": _interests,
    "sen": _sen,
    "preference": _preference,
    "mentor_preference": _mentor_preference,
    "mutual_choice": _mutual_choice,
    "age_gap": _age_gap,
    "young_specialist": _young_specialist,
    "career_grade": _career_grade,
}


def explain(evaluation: Evaluation, i: int, j: int) -> Score:
    """The Score of mentee row `i` with mentor column `j`, reasons in rule order."""
    mentor, mentee, form = evaluation.mentors[j], evaluation.mentees[i], evaluation.form_code
    if not evaluation.feasible[i, j]:
        reasons = tuple(
            Reason(code, FAILURE_TEXTS[code](mentor, mentee, form), 0.0)
            for code, failed in evaluation.failures.items()
            if failed[i, j]
        )
        return Score(total=0.0, feasible=False, reasons=reasons)
    reasons = []
    if form not in FORM_CATEGORIES:
        note = gettext("Форма «{form}» не из стандартных: категории участников не проверялись")
        reasons.append(Reason("form_custom", note.format(form=form), 0.0))
    for code, matrix in evaluation.points.items():
        points = float(matrix[i, j])
        if points:
            reasons.append(Reason(code, POINT_TEXTS[code](mentor, mentee, form, points), points))
    # The total is the matrix's own number, which the tests check equals the reasons' sum.
    return Score(total=float(evaluation.total[i, j]), feasible=True, reasons=tuple(reasons))


def score(mentor: MentorCandidate, mentee: MenteeCandidate, form_code: str) -> Score:
    """Score one pair, with the reasons a curator sees; the same numbers `match` optimises."""
    return explain(evaluate([mentor], [mentee], form_code), 0, 0)
