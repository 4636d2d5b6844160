"""A pair whose people can be written to: an adult mentor with their own address and a
pupil whose mother consented with hers. Shared by the calendar tests and the e2e test."""

from __future__ import annotations

import datetime as dt

from mentorship.tenancy.scoping import tenant_scope
from registry.models import MemberRole, Pair, Participant
from registry.services.consent import consent_record
from registry.services.pairs import pair_propose, pairs_approve_by_order
from tests.factories import ProgrammeFactory, make_participant

MENTOR_EMAIL = "petrova@school.test"
PARENT_EMAIL = "mama.sidorova@mail.test"
PUPIL_EMAIL = "kolya@pupil.test"


def make_reachable_pair(org, *, n: int = 1) -> Pair:
    programme = ProgrammeFactory(organization=org)
    mentor = make_participant(
        org,
        last_name=f"Петрова{n}",
        first_name="Анна",
        patronymic="Сергеевна",
        category="teacher",
        grade=None,
        class_letter="",
        birth_date=dt.date(1985, 5, 5),
        experience_years=12,
        is_mentor=True,
        is_mentee=False,
        email=MENTOR_EMAIL,
        phone="+7 900 000-00-01",
    )
    mentee = make_participant(
        org,
        last_name=f"Сидоров{n}",
        first_name="Николай",
        patronymic="",
        email=PUPIL_EMAIL,
    )
    with tenant_scope(org):
        consent_record(
            actor=None,
            participant=mentor,
            given_by="self",
            given_on=dt.date(2026, 9, 1),
            purposes=["programme"],
        )
        consent_record(
            actor=None,
            participant=mentee,
            given_by="parent",
            giver_name="Сидорова Елена Ивановна",
            giver_relation="мать",
            giver_contact=PARENT_EMAIL,
            given_on=dt.date(2026, 9, 1),
            purposes=["programme"],
        )
        pair = pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
        )
        pairs_approve_by_order(actor=None, pairs=[pair], order=None)
        pair.refresh_from_db()
    return pair


def people_of(pair: Pair) -> tuple[Participant, Participant]:
    with tenant_scope(pair.organization):
        members = {m.role: m.participant for m in pair.members.select_related("participant")}
    return members[MemberRole.MENTOR], members[MemberRole.MENTEE]
