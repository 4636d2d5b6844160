"""Participants of a school's programmes: validated, deduplicated, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import Organization, User
from registry.models import (
    ASSESSMENT_PARAMETERS,
    Category,
    EntryAssessment,
    MenteeNeed,
    MentorProfile,
    Participant,
)

# Plausible ages by category; outside them a birth date is most likely a typo.
AGE_RANGES = {
    Category.PUPIL: (5, 20),
    Category.TEACHER: (18, 80),
    Category.COLLEGE_STUDENT: (14, 35),
    Category.PARTNER: (18, 80),
}

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "phone",
    "email",
    "category",
    "grade",
    "class_letter",
    "position",
    "subject",
    "experience_years",
    "study_place",
    "partner",
    "has_sen",
    "is_gifted",
    "in_difficult_situation",
    "is_mentor",
    "is_mentee",
)


# Fields that the consent state and the municipal mentor base are computed from.
CONSENT_INPUTS = frozenset({"is_mentor", "category", "birth_date"})


def validate_person(data: dict[str, Any], *, today: date | None = None) -> dict[str, list[str]]:
    """Russian messages per field for the rules every entry path shares (forms, import, API)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, label in (("last_name", _("фамилию")), ("first_name", _("имя"))):
        if not (data.get(field) or "").strip():
            add(field, _("Укажите %(what)s.") % {"what": label})
    category = data.get("category")
    if category not in Category.values:
        add(
            "category",
            _("Укажите категорию: обучающийся, педагог, студент или представитель партнёра."),
        )
        return errors
    birth = data.get("birth_date")
    if birth:
        if birth > today:
            add("birth_date", _("Дата рождения в будущем."))
        else:
            low, high = AGE_RANGES[Category(category)]
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            if not low <= age <= high:
                add(
                    "birth_date",
                    _(
                        "Возраст %(age)s лет неправдоподобен для категории «%(cat)s» "
                        "(ожидается %(low)s–%(high)s)."
                    )
                    % {"age": age, "cat": Category(category).label, "low": low, "high": high},
                )
    grade = data.get("grade")
    if category == Category.PUPIL:
        if grade in (None, ""):
            add("grade", _("Для обучающегося укажите класс (1–11)."))
        elif not 1 <= int(grade) <= 11:
            add("grade", _("Класс должен быть от 1 до 11."))
    experience = data.get("experience_years")
    if experience not in (None, "") and int(experience) < 0:
        add("experience_years", _("Стаж не может быть отрицательным."))
    if not data.get("is_mentor") and not data.get("is_mentee"):
        add("is_mentee", _("Отметьте, кто это: наставник, наставляемый или оба."))
    return errors


def find_duplicate(
    organization: Organization, data: dict[str, Any], *, exclude_pk: int | None = None
) -> Participant | None:
    """The same person in this school: same full name and birth date (case-insensitive)."""
    qs = Participant.objects.filter(
        organization=organization,
        last_name__iexact=(data.get("last_name") or "").strip(),
        first_name__iexact=(data.get("first_name") or "").strip(),
        patronymic__iexact=(data.get("patronymic") or "").strip(),
        birth_date=data.get("birth_date"),
        depersonalized_at__isnull=True,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def duplicate_message() -> str:
    return _("Такой участник уже есть в реестре школы (совпадают ФИО и дата рождения).")


def _clean_strings(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


@transaction.atomic
def participant_create(
    *,
    actor: User | None,
    organization: Organization,
    mentor_forms=(),
    mentee_forms=(),
    **data: Any,
) -> Participant:
    data = _clean_strings({k: v for k, v in data.items() if k in PERSON_FIELDS})
    errors = validate_person(data)
    if errors:
        raise ValidationError(errors)
    # The school's row is locked first: two identical creates at once (a double click)
    # run one after the other, and the second finds the first (409).
    lock(organization)
    if find_duplicate(organization, data):
        raise Conflict(duplicate_message())
    with conflicts(duplicate_message()):
        participant = Participant.objects.create(
            organization=organization, created_by=actor, **data
        )
    participant.mentor_forms.set(mentor_forms)
    participant.mentee_forms.set(mentee_forms)
    audit.record(
        actor=actor, organization=organization, action="participant.create", obj=participant
    )
    return participant


@transaction.atomic
def participant_update(
    *,
    actor: User | None,
    participant: Participant,
    mentor_forms=None,
    mentee_forms=None,
    **data: Any,
) -> Participant:
    if participant.depersonalized_at:
        raise ValidationError(_("Данные участника обезличены и не редактируются."))
    data = _clean_strings({k: v for k, v in data.items() if k in PERSON_FIELDS})
    merged = {f: getattr(participant, f) for f in PERSON_FIELDS} | data
    errors = validate_person(merged)
    if errors:
        raise ValidationError(errors)
    lock(participant.organization)
    if find_duplicate(participant.organization, merged, exclude_pk=participant.pk):
        raise Conflict(duplicate_message())
    changed = [f for f, v in data.items() if getattr(participant, f) != v]
    for field, value in data.items():
        setattr(participant, field, value)
    with conflicts(duplicate_message()):
        participant.save()
    if mentor_forms is not None:
        participant.mentor_forms.set(mentor_forms)
    if mentee_forms is not None:
        participant.mentee_forms.set(mentee_forms)
    if CONSENT_INPUTS.intersection(changed):
        # The cached consent state and the mentor-base flag depend on these: a teacher
        # marked as mentor with a mentor-base consent joins the base now, and a birth
        # date that makes someone a minor invalidates the consent they signed themselves.
        from registry.services.consent import refresh_consent_state

        refresh_consent_state(participant)
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="participant.update",
        obj=participant,
        fields=changed,
    )
    return participant


@transaction.atomic
def mentor_profile_save(
    *, actor: User | None, participant: Participant, **data: Any
) -> MentorProfile:
    """The mentor questionnaire «Чем я могу быть полезен в качестве наставника?»."""
    fields = (
        "competencies",
        "subjects",
        "interests",
        "max_mentees",
        "has_sen_experience",
        "filled_on",
    )
    values = {k: v for k, v in data.items() if k in fields}
    if values.get("max_mentees") is not None and int(values["max_mentees"]) < 1:
        raise ValidationError({"max_mentees": _("Наставник берёт хотя бы одного наставляемого.")})
    profile, _created = MentorProfile.objects.update_or_create(
        participant=participant, organization=participant.organization, defaults=values
    )
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="participant.mentor_profile",
        obj=participant,
    )
    return profile


def record_view(*, actor: User, participant: Participant) -> None:
    """Every opening of a pupil's page is logged: the data subject may ask who saw it."""
    if participant.category == Category.PUPIL:
        audit.record(
            actor=actor,
            organization=participant.organization,
            action="participant.view",
            obj=participant,
        )


@transaction.atomic
def mentee_need_add(
    *,
    actor: User | None,
    participant: Participant,
    source: str,
    text: str,
    recorded_on: date | None = None,
) -> MenteeNeed:
    if not text.strip():
        raise ValidationError({"text": _("Опишите запрос или потребность.")})
    need = MenteeNeed.objects.create(
        organization=participant.organization,
        participant=participant,
        source=source,
        text=text.strip(),
        recorded_on=recorded_on or timezone.localdate(),
    )
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="participant.need",
        obj=participant,
    )
    return need


@transaction.atomic
def entry_assessment_save(
    *,
    actor: User | None,
    participant: Participant,
    scores: dict[str, int],
    assessed_on: date | None = None,
    comment: str = "",
) -> EntryAssessment:
    """The entry assessment on the set parameters, kept to compare with the final one."""
    known = {code for code, _label in ASSESSMENT_PARAMETERS}
    bad = [k for k, v in scores.items() if k not in known or not 1 <= int(v) <= 5]
    if bad:
        raise ValidationError({"scores": _("Оценки ставятся по шкале от 1 до 5.")})
    assessment = EntryAssessment.objects.create(
        organization=participant.organization,
        participant=participant,
        scores={k: int(v) for k, v in scores.items()},
        assessed_on=assessed_on or timezone.localdate(),
        comment=comment,
    )
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="participant.assessment",
        obj=participant,
    )
    return assessment
