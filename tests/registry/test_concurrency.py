"""Double clicks in the registry: two real requests at once on PostgreSQL (issue 11, item 3).

Before: two simultaneous accepts of one suggestion created two open pairs with the same
pupil; two simultaneous pair orders gave two numbered orders for the same pairs;
identical simultaneous creates of a programme or a person ended in a 500 from a unique
constraint. Now: row locks on the parent (the programme, the people, the pairs, the
school), constraints underneath (one open pair per mentee, one unfinished document per
request), and the loser gets a Russian message with 409.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorship.documents import services as document_services
from mentorship.models import Document
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from registry.models import MemberRole, PairMember, Participant, Programme
from tests.concurrency import codes, posts_at_once
from tests.factories import ProgrammeFactory, make_consented, make_pair

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("standard_forms"),
]

ROUNDS = 3
TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": datetime.date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
}


def api(org, path: str) -> str:
    return f"/api/v1/o/{org.slug}/{path}"


def test_accepting_one_suggestion_twice_at_once_makes_one_pair(cast):
    programme = ProgrammeFactory(organization=cast.school)
    for round_ in range(ROUNDS):
        mentor = make_consented(cast.school, last_name=f"Наставникова{round_}", **TEACHER)
        mentee = make_consented(cast.school, last_name=f"Ученикова{round_}")
        path = api(cast.school, f"programmes/{programme.pk}/suggestions/accept/")
        body = {"pairs": [{"mentor": mentor.pk, "mentee": mentee.pk}]}

        responses = posts_at_once(cast.curator, path, body, body, api=True)

        assert codes(responses) == [201, 409]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert "уже приняты" in lost.json()["non_field_errors"][0]
        with tenant_scope(cast.school):
            open_pairs = PairMember.objects.filter(
                participant=mentee, role=MemberRole.MENTEE, open=True
            )
            assert open_pairs.count() == 1


def test_accepting_on_the_matching_page_twice_at_once(cast):
    programme = ProgrammeFactory(organization=cast.school)
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    mentee = make_consented(cast.school, last_name="Ученикова")
    path = reverse("registry:programme_matching", args=[cast.school.slug, programme.pk])
    body = {"accept": [mentee.pk], f"mentor_{mentee.pk}": mentor.pk}

    responses = posts_at_once(cast.curator, path, body, body)

    assert codes(responses) == [302, 409]
    with tenant_scope(cast.school):
        assert PairMember.objects.filter(participant=mentee, open=True).count() == 1


def test_two_pair_orders_at_once_make_one_numbered_order(cast, monkeypatch):
    # The render waits for a worker, as in production: the window in which a second
    # click used to make a second numbered order for the same pairs.
    monkeypatch.setattr(document_services, "_schedule_render", lambda document_id: None)
    for round_ in range(ROUNDS):
        pairs = [make_pair(cast.school) for _ in range(2)]
        path = reverse("registry:pair_order_issue", args=[cast.school.slug])
        body = {
            "pair_ids": [p.pk for p in pairs],
            "date": f"2026-09-0{round_ + 1}",
            "number": f"{round_ + 1}-о",
        }

        responses = posts_at_once(cast.curator, path, body, body)

        assert codes(responses) == [302, 409]
        with unscoped_reads():
            (order,) = Document.objects.filter(kind="pair_order", date__day=round_ + 1)
        # The winner goes to its order; the loser sees the list again, told which is made.
        detail = reverse("document_detail", args=[cast.school.slug, order.pk])
        (won,) = [r for r in responses if r.status_code == 302]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert won["Location"] == detail
        assert "уже формируется" in lost.content.decode()

    # Through the API: 201/202 and 409 with the Russian message.
    pairs = [make_pair(cast.school) for _ in range(2)]
    body = {"pair_ids": [p.pk for p in pairs], "date": "2026-09-20"}
    responses = posts_at_once(cast.curator, api(cast.school, "pairs/order/"), body, body, api=True)
    assert codes(responses)[1] == 409 and codes(responses)[0] < 300
    (lost,) = [r for r in responses if r.status_code == 409]
    assert "уже формируется" in lost.json()["non_field_errors"][0]


def test_two_identical_programmes_at_once_make_one_and_a_409(cast):
    path = api(cast.school, "programmes/")
    for round_ in range(ROUNDS):
        body = {
            "name": f"Билет в будущее {round_}",
            "form": "teacher-student",
            "mentors_description": "Педагоги",
            "mentees_description": "Обучающиеся",
        }
        responses = posts_at_once(cast.curator, path, body, body, api=True)

        assert codes(responses) == [201, 409]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert lost.json() == {"name": [f"Программа «{body['name']}» в школе уже есть."]}
        with tenant_scope(cast.school):
            assert Programme.objects.filter(name=body["name"]).count() == 1


def test_two_identical_people_at_once_make_one_and_a_409(cast):
    path = api(cast.school, "participants/")
    for round_ in range(ROUNDS):
        body = {
            "last_name": f"Двойникова{round_}",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "birth_date": "2012-03-14",
            "category": "pupil",
            "grade": 8,
            "is_mentee": True,
        }
        responses = posts_at_once(cast.curator, path, body, body, api=True)

        assert codes(responses) == [201, 409]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert "уже есть в реестре" in lost.json()["non_field_errors"][0]
        with tenant_scope(cast.school):
            assert Participant.objects.filter(last_name=body["last_name"]).count() == 1

    web = reverse("registry:participant_create", args=[cast.school.slug])
    form = {
        "last_name": "Веб",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "birth_date": "2012-03-14",
        "category": "pupil",
        "grade": "8",
        "is_mentee": "on",
    }
    responses = posts_at_once(cast.curator, web, form, form)
    assert codes(responses) == [302, 409]
    with tenant_scope(cast.school):
        assert Participant.objects.filter(last_name="Веб").count() == 1


def test_closing_a_programme_while_a_pair_is_proposed_never_leaves_an_open_pair_in_it(cast):
    """The closing counts open pairs and the proposal checks the programme under the
    same row lock: one of the two is refused, whichever comes first."""
    from tests.concurrency import at_once, logged_in

    for round_ in range(ROUNDS):
        programme = ProgrammeFactory(organization=cast.school)
        mentor = make_consented(
            cast.school,
            last_name=f"Наставница{round_}",
            category="teacher",
            grade=None,
            birth_date=datetime.date(1980, 1, 1),
            is_mentor=True,
            is_mentee=False,
        )
        mentee = make_consented(cast.school, last_name=f"Ученица{round_}")
        closer, proposer = logged_in(cast.curator), logged_in(cast.curator)
        body = {"programme": programme.pk, "mentor_ids": [mentor.pk], "mentee_ids": [mentee.pk]}
        closed, proposed = at_once(
            lambda c=closer, p=programme.pk: c.post(api(cast.school, f"programmes/{p}/close/")),
            lambda c=proposer, b=body: c.post(
                api(cast.school, "pairs/"), b, content_type="application/json"
            ),
        )
        assert sorted([closed.status_code, proposed.status_code]) in ([200, 400], [201, 400])
        programme.refresh_from_db()
        with tenant_scope(cast.school):
            open_pairs = programme.pairs.exclude(status="rejected").count()
        assert (programme.closed_at is None) == (open_pairs == 1), (closed, proposed)
