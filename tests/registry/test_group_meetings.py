"""Group meetings of a programme, attendance, the rankings after them and what matching
makes of them: mutual first choices weigh most and are named among the reasons."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from registry.matching import MenteeCandidate, MentorCandidate, score
from registry.matching.rules import MUTUAL_FIRST
from registry.models import GroupMeetingParticipant, MentorPreference
from registry.services.group_meetings import (
    group_meeting_attendance,
    group_meeting_create,
    group_meeting_invite,
    preferences_record,
)
from registry.services.matching import programme_match
from tests.factories import ProgrammeFactory, make_consented, make_participant

pytestmark = pytest.mark.django_db


def _teacher(school, name, **kw):
    return make_consented(
        school,
        last_name=name,
        category="teacher",
        grade=None,
        class_letter="",
        birth_date=date(1980, 1, 1),
        experience_years=10,
        is_mentor=True,
        is_mentee=False,
        **kw,
    )


def _pupil(school, name):
    return make_consented(school, last_name=name, birth_date=date(2010, 1, 1), grade=10)


@pytest.fixture
def met(cast):
    """A meeting held today: two teachers and two pupils came, one pupil did not."""
    school = cast.school
    programme = ProgrammeFactory(organization=school)
    t1, t2 = _teacher(school, "Учителева"), _teacher(school, "Педагогов")
    p1, p2, absent = (
        _pupil(school, "Ученикова"),
        _pupil(school, "Школьников"),
        _pupil(school, "Прогульщиков"),
    )
    with tenant_scope(school):
        meeting = group_meeting_create(
            actor=cast.curator,
            programme=programme,
            held_on=timezone.localdate(),
            topic="Знакомство",
        )
        group_meeting_invite(
            actor=cast.curator,
            meeting=meeting,
            mentor_ids=[t1.pk, t2.pk],
            mentee_ids=[p1.pk, p2.pk, absent.pk],
        )
        came = [r.pk for r in meeting.invited.exclude(participant=absent)]
        group_meeting_attendance(actor=cast.curator, meeting=meeting, attended_ids=came)
    return {"meeting": meeting, "programme": programme, "t1": t1, "t2": t2, "p1": p1, "p2": p2,
            "absent": absent}  # fmt: skip


def _rank(cast, met, chooser, role, *chosen):
    with tenant_scope(cast.school):
        return preferences_record(
            actor=cast.curator,
            meeting=met["meeting"],
            chooser=chooser,
            role=role,
            chosen_ids=[c.pk for c in chosen],
        )


def test_rankings_are_stored_both_ways_and_replace_the_earlier_one(cast, met):
    _rank(cast, met, met["p1"], "mentee", met["t2"], met["t1"])
    _rank(cast, met, met["p1"], "mentee", met["t1"])
    _rank(cast, met, met["t1"], "mentor", met["p1"], met["p2"])
    with tenant_scope(cast.school):
        rows = list(
            MentorPreference.objects.order_by("chosen_by", "rank").values_list(
                "chosen_by", "mentor__last_name", "mentee__last_name", "rank"
            )
        )
    assert rows == [
        ("mentee", "Учителева", "Ученикова", 1),
        ("mentor", "Учителева", "Ученикова", 1),
        ("mentor", "Учителева", "Школьников", 2),
    ]


@pytest.mark.parametrize(
    ("chooser", "role", "chosen", "message"),
    [
        ("absent", "mentee", ["t1"], "только участники, которые были"),
        ("p1", "mentee", ["p2"], "только тех, кто был на встрече с другой стороны"),
        ("p1", "mentee", ["t1", "t1"], "дважды"),
        ("p1", "mentee", ["t1", "t2", "t1", "t2"], "не больше 3"),
        ("p1", "mentor", ["t1"], "только участники, которые были"),
    ],
)
def test_bad_rankings_are_refused(cast, met, chooser, role, chosen, message):
    with pytest.raises(ValidationError) as error:
        _rank(cast, met, met[chooser], role, *[met[c] for c in chosen])
    assert message in " ".join(error.value.messages)
    with tenant_scope(cast.school):
        assert not MentorPreference.objects.exists()


def test_invite_refuses_people_without_consent_or_of_another_school(cast, met):
    no_consent = make_participant(cast.school, last_name="Безсогласия")
    stranger = make_consented(cast.other_school, last_name="Чужой")
    for ids in ([no_consent.pk], [stranger.pk]):
        with tenant_scope(cast.school), pytest.raises(ValidationError):
            group_meeting_invite(actor=cast.curator, meeting=met["meeting"], mentee_ids=ids)
    with tenant_scope(cast.school):
        assert GroupMeetingParticipant.objects.count() == 5


def test_matching_prefers_the_mutual_first_choice_and_says_why(cast, met):
    # The pupil's first choice is t2, but t1 and p1 chose each other first.
    _rank(cast, met, met["p1"], "mentee", met["t1"], met["t2"])
    _rank(cast, met, met["t1"], "mentor", met["p1"])
    _rank(cast, met, met["p2"], "mentee", met["t1"])
    with tenant_scope(cast.school):
        run = programme_match(met["programme"])
    pairs = {s.mentee_id: s for s in run.result.suggestions}
    mutual = pairs[met["p1"].pk]
    assert mutual.mentor_id == met["t1"].pk
    reasons = {r.code: r for r in mutual.score.reasons}
    assert reasons["mutual_choice"].points == MUTUAL_FIRST
    assert "выбрал этого наставляемого после групповой встречи (выбор № 1)" in (
        reasons["mentor_preference"].text
    )
    assert pairs[met["p2"].pk].mentor_id == met["t2"].pk  # t1 takes one mentee


def test_mutual_first_outweighs_a_one_sided_first_choice():
    base = {"category": "teacher", "age": 40, "grade": None, "experience_years": 10}
    mentor = MentorCandidate(
        id=1, name="A", subjects="", competencies="", interests="", capacity=1,
        has_sen_experience=False, preferred_mentee_ids=(10,), **base,
    )  # fmt: skip
    pupil = {"category": "pupil", "age": 15, "grade": 9, "experience_years": None}
    mutual = MenteeCandidate(
        id=10, name="B", needs="", interests="", subject="", has_sen=False, is_gifted=False,
        preferred_mentor_ids=(1,), **pupil,
    )  # fmt: skip
    one_sided = MenteeCandidate(
        id=11, name="C", needs="", interests="", subject="", has_sen=False, is_gifted=False,
        preferred_mentor_ids=(1,), **pupil,
    )  # fmt: skip
    a, b = score(mentor, mutual, "teacher-student"), score(mentor, one_sided, "teacher-student")
    assert a.total - b.total == 30 + MUTUAL_FIRST
    assert "mutual_choice" in {r.code for r in a.reasons}
    assert "mutual_choice" not in {r.code for r in b.reasons}


# ---- pages and API ------------------------------------------------------------------------


def test_curator_plans_invites_and_marks_attendance_on_the_pages(client, cast):
    programme = ProgrammeFactory(organization=cast.school)
    teacher, pupil = _teacher(cast.school, "Учителева"), _pupil(cast.school, "Ученикова")
    client.force_login(cast.curator)
    base = f"/o/{cast.school.slug}/group-meetings/"
    bad = client.post(base, {"programme": programme.pk, "held_on": "вчера"})
    assert bad.status_code == 400 and "Введите правильную дату" in bad.content.decode()
    created = client.post(
        base, {"programme": programme.pk, "held_on": "2026-12-01", "topic": "Знакомство"}
    )
    assert created.status_code == 302
    detail = created.url
    client.post(detail + "invite/", {"mentor": [teacher.pk], "mentee": [pupil.pk]})
    page = client.get(detail).content.decode()
    assert "Учителева" in page and "Ученикова" in page
    with tenant_scope(cast.school):
        rows = list(GroupMeetingParticipant.objects.values_list("pk", flat=True))
    client.post(detail + "attendance/", {"attended": rows})
    page = client.get(detail).content.decode()
    assert "пришли: 2" in page and "Отправить ссылки для выбора" in page


def test_meeting_page_query_count_does_not_grow(client, cast, met, django_assert_num_queries):
    _rank(cast, met, met["p1"], "mentee", met["t1"])
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/group-meetings/{met['meeting'].pk}/"
    with django_assert_num_queries(MEETING_QUERIES):
        assert client.get(url).status_code == 200
    with tenant_scope(cast.school):
        group_meeting_invite(
            actor=cast.curator,
            meeting=met["meeting"],
            mentee_ids=[_pupil(cast.school, f"Ещё{i}").pk for i in range(3)],
        )
    _rank(cast, met, met["t1"], "mentor", met["p1"], met["p2"])
    with django_assert_num_queries(MEETING_QUERIES):
        page = client.get(url)
    assert "Взаимный первый выбор" in page.content.decode()


MEETING_QUERIES = 11


def test_foreign_meeting_is_404_and_viewer_only_reads(client, cast, met):
    url = f"/o/{cast.school.slug}/group-meetings/{met['meeting'].pk}/"
    client.force_login(cast.curator2)
    assert client.get(url.replace(cast.school.slug, cast.school2.slug)).status_code == 404
    api = f"/api/v1/o/{cast.school2.slug}/group-meetings/{met['meeting'].pk}/"
    assert client.get(api).status_code == 404
    client.force_login(cast.viewer)
    assert client.get(url).status_code == 200
    assert client.post(url + "attendance/", {"attended": []}).status_code == 403


def test_api_create_invite_attendance_and_preferences(client, cast):
    programme = ProgrammeFactory(organization=cast.school)
    teacher, pupil = _teacher(cast.school, "Учителева"), _pupil(cast.school, "Ученикова")
    client.force_login(cast.curator)
    base = f"/api/v1/o/{cast.school.slug}/group-meetings/"
    bad = client.post(base, {"programme": 987654}, content_type="application/json")
    assert bad.status_code == 400
    meeting = client.post(
        base,
        {"programme": programme.pk, "held_on": str(timezone.localdate()), "place": "Актовый зал"},
        content_type="application/json",
    ).json()
    url = f"{base}{meeting['id']}/"
    invited = client.post(
        url + "invite/",
        {"mentors": [teacher.pk], "mentees": [pupil.pk]},
        content_type="application/json",
    )
    assert invited.json() == {"count": 2}
    rows = [p["id"] for p in client.get(url).json()["participants"]]
    client.post(url + "attendance/", {"attended": rows}, content_type="application/json")
    too_many = client.post(
        url + "preferences/",
        {"participant": pupil.pk, "role": "mentee", "chosen": [1, 2, 3, 4]},
        content_type="application/json",
    )
    assert too_many.status_code == 400
    for chooser, role, chosen in ((pupil, "mentee", teacher), (teacher, "mentor", pupil)):
        done = client.post(
            url + "preferences/",
            {"participant": chooser.pk, "role": role, "chosen": [chosen.pk]},
            content_type="application/json",
        )
        assert done.status_code == 200
    people = {p["participant_id"]: p for p in done.json()["participants"]}
    assert people[pupil.pk]["chosen"] == [teacher.pk]
    assert people[pupil.pk]["mutual_first_id"] == teacher.pk
    assert client.get(base).json()["results"][0]["attended_count"] == 2


def test_group_meetings_feed_the_calendar(cast, met):
    from mentorship import calendar
    from registry.selectors.group_meetings import CALENDAR_SOURCE

    assert CALENDAR_SOURCE in calendar.calendar_sources()
    today = timezone.localdate()
    with tenant_scope(cast.school):
        mine = calendar.calendar_events(
            calendar.CalendarQuery(
                organization=cast.school, start=today, end=today, participant_id=met["p1"].pk
            ),
            sources=[CALENDAR_SOURCE],
        )
        nobody = calendar.calendar_events(
            calendar.CalendarQuery(
                organization=cast.school,
                start=today,
                end=today,
                participant_id=_pupil(cast.school, "Неприглашённый").pk,
            ),
            sources=[CALENDAR_SOURCE],
        )
    assert [e.uid for e in mine] == [f"group-meeting-{met['meeting'].pk}@{cast.school.slug}"]
    assert nobody == []


def test_a_person_whose_consent_was_withdrawn_is_no_longer_offered(cast, met):
    from registry.services.consent import consent_withdraw
    from registry.services.group_meetings import choice_options

    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=met["t2"].consents.first(), reason="Отзыв")
        offered = choice_options(met["meeting"], met["p1"].pk, "mentee")
    assert [p.pk for p in offered] == [met["t1"].pk]
    with pytest.raises(ValidationError):
        _rank(cast, met, met["p1"], "mentee", met["t2"])
