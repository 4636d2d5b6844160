"""Matching on real registry rows: who is in the pool, capacity, preferences, accepting."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mentorship.tenancy.scoping import tenant_scope
from registry.models import MentorPreference, PairStatus
from registry.services.matching import programme_match, programme_pool, suggestions_accept
from registry.services.pairs import pair_propose
from registry.services.participants import mentee_need_add, mentor_profile_save
from tests.factories import ProgrammeFactory, make_consented, make_participant

TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
}


def mentor(org, last_name, *, capacity=1, **profile):
    person = make_consented(org, last_name=last_name, **TEACHER)
    with tenant_scope(org):
        mentor_profile_save(actor=None, participant=person, max_mentees=capacity, **profile)
    return person


def pupil(org, last_name, *, need="", consented=True, **extra):
    person = (make_consented if consented else make_participant)(org, last_name=last_name, **extra)
    if need:
        with tenant_scope(org):
            mentee_need_add(actor=None, participant=person, source="class_teacher", text=need)
    return person


@pytest.fixture
def programme(cast):
    return ProgrammeFactory(organization=cast.school)


def test_pool_takes_consented_people_of_the_form_only(cast, programme):
    m = mentor(cast.school, "Наставникова")
    p = pupil(cast.school, "Согласная")
    pupil(cast.school, "Безсогласия", consented=False)
    # A teacher mentee does not belong to a teacher-student programme's mentees.
    make_consented(
        cast.school, last_name="Молодой", **{**TEACHER, "is_mentor": False, "is_mentee": True}
    )
    with tenant_scope(cast.school):
        pool = programme_pool(programme)
    assert [c.id for c in pool.mentors] == [m.pk]
    assert [c.id for c in pool.mentees] == [p.pk]
    assert pool.without_consent == 1


def test_capacity_is_profile_minus_open_pairs_and_needs_are_joined(cast, programme):
    m = mentor(cast.school, "Наставникова", capacity=3, competencies="математика, олимпиады")
    taken = pupil(cast.school, "Занятая")
    p = pupil(cast.school, "Свободная", need="Подготовка к олимпиаде по математике")
    with tenant_scope(cast.school):
        mentee_need_add(actor=None, participant=p, source="parents", text="Уверенность в себе")
        pair_propose(actor=None, programme=programme, mentor_ids=[m.pk], mentee_ids=[taken.pk])
        pool = programme_pool(programme)
    assert pool.mentor(m.pk).capacity == 2
    # A mentee already in an open pair is not offered again.
    assert [c.id for c in pool.mentees] == [p.pk]
    assert "олимпиаде" in pool.mentee(p.pk).needs and "Уверенность" in pool.mentee(p.pk).needs


def test_full_mentor_gets_nobody_and_the_mentee_is_listed_unmatched(cast, programme):
    m = mentor(cast.school, "Наставникова", capacity=1)
    first = pupil(cast.school, "Первая")
    second = pupil(cast.school, "Вторая")
    with tenant_scope(cast.school):
        pair_propose(actor=None, programme=programme, mentor_ids=[m.pk], mentee_ids=[first.pk])
        run = programme_match(programme)
    assert run.result.suggestions == ()
    assert run.result.unmatched_mentee_ids == (second.pk,)


def test_preferences_are_counted(cast, programme):
    a = mentor(cast.school, "Аверина")
    b = mentor(cast.school, "Борисова")
    p = pupil(cast.school, "Выбиральщица")
    with tenant_scope(cast.school):
        MentorPreference.objects.create(
            organization=cast.school, programme=programme, mentee=p, mentor=b, rank=1
        )
        run = programme_match(programme)
    assert run.pool.mentee(p.pk).preferred_mentor_ids == (b.pk,)
    [suggestion] = run.result.suggestions
    assert (suggestion.mentor_id, suggestion.mentee_id) == (b.pk, p.pk)
    assert any(r.code == "preference" for r in suggestion.score.reasons)
    assert a.pk not in {s.mentor_id for s in run.result.suggestions}


def test_needs_against_competencies_decide_the_pair(cast, programme):
    maths = mentor(cast.school, "Математикова", competencies="математика олимпиады")
    mentor(cast.school, "Хорова", competencies="хоровое пение")
    p = pupil(cast.school, "Олимпиадница", need="Олимпиады по математике")
    with tenant_scope(cast.school):
        run = programme_match(programme)
    [suggestion] = run.result.suggestions
    assert suggestion.mentor_id == maths.pk and suggestion.mentee_id == p.pk
    assert any(r.code == "needs" and r.points > 0 for r in suggestion.score.reasons)


def test_skipped_mentee_is_set_aside_for_this_round(cast, programme):
    mentor(cast.school, "Наставникова")
    p = pupil(cast.school, "Отложенная")
    with tenant_scope(cast.school):
        run = programme_match(programme, skip_mentee_ids=[p.pk, 999999])
    assert run.result.suggestions == ()
    assert run.skipped_mentee_ids == (p.pk,)


def test_accept_creates_proposed_pairs_with_score_and_reasons(cast, programme):
    m = mentor(cast.school, "Математикова", competencies="математика олимпиады", capacity=2)
    p = pupil(cast.school, "Олимпиадница", need="Олимпиады по математике")
    with tenant_scope(cast.school):
        run = programme_match(programme)
        chosen = [(s.mentor_id, s.mentee_id) for s in run.result.suggestions]
        [pair] = suggestions_accept(actor=cast.curator, programme=programme, chosen=chosen)
        assert pair.status == PairStatus.PROPOSED
        assert pair.score == run.result.suggestions[0].score.total > 0
        assert any("(+" in line for line in pair.reasons)
        assert {(x.participant_id, x.role) for x in pair.members.all()} == {
            (m.pk, "mentor"),
            (p.pk, "mentee"),
        }
        # Accepted people leave the pool: the mentee is taken, the mentor has one seat left.
        pool = programme_pool(programme)
    assert pool.mentees == [] and pool.mentor(m.pk).capacity == 1


def test_edited_suggestion_is_scored_for_the_chosen_mentor(cast, programme):
    maths = mentor(cast.school, "Математикова", competencies="математика")
    other = mentor(cast.school, "Хорова", competencies="хоровое пение")
    p = pupil(cast.school, "Певица", need="математика")
    with tenant_scope(cast.school):
        [suggested] = programme_match(programme).result.suggestions
        assert suggested.mentor_id == maths.pk
        [pair] = suggestions_accept(
            actor=cast.curator, programme=programme, chosen=[(other.pk, p.pk)]
        )
        assert pair.members.filter(role="mentor").get().participant_id == other.pk
    # The pair keeps the score of the pair as chosen, not of the suggestion it replaced.
    assert pair.score < suggested.score.total


def test_accept_is_all_or_nothing_and_names_every_refusal(cast, programme):
    m = mentor(cast.school, "Наставникова", capacity=1)
    a, b = pupil(cast.school, "Первая"), pupil(cast.school, "Вторая")
    stranger = pupil(cast.school, "Безсогласия", consented=False)
    with tenant_scope(cast.school):
        with pytest.raises(ValidationError) as error:
            suggestions_accept(
                actor=cast.curator,
                programme=programme,
                chosen=[(m.pk, a.pk), (m.pk, b.pk), (m.pk, stranger.pk)],
            )
        assert programme.pairs.count() == 0
    text = " ".join(error.value.messages)
    assert "не осталось мест" in text and "не входит в базу" in text


def test_accept_refuses_a_pair_the_form_forbids(cast):
    """«ученик – ученик»: the mentor must be older (and 15–19); the refusal says why."""
    from registry.models import MentoringForm

    programme = ProgrammeFactory(
        organization=cast.school, form=MentoringForm.objects.get(code="student-student")
    )
    young = pupil(cast.school, "Младшая", birth_date=date(2014, 1, 1), grade=6, is_mentor=True)
    older = pupil(cast.school, "Старшая", birth_date=date(2010, 1, 1), grade=10)
    with tenant_scope(cast.school), pytest.raises(ValidationError, match="не допускается"):
        suggestions_accept(actor=None, programme=programme, chosen=[(young.pk, older.pk)])


def test_nothing_chosen_is_refused(cast, programme):
    with tenant_scope(cast.school), pytest.raises(ValidationError, match="Не выбрано"):
        suggestions_accept(actor=None, programme=programme, chosen=[])
