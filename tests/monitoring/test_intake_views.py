"""The curator's intake pages and API: candidates, sending, the review list, accepting;
fixed query counts; another school's rows are 404; roles per the named rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Invitation, Response
from monitoring.services.intake import intake_send
from registry.models import MentorProfile
from tests.factories import ProgrammeFactory
from tests.monitoring.intake_people import (
    MENTEE_ANSWERS,
    MENTOR_ANSWERS,
    answer_on_phone,
    link_of,
    mentee_candidate,
    mentor_candidate,
)

pytestmark = pytest.mark.django_db

# Session, user, organisation, roles, the rows' queries, the bell and the switcher.
REVIEW_QUERIES = 9
CANDIDATES_QUERIES = 9


def _answered(cast, n_mentors=1):
    mentors = [
        mentor_candidate(cast.school, last_name=f"Наставник{i}", email=f"m{i}@s.test")
        for i in range(n_mentors)
    ]
    mentee = mentee_candidate(cast.school)
    with tenant_scope(cast.school):
        intake_send(
            actor=cast.curator,
            school=cast.school,
            participant_ids=[p.pk for p in [*mentors, mentee]],
        )
    for mentor in mentors:
        answer_on_phone(link_of(cast.school, mentor).token, MENTOR_ANSWERS)
    answer_on_phone(link_of(cast.school, mentee).token, MENTEE_ANSWERS)
    return mentors, mentee


def test_curator_sends_links_from_the_candidates_page(client, cast):
    mentor, mentee = mentor_candidate(cast.school), mentee_candidate(cast.school)
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/intake/"
    page = client.get(url).content.decode()
    assert "Петров И.С." in page and "не отправлена" in page
    response = client.post(url + "send/", {"participant": [mentor.pk, mentee.pk]})
    assert response.status_code == 302 and response.url == url
    with tenant_scope(cast.school):
        assert Invitation.objects.count() == 2
    page = client.get(url).content.decode()
    assert "письмо отправлено" in page and "Лист с QR-кодами" in page


def test_sending_nothing_or_junk_says_so_and_creates_nothing(client, cast):
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/intake/send/"
    response = client.post(url, {"participant": ["x"]}, follow=True)
    assert "Выберите хотя бы одного кандидата." in response.content.decode()
    with tenant_scope(cast.school):
        assert not Invitation.objects.exists()


def test_review_list_and_accept_one_and_all(client, cast):
    mentors, mentee = _answered(cast, n_mentors=2)
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/intake/review/"
    page = client.get(url).content.decode()
    assert "Помогу подготовиться к олимпиаде по физике" in page
    assert "Принять все (3)" in page
    with tenant_scope(cast.school):
        first = Response.objects.get(participant=mentors[0])
    response = client.post(f"{url}{first.pk}/accept/")
    assert response.status_code == 302
    with tenant_scope(cast.school):
        assert MentorProfile.objects.filter(participant=mentors[0]).exists()
        assert not MentorProfile.objects.filter(participant=mentors[1]).exists()
    client.post(url + "accept-all/")
    with tenant_scope(cast.school):
        assert MentorProfile.objects.count() == 2
        assert not Response.objects.filter(accepted_at__isnull=True).exists()
    assert "Новых ответов нет." in client.get(url).content.decode()


def test_review_page_query_count_does_not_grow(client, cast, django_assert_num_queries):
    _answered(cast, n_mentors=1)
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/intake/review/"
    client.get(url)
    with django_assert_num_queries(REVIEW_QUERIES):
        assert client.get(url).status_code == 200
    more = [
        mentor_candidate(cast.school, last_name=f"Ещё{i}", email=f"e{i}@s.test") for i in range(3)
    ]
    with tenant_scope(cast.school):
        intake_send(
            actor=cast.curator,
            school=cast.school,
            participant_ids=[p.pk for p in more],
        )
    for person in more:
        answer_on_phone(link_of(cast.school, person).token, MENTOR_ANSWERS)
    with django_assert_num_queries(REVIEW_QUERIES):
        assert client.get(url).status_code == 200


def test_candidates_page_query_count_does_not_grow(client, cast, django_assert_num_queries):
    mentor_candidate(cast.school)
    client.force_login(cast.curator)
    url = f"/o/{cast.school.slug}/intake/"
    client.get(url)
    with django_assert_num_queries(CANDIDATES_QUERIES):
        client.get(url)
    more = [mentor_candidate(cast.school, last_name=f"Другой{i}", email="") for i in range(4)]
    with tenant_scope(cast.school):
        intake_send(actor=cast.curator, school=cast.school, participant_ids=[more[0].pk])
    answer_on_phone(link_of(cast.school, more[0]).token, MENTOR_ANSWERS)
    # A running campaign adds a query (its sheet row), not one per link.
    with django_assert_num_queries(CANDIDATES_QUERIES + 1):
        assert client.get(url).status_code == 200
    with tenant_scope(cast.school):
        intake_send(actor=cast.curator, school=cast.school, participant_ids=[p.pk for p in more])
    with django_assert_num_queries(CANDIDATES_QUERIES + 1):
        assert client.get(url).status_code == 200


def test_another_schools_answer_is_not_found(client, cast):
    mentors, _mentee = _answered(cast)
    with tenant_scope(cast.school):
        theirs = Response.objects.get(participant=mentors[0])
    client.force_login(cast.curator2)
    response = client.post(f"/o/{cast.school2.slug}/intake/review/{theirs.pk}/accept/")
    assert response.status_code == 404
    api = client.post(f"/api/v1/o/{cast.school2.slug}/intake/review/{theirs.pk}/accept/")
    assert api.status_code == 404
    with tenant_scope(cast.school):
        assert not MentorProfile.objects.exists()


def test_roles_viewer_reads_methodist_has_no_such_page(client, cast):
    client.force_login(cast.viewer)
    assert client.get(f"/o/{cast.school.slug}/intake/review/").status_code == 200
    assert client.post(f"/o/{cast.school.slug}/intake/review/accept-all/").status_code == 403
    client.force_login(cast.methodist)
    assert client.get(f"/o/{cast.school.slug}/intake/").status_code == 403
    assert client.get(f"/o/{cast.muni.slug}/intake/").status_code == 404


def test_api_send_review_accept(client, cast):
    mentor, mentee = mentor_candidate(cast.school), mentee_candidate(cast.school)
    client.force_login(cast.curator)
    base = f"/api/v1/o/{cast.school.slug}/intake/"
    bad = client.post(base + "send/", {"participants": "x"}, content_type="application/json")
    assert bad.status_code == 400
    sent = client.post(
        base + "send/", {"participants": [mentor.pk, mentee.pk]}, content_type="application/json"
    ).json()
    assert sent["created"] == 2 and sent["refused"] == []
    candidates = client.get(base + "candidates/").json()
    assert {c["status"] for c in candidates} == {"sent"}
    answer_on_phone(link_of(cast.school, mentor).token, MENTOR_ANSWERS)
    [row] = client.get(base + "review/").json()
    assert row["role"] == "mentor" and row["answers"][0]["answer"].startswith("Помогу")
    accepted = client.post(f"{base}review/{row['id']}/accept/").json()
    assert accepted["participant_id"] == mentor.pk
    again = client.post(f"{base}review/{row['id']}/accept/")
    assert again.status_code == 409
    assert client.post(base + "review/accept-all/").json() == {"accepted": 0, "refused": []}


def test_api_choice_links_of_a_foreign_meeting_are_404(client, cast):
    from registry.services.group_meetings import group_meeting_create

    programme = ProgrammeFactory(organization=cast.school2)
    with tenant_scope(cast.school2):
        meeting = group_meeting_create(
            actor=None, programme=programme, held_on=timezone.localdate()
        )
    client.force_login(cast.curator)
    url = f"/api/v1/o/{cast.school.slug}/group-meetings/{meeting.pk}/choice-links/"
    assert client.post(url).status_code == 404
