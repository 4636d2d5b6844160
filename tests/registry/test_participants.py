"""Participants: Russian validation, duplicates, audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.services.participants import participant_update, validate_person
from tests.factories import make_participant

TODAY = date(2026, 11, 23)


def errors(**data):
    base = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "category": "pupil",
        "grade": 5,
        "birth_date": date(2015, 1, 1),
        "is_mentee": True,
    }
    base.update(data)
    return validate_person(base, today=TODAY)


def test_a_plausible_pupil_passes():
    assert errors() == {}


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"grade": 12}, "grade", "от 1 до 11"),
        ({"grade": None}, "grade", "укажите класс"),
        ({"birth_date": date(1980, 1, 1)}, "birth_date", "неправдоподобен"),
        ({"birth_date": date(2027, 1, 1)}, "birth_date", "в будущем"),
        (
            {"category": "teacher", "birth_date": date(2015, 1, 1), "grade": None},
            "birth_date",
            "неправдоподобен",
        ),
        (
            {"category": "teacher", "birth_date": date(1980, 1, 1), "experience_years": -1},
            "experience_years",
            "отрицательным",
        ),
        ({"last_name": " "}, "last_name", "фамилию"),
        ({"is_mentee": False}, "is_mentee", "наставник"),
        ({"category": "alien"}, "category", "категорию"),
    ],
)
def test_bad_input_gets_a_russian_message(data, field, text):
    found = errors(**data)
    assert field in found
    assert text.lower() in " ".join(found[field]).lower()


def test_duplicate_person_in_the_same_school_is_refused(cast):
    make_participant(cast.school)
    with pytest.raises(ValidationError, match="уже есть"):
        make_participant(cast.school, last_name="иванова")
    make_participant(cast.school2)  # another school may have a namesake


def test_changes_are_audited_with_the_fields(cast):
    pupil = make_participant(cast.school)
    with tenant_scope(cast.school):
        participant_update(actor=cast.curator, participant=pupil, grade=9)
    entry = AuditEntry.objects.get(action="participant.update")
    assert entry.details == {"fields": ["grade"]}
    assert entry.actor == cast.curator


def test_young_specialist_and_minor(cast):
    teacher = make_participant(
        cast.school,
        last_name="Кузнецова",
        category="teacher",
        grade=None,
        birth_date=date(2000, 1, 1),
        experience_years=2,
        is_mentee=True,
    )
    assert teacher.is_young_specialist and not teacher.is_minor()
    pupil = make_participant(cast.school)
    assert pupil.is_minor()
