"""Helpers for the indicator tests: people and pairs written straight into a school's
scope (the services' consent and capacity checks are tested elsewhere; here only the
counts matter), and contingents through the service."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.services import contingent_save
from registry.models import MentoringForm, Pair, PairMember, Participant, Programme

YEAR = 2026
_names = itertools.count(1)


def person(school: Organization, category: str = "pupil", **fields) -> Participant:
    n = next(_names)
    defaults = {
        "last_name": f"Участник{n}",
        "first_name": "Тест",
        "category": category,
        "birth_date": date(2012, 3, 1) if category == "pupil" else date(1980, 3, 1),
    }
    defaults.update(fields)
    with tenant_scope(school):
        return Participant.objects.create(organization=school, **defaults)


def pupils(school: Organization, n: int, **fields) -> list[Participant]:
    return [person(school, "pupil", **fields) for _ in range(n)]


def pair(
    school: Organization,
    mentors: list[Participant],
    mentees: list[Participant],
    *,
    status: str = "active",
    starts_on: date | None = date(YEAR, 2, 1),
    ends_on: date | None = None,
    form: str = "teacher-student",
) -> Pair:
    with tenant_scope(school):
        programme, _ = Programme.objects.get_or_create(
            organization=school,
            name=f"Программа {form}",
            defaults={
                "form": MentoringForm.objects.get(code=form),
                "mentors_description": "Педагоги",
                "mentees_description": "Обучающиеся",
            },
        )
        created = Pair.objects.create(
            organization=school,
            programme=programme,
            form=programme.form,
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        PairMember.objects.bulk_create(
            [
                PairMember(organization=school, pair=created, participant=p, role="mentor")
                for p in mentors
            ]
            + [
                PairMember(organization=school, pair=created, participant=p, role="mentee")
                for p in mentees
            ]
        )
    return created


def mentor(school: Organization, **fields) -> Participant:
    return person(school, "teacher", experience_years=12, **fields)


def pupil_pairs(school: Organization, n: int, *, status: str = "active", **fields) -> Pair:
    """One group: a teacher mentoring `n` pupils aged 14 on 1 September of YEAR."""
    return pair(school, [mentor(school)], pupils(school, n, **fields), status=status)


def contingent(school: Organization, year: int = YEAR, **values) -> None:
    with tenant_scope(school):
        contingent_save(actor=None, organization=school, year=year, values=values)


@pytest.fixture
def year() -> int:
    return YEAR
