"""Capacity where it is decided, and why a mentee is left without a pair (issue 13, item 3).

The matching page edits every mentor's capacity (the questionnaire's `max_mentees`, the
single source) in one form and recomputes; it says where each number comes from; each
mentee left without a pair gets the binding reason the matcher's own rules give, with a
link to fix it. The API reads and writes the same through the same service.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import MentoringForm, MentorProfile
from registry.services.matching import (
    MAX_MENTOR_CAPACITY,
    CapacitySource,
    mentor_capacities_set,
    programme_match,
    unmatched_blockers,
)
from registry.services.pairs import pair_propose
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


def teacher(org, last_name, *, capacity=None, filled_on=None, consented=True):
    person = (make_consented if consented else make_participant)(
        org, last_name=last_name, **TEACHER
    )
    if capacity is not None:
        with tenant_scope(org):
            mentor_profile_save(
                actor=None, participant=person, max_mentees=capacity, filled_on=filled_on
            )
    return person


def pupil(org, last_name, *, consented=True, **extra):
    return (make_consented if consented else make_participant)(org, last_name=last_name, **extra)


def url(org, name, programme) -> str:
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, "programme_id": programme.pk})


def run_of(programme, **kwargs):
    with tenant_scope(programme.organization):
        run = programme_match(programme, **kwargs)
        return run, {b.mentee.pk: b for b in unmatched_blockers(run)}


@pytest.fixture
def programme(cast):
    return ProgrammeFactory(organization=cast.school, name="Билет в будущее")


@pytest.fixture
def curator(client, cast):
    client.force_login(cast.curator)
    return client


# --- where a capacity comes from ----------------------------------------------------------


def test_the_source_of_each_capacity_is_known(cast, programme):
    new = teacher(cast.school, "Новенькая")  # no questionnaire
    filled = teacher(cast.school, "Анкетова", capacity=3, filled_on=date(2026, 9, 10))
    typed = teacher(cast.school, "Реестрова", capacity=2)  # written without a questionnaire
    run, _ = run_of(programme)
    caps = run.pool.capacities
    assert (caps[new.pk].total, caps[new.pk].source) == (1, CapacitySource.DEFAULT)
    assert (caps[filled.pk].total, caps[filled.pk].source) == (3, CapacitySource.QUESTIONNAIRE)
    assert caps[filled.pk].filled_on == date(2026, 9, 10)
    assert (caps[typed.pk].total, caps[typed.pk].source) == (2, CapacitySource.REGISTRY)


def test_the_page_explains_the_default_and_shows_a_field_per_mentor(curator, cast, programme):
    new = teacher(cast.school, "Новенькая")
    filled = teacher(cast.school, "Анкетова", capacity=3, filled_on=date(2026, 9, 10))
    response = curator.get(url(cast.school, "programme_matching", programme))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="capacity_{new.pk}" value="1"' in body
    assert f'name="capacity_{filled.pk}" value="3"' in body
    assert "анкеты нет — по умолчанию программы (1)" in body and "по анкете от 10.09.2026" in body
    assert 'data-testid="capacity-defaults"' in body  # the warning above the list


# --- editing capacity ---------------------------------------------------------------------


def test_raising_capacity_places_the_mentee_left_out(curator, cast, programme):
    mentor = teacher(cast.school, "Единственная")  # default: one place
    a, b = pupil(cast.school, "Первая"), pupil(cast.school, "Вторая")
    run, blockers = run_of(programme)
    assert run.result.matched_count == 1
    (left,) = blockers.values()
    assert left.code == "capacity" and left.mentor_ids == (mentor.pk,)
    assert "отданы другим наставляемым" in left.text

    page = curator.get(url(cast.school, "programme_matching", programme)).content.decode()
    assert f'href="#capacity-{mentor.pk}"' in page  # the fix: this mentor's field
    assert f'id="capacity-{mentor.pk}"' in page

    response = curator.post(
        url(cast.school, "programme_matching_capacity", programme),
        {f"capacity_{mentor.pk}": "2", "skip": [str(a.pk + b.pk + 10**6)]},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#mentor-capacity")
    with tenant_scope(cast.school):
        profile = MentorProfile.objects.get(participant=mentor)
    assert profile.max_mentees == 2 and profile.filled_on is None  # still no questionnaire
    run, blockers = run_of(programme)
    assert run.result.matched_count == 2 and not blockers
    assert {s.mentee_id for s in run.result.suggestions} == {a.pk, b.pk}
    entry = AuditEntry.objects.filter(action="participant.mentor_profile").latest("pk")
    assert entry.object_id == str(mentor.pk) and entry.details["value"] == 2
    assert entry.actor == cast.curator


def test_one_form_for_all_mentors_only_changed_ones_are_written(cast, programme):
    a = teacher(cast.school, "Аннова", capacity=2, filled_on=date(2026, 9, 1))
    b = teacher(cast.school, "Беттова")
    with tenant_scope(cast.school):
        changed = mentor_capacities_set(
            actor=None, programme=programme, capacities={a.pk: 2, b.pk: 4}
        )
        assert changed == [b.pk]
        assert MentorProfile.objects.get(participant=b).max_mentees == 4
        # The questionnaire's other answers stay.
        assert MentorProfile.objects.get(participant=a).filled_on == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", f"от 1 до {MAX_MENTOR_CAPACITY}"),
        (str(MAX_MENTOR_CAPACITY + 1), f"от 1 до {MAX_MENTOR_CAPACITY}"),
        ("-2", f"от 1 до {MAX_MENTOR_CAPACITY}"),
        ("три", "целое число"),
        ("", "целое число"),
    ],
)
def test_bad_numbers_are_refused_all_or_nothing(curator, cast, programme, value, message):
    ok = teacher(cast.school, "Хорошая", capacity=1)
    bad = teacher(cast.school, "Плохая", capacity=1)
    response = curator.post(
        url(cast.school, "programme_matching_capacity", programme),
        {f"capacity_{ok.pk}": "3", f"capacity_{bad.pk}": value},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Плохая" in body
    # The form comes back as typed; nothing was written, not even the good one.
    assert f'name="capacity_{ok.pk}" value="3"' in body
    with tenant_scope(cast.school):
        assert MentorProfile.objects.get(participant=ok).max_mentees == 1


def test_capacity_below_the_pairs_a_mentor_has_is_refused(cast, programme):
    mentor = teacher(cast.school, "Занятая", capacity=2)
    kids = [pupil(cast.school, f"Ученица{i}") for i in range(2)]
    with tenant_scope(cast.school):
        for kid in kids:
            pair_propose(
                actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[kid.pk]
            )
        with pytest.raises(ValidationError, match="уже 2 наставляемых"):
            mentor_capacities_set(actor=None, programme=programme, capacities={mentor.pk: 1})


def test_another_schools_mentor_or_someone_outside_the_pool_is_not_found(curator, cast, programme):
    foreign = teacher(cast.school2, "Чужая", capacity=1)
    unconsented = teacher(cast.school, "Безсогласия", capacity=1, consented=False)
    mine = teacher(cast.school, "Своя", capacity=1)
    for outsider in (foreign, unconsented):
        response = curator.post(
            url(cast.school, "programme_matching_capacity", programme),
            {f"capacity_{outsider.pk}": "5", f"capacity_{mine.pk}": "2"},
        )
        assert response.status_code == 400
        assert "не найден в базе этой программы" in response.content.decode()
    with tenant_scope(cast.school2):
        assert MentorProfile.objects.get(participant=foreign).max_mentees == 1
    with tenant_scope(cast.school):
        assert MentorProfile.objects.get(participant=mine).max_mentees == 1
        assert MentorProfile.objects.get(participant=unconsented).max_mentees == 1
    # Another school's programme: 404 before anything is read.
    other = ProgrammeFactory(organization=cast.school2)
    response = curator.post(
        url(cast.school, "programme_matching_capacity", other), {f"capacity_{mine.pk}": "2"}
    )
    assert response.status_code == 404
    assert (
        curator.post(url(cast.school, "programme_matching_capacity", programme)).status_code == 400
    )


@pytest.mark.parametrize("who", ["viewer", "methodist", "department"])
def test_capacity_is_the_curators(client, cast, programme, who):
    mentor = teacher(cast.school, "Наставница", capacity=1)
    client.force_login(getattr(cast, who))
    response = client.post(
        url(cast.school, "programme_matching_capacity", programme), {f"capacity_{mentor.pk}": "3"}
    )
    assert response.status_code == 403
    with tenant_scope(cast.school):
        assert MentorProfile.objects.get(participant=mentor).max_mentees == 1


# --- the binding reasons ------------------------------------------------------------------


def test_a_mentee_without_consent_is_listed_with_a_link_to_record_it(curator, cast, programme):
    teacher(cast.school, "Наставница", capacity=3)
    waiting = pupil(cast.school, "Ждущая", consented=False)
    run, blockers = run_of(programme)
    assert blockers[waiting.pk].code == "no_consent"
    assert "законного представителя" in blockers[waiting.pk].text  # a minor
    body = curator.get(url(cast.school, "programme_matching", programme)).content.decode()
    card = reverse(
        "registry:participant_detail",
        kwargs={"org_slug": cast.school.slug, "participant_id": waiting.pk},
    )
    assert f'href="{card}#consent-record"' in body and waiting.full_name in body


def test_no_mentor_of_the_form(cast, programme):
    kid = pupil(cast.school, "Одинокая")
    _run, blockers = run_of(programme)
    assert blockers[kid.pk].code == "no_mentor" and blockers[kid.pk].fix == "mentors"
    # Mentors of the form exist but wait for their consent: the queue is the fix.
    teacher(cast.school, "Безсогласия", consented=False)
    _run, blockers = run_of(programme)
    assert blockers[kid.pk].fix == "consent_queue"
    assert "нет действующего согласия" in blockers[kid.pk].text


def test_the_age_rule_of_pupil_pupil(cast):
    form = MentoringForm.objects.get(code="student-student")
    programme = ProgrammeFactory(organization=cast.school, form=form)
    mentor = pupil(
        cast.school,
        "Старшеклассница",
        birth_date=date(2010, 1, 1),
        grade=10,
        is_mentor=True,
        is_mentee=False,
    )
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=mentor, max_mentees=3)
    older = pupil(cast.school, "Старшая", birth_date=date(2009, 6, 1), grade=11)
    younger = pupil(cast.school, "Младшая", birth_date=date(2014, 6, 1), grade=6)
    run, blockers = run_of(programme)
    assert {s.mentee_id for s in run.result.suggestions} == {younger.pk}
    assert blockers[older.pk].code == "age" and blockers[older.pk].fix == "card"
    assert "должен быть старше наставляемого" in blockers[older.pk].text


def test_a_mentee_side_rule_points_to_the_mentees_card(cast):
    form = MentoringForm.objects.get(code="teacher-student-sen")
    programme = ProgrammeFactory(organization=cast.school, form=form)
    mentor = teacher(cast.school, "Дефектолог", capacity=3)
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=mentor, has_sen_experience=True)
    kid = pupil(cast.school, "БезОВЗ")  # has_sen is false
    _run, blockers = run_of(programme)
    assert blockers[kid.pk].code == "rules" and blockers[kid.pk].fix == "card"
    assert "наставляемый — обучающийся с ОВЗ" in blockers[kid.pk].text


def test_mentors_full_with_other_pairs(cast, programme):
    mentor = teacher(cast.school, "Полная", capacity=1)
    first, second = pupil(cast.school, "Взятая"), pupil(cast.school, "Оставшаяся")
    with tenant_scope(cast.school):
        pair_propose(actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[first.pk])
    _run, blockers = run_of(programme)
    assert set(blockers) == {second.pk}
    assert blockers[second.pk].code == "capacity" and "заняты" in blockers[second.pk].text


def test_a_set_aside_mentee_can_be_brought_back(curator, cast, programme):
    teacher(cast.school, "Наставница", capacity=3)
    kid = pupil(cast.school, "Отложенная")
    _run, blockers = run_of(programme, skip_mentee_ids=[kid.pk])
    assert blockers[kid.pk].code == "skipped"
    body = curator.get(
        url(cast.school, "programme_matching", programme), {"skip": kid.pk}
    ).content.decode()
    assert "Вернуть в подбор" in body


# --- the API ------------------------------------------------------------------------------


def test_the_api_reads_reasons_and_capacities_and_sets_capacity(cast, programme):
    api = APIClient()
    api.force_login(cast.curator)
    base = f"/api/v1/o/{cast.school.slug}/programmes/{programme.pk}/"
    mentor = teacher(cast.school, "Единственная")
    a, b = pupil(cast.school, "Первая"), pupil(cast.school, "Вторая")
    waiting = pupil(cast.school, "Ждущая", consented=False)
    body = api.get(base + "suggestions/").json()
    (m,) = body["mentors"]
    assert (m["id"], m["capacity"], m["source"], m["free"]) == (mentor.pk, 1, "default", 1)
    codes = {item["mentee"]["id"]: item["code"] for item in body["blocked"]}
    assert codes[waiting.pk] == "no_consent" and "capacity" in codes.values()

    response = api.post(
        base + "capacity/", {"capacities": [{"mentor": mentor.pk, "capacity": 2}]}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert {s["mentee"]["id"] for s in body["suggestions"]} == {a.pk, b.pk}
    assert body["mentors"][0]["source"] == "registry" and body["mentors"][0]["capacity"] == 2

    bad = api.post(
        base + "capacity/", {"capacities": [{"mentor": mentor.pk, "capacity": 0}]}, format="json"
    )
    assert bad.status_code == 400 and "от 1 до" in str(bad.json())
    foreign = teacher(cast.school2, "Чужая", capacity=1)
    bad = api.post(
        base + "capacity/", {"capacities": [{"mentor": foreign.pk, "capacity": 3}]}, format="json"
    )
    assert bad.status_code == 400 and "не найден" in str(bad.json())
    twice = [{"mentor": mentor.pk, "capacity": 3}, {"mentor": mentor.pk, "capacity": 4}]
    assert api.post(base + "capacity/", {"capacities": twice}, format="json").status_code == 400
    empty = api.post(base + "capacity/", {"capacities": []}, format="json")
    assert empty.status_code == 400
    other = ProgrammeFactory(organization=cast.school2)
    response = api.post(
        f"/api/v1/o/{cast.school.slug}/programmes/{other.pk}/capacity/",
        {"capacities": [{"mentor": mentor.pk, "capacity": 3}]},
        format="json",
    )
    assert response.status_code == 404
    api.force_login(cast.viewer)
    response = api.post(
        base + "capacity/", {"capacities": [{"mentor": mentor.pk, "capacity": 3}]}, format="json"
    )
    assert response.status_code == 403


def test_the_matching_page_query_count_does_not_grow(curator, cast, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            teacher(cast.school, f"Наставник{i}", capacity=1 if i % 2 else None)
            pupil(cast.school, f"Ученик{i}а")
            pupil(cast.school, f"Ученик{i}б")
            pupil(cast.school, f"Несогласный{i}", consented=False)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = curator.get(url(cast.school, "programme_matching", programme))
        assert response.status_code == 200
        return len(queries)

    add(2, 0)
    count()  # the first request of the session warms caches (forms, content types)
    small = count()
    add(6, 2)
    large = count()
    assert small == large, (small, large)


def test_a_mentor_without_a_questionnaire_takes_the_programmes_default(curator, cast):
    programme = ProgrammeFactory(organization=cast.school, mentor_capacity=3)
    new = teacher(cast.school, "Новенькая")
    kids = [pupil(cast.school, f"Ученица{i}") for i in range(3)]
    run, blockers = run_of(programme)
    capacity = run.pool.capacities[new.pk]
    assert (capacity.total, capacity.source) == (3, CapacitySource.DEFAULT)
    assert run.result.matched_count == len(kids) and not blockers
    body = curator.get(url(cast.school, "programme_matching", programme)).content.decode()
    assert "анкеты нет — по умолчанию программы (3)" in body
