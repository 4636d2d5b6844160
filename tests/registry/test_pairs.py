"""Pairs and groups: who may be paired, the lifecycle, meetings, plans."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import PairStatus
from registry.selectors import pairs as pair_selectors
from registry.services import pairs
from registry.services.consent import consent_record, consent_withdraw
from registry.services.participants import mentor_profile_save
from tests.factories import ProgrammeFactory, make_consented, make_participant

TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
}


@pytest.fixture
def people(cast):
    programme = ProgrammeFactory(organization=cast.school)
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    mentee = make_consented(cast.school, last_name="Ученикова")
    mentee2 = make_consented(cast.school, last_name="Второва")
    return programme, mentor, mentee, mentee2


def propose(programme, mentors, mentees):
    with tenant_scope(programme.organization):
        return pairs.pair_propose(
            actor=None,
            programme=programme,
            mentor_ids=[m.pk for m in mentors],
            mentee_ids=[m.pk for m in mentees],
        )


def test_no_consent_no_pair(cast, people):
    programme, mentor, _mentee, _ = people
    unconsented = make_participant(cast.school, last_name="Безсогласия")
    with pytest.raises(ValidationError, match="нет действующего согласия"):
        propose(programme, [mentor], [unconsented])


def test_minor_who_consented_personally_cannot_be_paired(cast, people):
    programme, mentor, _mentee, _ = people
    pupil = make_participant(cast.school, last_name="Самсогласие")
    with tenant_scope(cast.school):
        consent_record(
            actor=None,
            participant=pupil,
            given_by="self",
            given_on=date(2026, 9, 1),
            purposes=["programme"],
        )
    with pytest.raises(ValidationError, match="нет действующего согласия"):
        propose(programme, [mentor], [pupil])


def test_capacity_is_respected(cast, people):
    programme, mentor, mentee, mentee2 = people
    propose(programme, [mentor], [mentee])
    with pytest.raises(ValidationError, match="не более 1"):
        propose(programme, [mentor], [mentee2])
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=mentor, max_mentees=2)
    propose(programme, [mentor], [mentee2])


def test_a_mentee_is_in_one_open_pair(cast, people):
    programme, mentor, mentee, _ = people
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=mentor, max_mentees=3)
    propose(programme, [mentor], [mentee])
    with pytest.raises(ValidationError, match="уже состоит"):
        propose(programme, [mentor], [mentee])


def test_group_with_co_mentor(cast, people):
    programme, mentor, mentee, mentee2 = people
    co = make_consented(cast.school, last_name="Сонаставник", **TEACHER)
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=mentor, max_mentees=2)
        mentor_profile_save(actor=None, participant=co, max_mentees=2)
    group = propose(programme, [mentor, co], [mentee, mentee2])
    with tenant_scope(cast.school):
        assert group.is_group and group.members.count() == 4


def test_lifecycle_and_refused_moves(cast, people):
    programme, mentor, mentee, _ = people
    pair = propose(programme, [mentor], [mentee])
    with tenant_scope(cast.school):
        with pytest.raises(ValidationError, match="Нельзя перевести пару"):
            pairs.pair_transition(actor=None, pair=pair, to=PairStatus.ACTIVE)
        pairs.pairs_approve_by_order(actor=cast.curator, pairs=[pair], order=None)
        assert pair.status == PairStatus.APPROVED
        with pytest.raises(ValidationError, match="причину"):
            pairs.pair_transition(actor=None, pair=pair, to=PairStatus.ENDED_EARLY)
        pairs.meeting_log(
            actor=cast.curator,
            pair=pair,
            kind="first",
            held_on=date.today(),
            topic="Знакомство",
            attended_ids=[mentor.pk, mentee.pk],
        )
        pair.refresh_from_db()
        assert pair.status == PairStatus.ACTIVE  # the first meeting starts the work
        pairs.pair_transition(actor=cast.curator, pair=pair, to=PairStatus.COMPLETED)
        with pytest.raises(ValidationError, match="Нельзя перевести"):
            pairs.pair_transition(actor=None, pair=pair, to=PairStatus.ACTIVE)
    actions = list(
        AuditEntry.objects.filter(object_id=str(pair.pk), object_type="registry.pair").values_list(
            "action", flat=True
        )
    )
    assert {"pair.propose", "pair.approve", "pair.transition", "meeting.log"} <= set(actions)


def test_withdrawal_suspends_open_pairs_and_resume_needs_consent(cast, people):
    programme, mentor, mentee, _ = people
    pair = propose(programme, [mentor], [mentee])
    with tenant_scope(cast.school):
        pairs.pairs_approve_by_order(actor=None, pairs=[pair], order=None)
        consent_withdraw(actor=cast.curator, consent=mentee.consents.get(), reason="Отзыв")
        pair.refresh_from_db()
        assert pair.status == PairStatus.SUSPENDED and pair.suspended_from == PairStatus.APPROVED
        with pytest.raises(ValidationError, match="не у всех"):
            pairs.pair_resume(actor=None, pair=pair)
        consent_record(
            actor=None,
            participant=mentee,
            given_by="parent",
            giver_name="Мама",
            given_on=date.today(),
            purposes=["programme"],
        )
        pairs.pair_resume(actor=None, pair=pair)
        assert pair.status == PairStatus.APPROVED


def test_meeting_rules_and_stale_flag(cast, people):
    programme, mentor, mentee, _ = people
    pair = propose(programme, [mentor], [mentee])
    outsider = make_consented(cast.school, last_name="Чужой")
    with tenant_scope(cast.school):
        with pytest.raises(ValidationError, match="утверждённых"):
            pairs.meeting_log(actor=None, pair=pair, kind="first", held_on=date.today(), topic="x")
        pairs.pairs_approve_by_order(actor=None, pairs=[pair], order=None)
        with pytest.raises(ValidationError):
            pairs.meeting_log(
                actor=None,
                pair=pair,
                kind="first",
                held_on=date.today(),
                topic="x",
                attended_ids=[outsider.pk],
            )
        # Approved today: silent for 30 days counts from the pair's own start.
        assert list(pair_selectors.stale_pairs()) == []
        pair.starts_on = date.today() - timedelta(days=60)
        pair.save(update_fields=["starts_on"])
        assert list(pair_selectors.stale_pairs()) == [pair]
        pairs.meeting_log(
            actor=None,
            pair=pair,
            kind="first",
            held_on=date.today() - timedelta(days=31),
            topic="Знакомство",
        )
        assert list(pair_selectors.stale_pairs()) == [pair]
        pairs.meeting_log(
            actor=None, pair=pair, kind="regular", held_on=date.today(), topic="Проект"
        )
        assert list(pair_selectors.stale_pairs()) == []


def test_development_plan_only_for_the_pairs_mentee(cast, people):
    programme, mentor, mentee, mentee2 = people
    pair = propose(programme, [mentor], [mentee])
    with tenant_scope(cast.school):
        plan = pairs.plan_save(actor=None, pair=pair, mentee=mentee, goals="Подготовка к олимпиаде")
        task = pairs.plan_task_save(
            actor=None, plan=plan, title="Решить 20 задач", due_on=date(2026, 12, 1)
        )
        assert task.plan == plan
        with pytest.raises(ValidationError):
            pairs.plan_save(actor=None, pair=pair, mentee=mentee2)
