"""The scoring rules, evaluated for every mentee × mentor pair of a programme at once.

This is the single source of the numbers: `score()` runs it on a 1 × 1 programme and
`match()` on the whole one, so the points a curator reads in the reasons are exactly the
points the optimiser used. Rows are mentees, columns mentors. Hard rules are tied to the form;
bonuses follow the categories, so a school's own forms still get them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from registry.matching.candidates import (
    FORM_CATEGORIES,
    PARTNER,
    PUPIL,
    STUDENT_STUDENT,
    TEACHER,
    TEACHER_STUDENT_SEN,
    TEACHER_TEACHER,
    MenteeCandidate,
    MentorCandidate,
)
from registry.matching.text import stems

# Points. Integers on purpose: totals stay exact and ties are real ties.
FORM_FIT = 10.0
NEED_WORD, NEED_CAP = 8.0, 32.0
INTEREST_WORD, INTEREST_CAP = 3.0, 9.0
SAME_SUBJECT = 10.0
SEN_BONUS, SEN_PENALTY = 15.0, -10.0
PREFERENCE_BY_RANK = (30.0, 15.0, 10.0)  # rank 1, 2, 3
PREFERENCE_LATER = 5.0  # ranks beyond the third
# Both named each other first after the group meeting: on top of both ranks' points, so a
# mutual first choice outweighs any one-sided choice and any other single rule.
MUTUAL_FIRST = 25.0
AGE_GAP_BEST, AGE_GAP_OK = 10.0, 4.0  # 2–4 years; 1 or 5 years
YOUNG_SPECIALIST = 10.0
YOUNG_SPECIALIST_MAX_YEARS = 3
CAREER_GRADE = 8.0
CAREER_GRADES = (8, 11)

# Hard limits of the «ученик – ученик» form (target model: mentors aged 15–19).
PUPIL_MENTOR_AGES = (15, 19)
PUPIL_MENTOR_MIN_GRADE = 8


def _num(values: Sequence[int | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


@dataclass(frozen=True)
class _Side:
    """One side's attributes as arrays, built once per person."""

    category: np.ndarray
    age: np.ndarray
    grade: np.ndarray
    experience: np.ndarray
    sen: np.ndarray  # mentee: has ОВЗ; mentor: has experience with ОВЗ
    open_to_form: np.ndarray

    @classmethod
    def of(cls, people: Sequence[MentorCandidate | MenteeCandidate], form: str) -> _Side:
        return cls(
            category=np.array([p.category for p in people], dtype=object),
            age=_num([p.age for p in people]),
            grade=_num([p.grade for p in people]),
            experience=_num([p.experience_years for p in people]),
            sen=np.array(
                [
                    p.has_sen_experience if isinstance(p, MentorCandidate) else p.has_sen
                    for p in people
                ],
                dtype=bool,
            ),
            open_to_form=np.array([p.open_to(form) for p in people], dtype=bool),
        )


def overlap(left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]) -> np.ndarray:
    """Number of shared stems for every (left, right) pair, by one matrix product."""
    vocab: dict[str, int] = {}
    for words in left:
        for word in words:
            vocab.setdefault(word, len(vocab))
    out = np.zeros((len(left), len(right)), dtype=float)
    if not vocab:
        return out
    a = np.zeros((len(left), len(vocab)), dtype=np.float32)
    b = np.zeros((len(right), len(vocab)), dtype=np.float32)
    for i, words in enumerate(left):
        a[i, [vocab[w] for w in words]] = 1.0
    for j, words in enumerate(right):
        cols = [vocab[w] for w in words if w in vocab]
        if cols:
            b[j, cols] = 1.0
    # float32 is exact for these small counts and goes through BLAS.
    return (a @ b.T).astype(float)


def pupil_gap(mentor: _Side, mentee: _Side) -> np.ndarray:
    """How much older the mentor is: by age when both are known, else by grade, else NaN."""
    by_age = mentor.age[None, :] - mentee.age[:, None]
    by_grade = mentor.grade[None, :] - mentee.grade[:, None]
    return np.where(np.isnan(by_age), by_grade, by_age)


@dataclass(frozen=True)
class Evaluation:
    """Every rule's points and every hard rule's failures, as (mentees × mentors) arrays."""

    form_code: str
    mentors: tuple[MentorCandidate, ...]
    mentees: tuple[MenteeCandidate, ...]
    points: dict[str, np.ndarray]
    failures: dict[str, np.ndarray]
    feasible: np.ndarray
    total: np.ndarray  # 0 where infeasible


def _failures(form: str, mr: _Side, me: _Side, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    def full(mask: np.ndarray) -> np.ndarray:
        return np.broadcast_to(mask, shape).copy()

    f = {
        "mentor_form": full(~mr.open_to_form[None, :]),
        "mentee_form": full(~me.open_to_form[:, None]),
    }
    if form not in FORM_CATEGORIES:
        return f
    mentor_cat, mentee_cat = FORM_CATEGORIES[form]
    mentor_ok = mr.category == mentor_cat
    mentee_ok = me.category == mentee_cat
    both = mentee_ok[:, None] & mentor_ok[None, :]
    f["mentor_category"] = full(~mentor_ok[None, :])
    f["mentee_category"] = full(~mentee_ok[:, None])
    # Age and experience rules only speak where the categories already fit: a teacher in
    # «ученик – ученик» is refused for the category, not also for being over 19.
    if form == STUDENT_STUDENT:
        low, high = PUPIL_MENTOR_AGES
        age_ok = np.where(
            np.isnan(mr.age),
            np.nan_to_num(mr.grade, nan=0.0) >= PUPIL_MENTOR_MIN_GRADE,
            (mr.age >= low) & (mr.age <= high),
        )
        f["mentor_age"] = full((mentor_ok & ~age_ok)[None, :])
        f["not_older"] = both & ~(pupil_gap(mr, me) > 0)
    elif form == TEACHER_TEACHER:
        more = mr.experience[None, :] > me.experience[:, None]  # NaN compares False
        f["not_more_experienced"] = both & ~more
    elif form == TEACHER_STUDENT_SEN:
        f["sen_experience_required"] = full((mentor_ok & ~mr.sen)[None, :])
        f["mentee_sen_required"] = full((mentee_ok & ~me.sen)[:, None])
    return f


def _preferences(mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate]):
    column = {m.id: j for j, m in enumerate(mentors)}
    out = np.zeros((len(mentees), len(mentors)), dtype=float)
    for i, mentee in enumerate(mentees):
        for rank, mentor_id in enumerate(mentee.preferred_mentor_ids):
            j = column.get(mentor_id)
            if j is not None and out[i, j] == 0:  # a repeated id keeps its best rank
                out[i, j] = preference_points(rank + 1)
    return out


def _mentor_preferences(mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate]):
    row = {m.id: i for i, m in enumerate(mentees)}
    out = np.zeros((len(mentees), len(mentors)), dtype=float)
    for j, mentor in enumerate(mentors):
        for rank, mentee_id in enumerate(mentor.preferred_mentee_ids):
            i = row.get(mentee_id)
            if i is not None and out[i, j] == 0:
                out[i, j] = preference_points(rank + 1)
    return out


def _mutual_first(mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate]):
    column = {m.id: j for j, m in enumerate(mentors)}
    out = np.zeros((len(mentees), len(mentors)), dtype=float)
    for i, mentee in enumerate(mentees):
        if not mentee.preferred_mentor_ids:
            continue
        j = column.get(mentee.preferred_mentor_ids[0])
        if j is not None and mentors[j].preferred_mentee_ids[:1] == (mentee.id,):
            out[i, j] = MUTUAL_FIRST
    return out


def preference_points(rank: int) -> float:
    return PREFERENCE_BY_RANK[rank - 1] if rank <= len(PREFERENCE_BY_RANK) else PREFERENCE_LATER


def _points(
    form: str,
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    mr: _Side,
    me: _Side,
) -> dict[str, np.ndarray]:
    shape = (len(mentees), len(mentors))
    profile = [stems(m.competencies) | stems(m.subjects) | stems(m.interests) for m in mentors]
    needs = overlap([stems(m.needs) for m in mentees], profile)
    interests = overlap(
        [stems(m.interests) for m in mentees], [stems(m.interests) for m in mentors]
    )
    subject = overlap([stems(m.subject) for m in mentees], [stems(m.subjects) for m in mentors])

    pupils = (me.category == PUPIL)[:, None] & (mr.category == PUPIL)[None, :]
    gap = pupil_gap(mr, me)
    age_gap = np.where(
        pupils & (gap >= 2) & (gap <= 4),
        AGE_GAP_BEST,
        np.where(pupils & ((gap == 1) | (gap == 5)), AGE_GAP_OK, 0.0),
    )
    young = (me.category == TEACHER) & (me.experience <= YOUNG_SPECIALIST_MAX_YEARS)
    career = (
        (me.category == PUPIL) & (me.grade >= CAREER_GRADES[0]) & (me.grade <= CAREER_GRADES[1])
    )
    sen = np.where(me.sen[:, None], np.where(mr.sen[None, :], SEN_BONUS, SEN_PENALTY), 0.0)
    return {
        "form_fit": np.full(shape, FORM_FIT if form in FORM_CATEGORIES else 0.0),
        "needs": np.minimum(needs * NEED_WORD, NEED_CAP),
        "subject": np.where(subject > 0, SAME_SUBJECT, 0.0),
        "interests": np.minimum(interests * INTEREST_WORD, INTEREST_CAP),
        "sen": np.broadcast_to(sen, shape).astype(float),
        "preference": _preferences(mentors, mentees),
        "mentor_preference": _mentor_preferences(mentors, mentees),
        "mutual_choice": _mutual_first(mentors, mentees),
        "age_gap": age_gap,
        "young_specialist": np.broadcast_to(
            np.where(young, YOUNG_SPECIALIST, 0.0)[:, None], shape
        ).copy(),
        "career_grade": np.where(
            career[:, None] & (mr.category == PARTNER)[None, :], CAREER_GRADE, 0.0
        ),
    }


def evaluate(
    mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate], form_code: str
) -> Evaluation:
    mentors, mentees = tuple(mentors), tuple(mentees)
    mr, me = _Side.of(mentors, form_code), _Side.of(mentees, form_code)
    shape = (len(mentees), len(mentors))
    failures = _failures(form_code, mr, me, shape)
    points = _points(form_code, mentors, mentees, mr, me)
    feasible = ~np.logical_or.reduce(list(failures.values())) if failures else np.ones(shape, bool)
    total = np.where(feasible, np.sum(list(points.values()), axis=0), 0.0)
    return Evaluation(form_code, mentors, mentees, points, failures, feasible, total)
