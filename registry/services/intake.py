"""Taking a candidate's intake questionnaire into the registry, once the curator has
reviewed it (issue 15). The answers arrive by question code (monitoring.standard's
intake questionnaires; an adapted copy keeps the codes); this service is the only writer,
so the answers never touch the registry before the curator's click.

What goes where:
- mentee: `needs` (+ `interests`) → a MenteeNeed from the mentee's own questionnaire;
  `preferred_form` → the forms they are open to as a mentee; `availability`.
- mentor: `useful`, `competencies`, `mentoring_experience` → the profile's competences;
  `subjects`, `interests`, `capacity` (max mentees), `sen_experience` (ОВЗ) → the
  profile; `experience_years` → the person's experience; `preferred_form` → their forms
  as a mentor; `availability`.
An answer left empty keeps what the registry has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import User
from registry.models import (
    MENTOR_CAPACITY_MAX,
    MemberRole,
    MenteeNeed,
    MentoringForm,
    MentorProfile,
    NeedSource,
    Participant,
)


def _text(value: object) -> str:
    return str(value or "").strip()


@dataclass(frozen=True)
class IntakeAnswers:
    needs: str = ""
    interests: str = ""
    useful: str = ""
    competencies: str = ""
    subjects: str = ""
    mentoring_experience: str = ""
    experience_years: int | None = None
    sen_experience: bool | None = None
    capacity: int | None = None
    forms: tuple[str, ...] = ()  # form names as offered in the questionnaire
    availability: str = ""
    filled_on: date | None = None
    other: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_codes(cls, values: dict[str, object], filled_on: date | None = None) -> IntakeAnswers:
        known = {
            "needs", "interests", "useful", "competencies", "subjects", "mentoring_experience",
            "experience_years", "sen_experience", "capacity", "preferred_form", "availability",
        }  # fmt: skip
        digits = re.search(r"\d+", _text(values.get("experience_years")))
        capacity = re.search(r"\d+", _text(values.get("capacity")))
        forms = values.get("preferred_form") or ()
        sen = values.get("sen_experience")
        return cls(
            needs=_text(values.get("needs")),
            interests=_text(values.get("interests")),
            useful=_text(values.get("useful")),
            competencies=_text(values.get("competencies")),
            subjects=_text(values.get("subjects")),
            mentoring_experience=_text(values.get("mentoring_experience")),
            experience_years=min(int(digits.group()), 70) if digits else None,
            sen_experience=sen if isinstance(sen, bool) else None,
            capacity=max(1, min(int(capacity.group()), MENTOR_CAPACITY_MAX)) if capacity else None,
            forms=tuple(str(f) for f in forms) if isinstance(forms, list | tuple) else (),
            availability=_text(values.get("availability"))[:500],
            filled_on=filled_on,
            other={k: _text(v) for k, v in values.items() if k not in known and _text(v)},
        )


def _forms(names: tuple[str, ...]) -> list[MentoringForm]:
    wanted = {n.strip().lower() for n in names}
    return [f for f in MentoringForm.objects.all() if f.name.strip().lower() in wanted]


@transaction.atomic
def intake_apply(
    *, actor: User | None, participant: Participant, role: str, answers: IntakeAnswers
) -> Participant:
    """Write a reviewed intake questionnaire into the registry (one transaction, audited)."""
    changed: list[str] = []
    if answers.availability:
        participant.availability = answers.availability
        changed.append("availability")
    if role == MemberRole.MENTEE:
        participant.is_mentee = True
        need = answers.needs
        if answers.interests:
            need = "\n".join(
                p for p in (need, _("Интересы: %(i)s") % {"i": answers.interests}) if p
            )
        if (
            need
            and not MenteeNeed.objects.filter(
                participant=participant, source=NeedSource.SELF, text=need
            ).exists()
        ):
            MenteeNeed.objects.create(
                organization=participant.organization,
                participant=participant,
                source=NeedSource.SELF,
                text=need,
                recorded_on=answers.filled_on or date.today(),
            )
            changed.append("needs")
        forms = _forms(answers.forms)
        if forms:
            participant.mentee_forms.set(forms)
            changed.append("mentee_forms")
    else:
        participant.is_mentor = True
        if answers.experience_years is not None:
            participant.experience_years = answers.experience_years
            changed.append("experience_years")
        profile, _created = MentorProfile.objects.get_or_create(
            participant=participant, defaults={"organization": participant.organization}
        )
        competencies = "\n".join(
            p
            for p in (
                answers.useful,
                answers.competencies,
                _("Опыт наставничества: %(e)s") % {"e": answers.mentoring_experience}
                if answers.mentoring_experience
                else "",
            )
            if p
        )
        if competencies:
            profile.competencies = competencies
        if answers.subjects:
            profile.subjects = answers.subjects
        if answers.interests:
            profile.interests = answers.interests
        if answers.capacity is not None:
            profile.max_mentees = answers.capacity
        if answers.sen_experience is not None:
            profile.has_sen_experience = answers.sen_experience
        profile.filled_on = answers.filled_on or date.today()
        profile.save()
        changed.append("mentor_profile")
        forms = _forms(answers.forms)
        if forms:
            participant.mentor_forms.set(forms)
            changed.append("mentor_forms")
    participant.save()
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="intake.accept",
        obj=participant,
        role=role,
        fields=changed,
    )
    return participant
