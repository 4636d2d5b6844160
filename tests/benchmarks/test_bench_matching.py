"""Matching for a programme of 300 mentees and 60 mentors must take under 2 s, scoring included.

Run by `make bench` only (marker `bench`); prints its figure for the closing notes. Pure: the
candidates are built in memory from seeded random questionnaire texts.
"""

import random
import time

import pytest

from registry.matching import MenteeCandidate, MentorCandidate, greedy_match, match
from registry.matching.text import stem_words

pytestmark = pytest.mark.bench

SUBJECTS = [
    "математика", "русский язык", "литература", "физика", "химия", "биология", "история",
    "обществознание", "география", "информатика", "английский язык", "технология",
]  # fmt: skip
COMPETENCIES = [
    "подготовка к ОГЭ", "подготовка к ЕГЭ", "олимпиадная математика", "проектная деятельность",
    "исследовательские работы", "профориентация и выбор профессии", "программирование на Python",
    "робототехника", "публичные выступления", "тайм-менеджмент", "адаптация в новом коллективе",
    "работа с родителями", "классное руководство", "методика урока", "финансовая грамотность",
    "волонтерские проекты", "школьное самоуправление", "подготовка к ВПР",
    "функциональная грамотность",
]  # fmt: skip
INTERESTS = [
    "шахматы", "футбол", "волейбол", "туризм", "фотография", "музыка", "рисование", "театр",
    "чтение", "кино", "компьютерные игры", "танцы", "краеведение", "экология", "астрономия",
]  # fmt: skip
NEEDS = [
    "Нужна помощь в подготовке к ОГЭ по {s}",
    "Трудности с предметом {s}, низкая успеваемость",
    "Хочет участвовать в олимпиаде по {s}",
    "Рекомендовано: развитие коммуникативных навыков и уверенности в себе",
    "Не может определиться с профессией, интересуется {i}",
    "Хочу сделать исследовательский проект по {s}",
    "Педагог-психолог: адаптация в новом классе, тревожность",
    "Родители просят помочь с выбором профиля обучения",
    "Классный руководитель: пропуски уроков, низкая мотивация",
    "Интересуется программированием и робототехникой",
]


def _sample(rng: random.Random, pool: list[str], low: int, high: int) -> str:
    return ", ".join(rng.sample(pool, rng.randint(low, high)))


def programme(seed: int = 2024) -> tuple[list[MentorCandidate], list[MenteeCandidate]]:
    rng = random.Random(seed)
    mentors = [
        MentorCandidate(
            id=j,
            name=f"Наставник {j}",
            category="teacher",
            age=rng.randint(24, 64),
            grade=None,
            experience_years=rng.randint(1, 40),
            subjects=_sample(rng, SUBJECTS, 1, 2),
            competencies=_sample(rng, COMPETENCIES, 2, 5),
            interests=_sample(rng, INTERESTS, 1, 4),
            capacity=rng.randint(1, 5),
            has_sen_experience=rng.random() < 0.3,
            forms=frozenset() if rng.random() < 0.7 else frozenset({"teacher-student"}),
        )
        for j in range(1, 61)
    ]
    mentees = []
    for i in range(1, 301):
        grade = rng.randint(5, 11)
        subject = rng.choice(SUBJECTS)
        needs = "; ".join(
            rng.choice(NEEDS).format(s=rng.choice([subject, *SUBJECTS]), i=rng.choice(INTERESTS))
            for _ in range(rng.randint(1, 4))
        )
        mentees.append(
            MenteeCandidate(
                id=1000 + i,
                name=f"Обучающийся {i}",
                category="pupil",
                age=grade + 6 + rng.randint(0, 1),
                grade=grade,
                experience_years=None,
                needs=needs,
                interests=_sample(rng, INTERESTS, 0, 3),
                subject=subject,
                has_sen=rng.random() < 0.1,
                is_gifted=rng.random() < 0.1,
                forms=frozenset(),
                preferred_mentor_ids=tuple(rng.sample(range(1, 61), rng.randint(0, 3))),
            )
        )
    return mentors, mentees


def test_matching_300_mentees_60_mentors():
    mentors, mentees = programme()
    assert sum(m.capacity for m in mentors) >= 150
    stem_words.cache_clear()  # time the tokenising too, as on a fresh programme
    started = time.perf_counter()
    result = match(mentors, mentees, "teacher-student")
    seconds = time.perf_counter() - started
    print(f"\nBENCH matching 300 mentees x 60 mentors: {seconds:.2f} s")
    greedy = greedy_match(mentors, mentees, "teacher-student")
    print(
        f"BENCH matching placed {len(result.suggestions)} (greedy {len(greedy.suggestions)}), "
        f"total {result.total_score:.0f} (greedy {greedy.total_score:.0f})"
    )
    assert seconds < 2.0
    assert len(result.suggestions) + len(result.unmatched_mentee_ids) == 300
    assert len(result.suggestions) >= len(greedy.suggestions)
    assert all(s.score.reasons for s in result.suggestions)
