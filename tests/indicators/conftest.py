"""Helpers for the indicator tests: people and pairs written straight into a school's
scope (the services' consent and capacity checks are tested elsewhere; here only the
counts matter), and contingents through the service."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.utils import timezone

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.services.inputs import contingent_save
from registry.models import OPEN_STATUSES, MentoringForm, Pair, PairMember, Participant, Programme

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
            number=Pair.objects.filter(organization=school).count() + 1,
            programme=programme,
            form=programme.form,
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        # Written directly, so the open flag is set here as the services set it.
        is_open = status in OPEN_STATUSES
        PairMember.objects.bulk_create(
            [
                PairMember(
                    organization=school, pair=created, participant=p, role=role, open=is_open
                )
                for people, role in ((mentors, "mentor"), (mentees, "mentee"))
                for p in people
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


# --- Monitoring answers, written directly (the public page is tested in tests/monitoring)


def standard(code: str):
    from monitoring.models import Questionnaire
    from monitoring.standard import ensure_standard_questionnaires

    ensure_standard_questionnaires()
    return Questionnaire.objects.get(organization__isnull=True, standard_code=code, is_current=True)


def campaign(owner: Organization, *, stage: str = "final", starts_on=date(YEAR, 11, 1), **extra):
    """A campaign of `owner` (a municipality: with a row for each of its schools)."""
    from monitoring.models import Campaign, CampaignSchool

    with tenant_scope(owner):
        created = Campaign.objects.create(
            organization=owner,
            title=extra.pop("title", f"Мониторинг {starts_on:%m.%Y}"),
            stage=stage,
            starts_on=starts_on,
            ends_on=extra.pop("ends_on", date(starts_on.year, 11, 30)),
            mentor_questionnaire=extra.pop("mentor_questionnaire", standard("mentor_satisfaction")),
            mentee_questionnaire=extra.pop("mentee_questionnaire", standard("mentee_satisfaction")),
        )
    schools = [owner] if owner.is_educational else list(owner.children.all())
    for school in schools:
        with tenant_scope(school):
            CampaignSchool.objects.create(organization=school, campaign=created)
    return created


_tokens = itertools.count(1)


def respond(school, campaign, questionnaire, answers: dict, *, role="mentee", participant=None):
    """One participant's response: {question code: value (or list for multiple choice)}."""
    from monitoring.models import Answer, Invitation, Response

    participant = participant or person(school, "pupil" if role == "mentee" else "teacher")
    questions = {q.code: q for q in questionnaire.questions.all()}
    with tenant_scope(school):
        invitation = Invitation.objects.create(
            organization=school,
            campaign=campaign,
            participant=participant,
            questionnaire=questionnaire,
            role=role,
            token=f"t{next(_tokens):031d}",
            channel="print",
            responded_at=timezone.now(),
        )
        response = Response.objects.create(
            organization=school,
            invitation=invitation,
            campaign=campaign,
            questionnaire=questionnaire,
            participant=participant,
            role=role,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    organization=school,
                    response=response,
                    question=questions[code],
                    campaign=campaign,
                    value=None if isinstance(value, list | str) else value,
                    choices=value if isinstance(value, list) else None,
                    text=value if isinstance(value, str) else "",
                )
                for code, value in answers.items()
            ]
        )
    return response


def invite_only(school, campaign, questionnaire, n: int, role="mentee") -> None:
    """Invitations nobody answered: for the response rate."""
    from monitoring.models import Invitation

    with tenant_scope(school):
        for _ in range(n):
            Invitation.objects.create(
                organization=school,
                campaign=campaign,
                participant=person(school),
                questionnaire=questionnaire,
                role=role,
                token=f"t{next(_tokens):031d}",
                channel="print",
            )
