"""The inputs and outputs of matching: plain frozen records, no ORM.

The caller (a service) turns Participant + MentorProfile / MenteeNeed rows into these, so the
matching itself stays pure, testable without a database and fast enough to score a whole
programme at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.catalog import STANDARD_FORMS

# Mirrors registry.models.people.Category; kept as plain strings so this package never
# imports Django models (a test checks they stay in step).
PUPIL = "pupil"
TEACHER = "teacher"
COLLEGE_STUDENT = "college_student"
PARTNER = "partner"

CATEGORY_LABELS = {
    PUPIL: "обучающийся",
    TEACHER: "педагог",
    COLLEGE_STUDENT: "студент",
    PARTNER: "представитель организации-партнёра",
}

STUDENT_STUDENT = "student-student"
TEACHER_TEACHER = "teacher-teacher"
TEACHER_STUDENT = "teacher-student"
COLLEGE_STUDENT_FORM = "college-student"
EMPLOYER_STUDENT = "employer-student"
EMPLOYER_COLLEGE = "employer-college"
TEACHER_STUDENT_SEN = "teacher-student-sen"

FORM_NAMES: dict[str, str] = dict(STANDARD_FORMS)

# (mentor category, mentee category) of each standard form. Forms outside this table are a
# school's own: the category rule is skipped for them, every other rule still applies.
FORM_CATEGORIES: dict[str, tuple[str, str]] = {
    STUDENT_STUDENT: (PUPIL, PUPIL),
    TEACHER_TEACHER: (TEACHER, TEACHER),
    TEACHER_STUDENT: (TEACHER, PUPIL),
    COLLEGE_STUDENT_FORM: (COLLEGE_STUDENT, PUPIL),
    EMPLOYER_STUDENT: (PARTNER, PUPIL),
    EMPLOYER_COLLEGE: (PARTNER, COLLEGE_STUDENT),
    TEACHER_STUDENT_SEN: (TEACHER, PUPIL),
}


def form_name(form_code: str) -> str:
    return FORM_NAMES.get(form_code, form_code)


@dataclass(frozen=True)
class MentorCandidate:
    id: int
    name: str
    category: str
    age: int | None
    grade: int | None
    experience_years: int | None
    subjects: str
    competencies: str
    interests: str
    # Free slots: MentorProfile.max_mentees minus mentees the mentor already has.
    capacity: int
    has_sen_experience: bool
    # Form codes the person is open to as a mentor; empty means any form.
    forms: frozenset[str] = frozenset()
    # Ranked choices of mentees after the group meeting, best first.
    preferred_mentee_ids: tuple[int, ...] = ()

    def open_to(self, form_code: str) -> bool:
        return not self.forms or form_code in self.forms


@dataclass(frozen=True)
class MenteeCandidate:
    id: int
    name: str
    category: str
    age: int | None
    grade: int | None
    experience_years: int | None
    # All needs joined: own questionnaire, class teacher, psychologist, parents, attestation.
    needs: str
    interests: str
    subject: str
    has_sen: bool
    is_gifted: bool
    forms: frozenset[str] = frozenset()
    # Ranked choices from the questionnaire after the group meeting, best first.
    preferred_mentor_ids: tuple[int, ...] = ()

    def open_to(self, form_code: str) -> bool:
        return not self.forms or form_code in self.forms


@dataclass(frozen=True)
class Reason:
    """One applied rule, in Russian for the curator, with the points it adds (0 for notes)."""

    code: str
    text: str
    points: float


@dataclass(frozen=True)
class Score:
    """The pair's total; an infeasible pair has total 0 and only the reasons that forbid it."""

    total: float
    feasible: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    mentee_id: int
    score: Score


@dataclass(frozen=True)
class MatchResult:
    suggestions: tuple[Suggestion, ...]
    # Mentees to be given support while the search for a pair continues.
    unmatched_mentee_ids: tuple[int, ...]
    total_score: float

    @property
    def matched_count(self) -> int:
        return len(self.suggestions)
