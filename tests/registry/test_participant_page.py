"""A participant's own page through a magic link (issue 15, item 4), and what a withdrawn
consent does to their links and feeds (item 5)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Invitation
from registry.models import LinkPurpose, PersonalLink, PlanTask, TaskStatus
from registry.services.consent import consent_withdraw
from registry.services.links import participant_address, personal_link_issue
from registry.services.pairs import plan_save, plan_task_save
from tests.factories import make_participant, make_planned_meeting
from tests.monitoring.makers import make_campaign, make_questionnaire
from tests.registry.calendar_makers import (
    MENTOR_EMAIL,
    PARENT_EMAIL,
    PUPIL_EMAIL,
    make_reachable_pair,
    people_of,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue(person, purpose: str = LinkPurpose.PAGE) -> str:
    with tenant_scope(person.organization):
        return personal_link_issue(actor=None, participant=person, purpose=purpose).token


def page(token: str):
    return Client().get(f"/p/{token}/")


@pytest.fixture
def world(cast):
    """Two pairs of one school, a plan task each, a planned meeting each."""
    pair = make_reachable_pair(cast.school)
    other = make_reachable_pair(cast.school, n=2)
    mentor, mentee = people_of(pair)
    other_mentor, other_mentee = people_of(other)
    with tenant_scope(cast.school):
        plan = plan_save(actor=None, pair=pair, mentee=mentee, goals="Цели")
        task = plan_task_save(actor=None, plan=plan, title="Прочитать книгу о профессиях")
        other_plan = plan_save(actor=None, pair=other, mentee=other_mentee, goals="Цели")
        other_task = plan_task_save(actor=None, plan=other_plan, title="Чужая задача")
    make_planned_meeting(cast.school, pair=pair, topic="Наша встреча")
    make_planned_meeting(cast.school, pair=other, topic="Встреча другой пары")
    return {
        "pair": pair,
        "mentor": mentor,
        "mentee": mentee,
        "other_mentee": other_mentee,
        "task": task,
        "other_task": other_task,
    }


def test_the_page_shows_the_persons_own_pair_meetings_tasks_and_contacts(cast, world):
    response = page(issue(world["mentee"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Наша встреча" in body and "Кабинет 21" in body
    assert "Прочитать книгу о профессиях" in body
    # The mentor's contacts, the school's curator.
    assert MENTOR_EMAIL in body and "curator@a1.test" in body
    # Nothing of the other pair.
    assert "Встреча другой пары" not in body and "Чужая задача" not in body
    assert world["other_mentee"].last_name not in body


def test_a_mentor_sees_their_mentees_tasks_but_not_the_childs_contacts(cast, world):
    body = page(issue(world["mentor"])).content.decode()
    assert "Прочитать книгу о профессиях" in body
    assert PUPIL_EMAIL not in body and PARENT_EMAIL not in body


def test_the_page_answers_in_a_fixed_number_of_queries(cast, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = issue(world["mentee"])
    page(token)
    with CaptureQueriesContext(connection) as first:
        page(token)
    with tenant_scope(cast.school):
        plan = world["task"].plan
        for n in range(4):
            plan_task_save(actor=None, plan=plan, title=f"Задача {n}")
    for days in (2, 3, 4):
        make_planned_meeting(
            cast.school,
            pair=world["pair"],
            starts_at=timezone.make_aware(
                dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(9))
            ),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        assert page(token).status_code == 200


def test_a_reissued_link_kills_the_old_one_and_a_forged_one_is_a_404(cast, world):
    old = issue(world["mentee"])
    new = issue(world["mentee"])
    assert page(old).status_code == 404
    assert page(new).status_code == 200
    assert page("x" * 43).status_code == 404
    with tenant_scope(cast.school):
        links = PersonalLink.objects.filter(participant=world["mentee"], purpose="page")
        assert links.filter(revoked_at__isnull=True).count() == 1
        # Only hashes are stored.
        assert not links.filter(token_hash__in=[old, new]).exists()


def test_the_curator_issues_one_link_from_the_card_and_revokes_it(cast, world):
    client = client_for(cast.curator)
    mentee = world["mentee"]
    card = client.get(f"/o/{cast.school.slug}/registry/{mentee.pk}/").content.decode()
    assert 'data-testid="link-issue"' in card
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = client.post(f"/o/{cast.school.slug}/registry/{mentee.pk}/link/")
    assert issued.status_code == 200
    url = re.search(r"http://[^\"]+/p/([\w-]+)/", issued.content.decode())
    assert url, "the link is shown once"
    token = url.group(1)
    # A minor's link goes to the parent who consented, never to the child.
    (letter,) = mail.outbox
    assert letter.to == [PARENT_EMAIL] and token in letter.body
    assert page(token).status_code == 200
    assert (
        client.post(f"/o/{cast.school.slug}/registry/{mentee.pk}/link/revoke/").status_code == 302
    )
    assert page(token).status_code == 404


def test_links_are_the_curators_and_a_foreign_person_is_not_found(cast, world):
    foreign_mentor, _ = people_of(make_reachable_pair(cast.school2, n=3))
    viewer = client_for(cast.viewer)
    assert (
        viewer.post(f"/o/{cast.school.slug}/registry/{world['mentee'].pk}/link/").status_code == 403
    )
    curator = client_for(cast.curator)
    url = f"/o/{cast.school.slug}/registry/{foreign_mentor.pk}/link/"
    assert curator.post(url).status_code == 404
    with tenant_scope(cast.school2):
        assert not PersonalLink.objects.exists()


def test_links_in_bulk_from_the_registry_list(cast, world):
    no_consent = make_participant(cast.school, last_name="Безсогласия")
    client = client_for(cast.curator)
    response = client.post(
        f"/o/{cast.school.slug}/registry/bulk/",
        {
            "action": "personal_links",
            "ids": [world["mentor"].pk, world["mentee"].pk, no_consent.pk],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="issued-link"') == 2
    assert "Безсогласия" in body  # refused: no consent
    tokens = re.findall(r"/p/([\w-]+)/", body)
    assert len(tokens) == 2 and all(page(t).status_code == 200 for t in tokens)


def test_addresses_adult_own_minor_parents_only():
    from registry.models import Participant

    adult = Participant(
        email="a@b.test", birth_date=dt.date(1980, 1, 1), category="teacher", pk=None
    )
    assert participant_address(adult) == "a@b.test"
    adult.email = "not-an-address"
    assert participant_address(adult) == ""


def test_a_minor_without_a_parents_address_gets_no_letter(cast, world):
    mentee = world["mentee"]
    with tenant_scope(cast.school):
        consent = mentee.consents.get()
        assert participant_address(mentee) == PARENT_EMAIL
        consent.giver_contact = "+7 900 123-45-67"
        consent.save()
        mentee.refresh_from_db()
        assert participant_address(mentee) == ""


def test_ticking_ones_own_task_and_never_anothers(cast, world):
    token = issue(world["mentee"])
    client = Client()
    response = client.post(f"/p/{token}/tasks/{world['task'].pk}/", {"done": "1"})
    assert response.status_code == 302
    with tenant_scope(cast.school):
        assert PlanTask.objects.get(pk=world["task"].pk).status == TaskStatus.DONE
    assert (
        client.post(f"/p/{token}/tasks/{world['other_task'].pk}/", {"done": "1"}).status_code == 404
    )
    assert client.post(f"/p/{token}/tasks/987654/", {"done": "1"}).status_code == 404
    with tenant_scope(cast.school):
        assert PlanTask.objects.get(pk=world["other_task"].pk).status == TaskStatus.PLANNED
    client.post(f"/p/{token}/tasks/{world['task'].pk}/", {"done": "0"})
    with tenant_scope(cast.school):
        assert PlanTask.objects.get(pk=world["task"].pk).status == TaskStatus.IN_PROGRESS
    assert client.get(f"/p/{token}/tasks/{world['task'].pk}/").status_code == 405


def test_the_person_subscribes_their_own_feed(cast, world):
    token = issue(world["mentor"])
    response = Client().post(f"/p/{token}/calendar/")
    assert response.status_code == 200
    feed = re.search(r"calendar\.ics\?token=([\w-]+)", response.content.decode()).group(1)
    ics = Client().get(f"/o/{cast.school.slug}/calendar.ics?token={feed}")
    assert ics.status_code == 200 and "Наша встреча" in ics.content.decode()
    assert "Встреча другой пары" not in ics.content.decode()


def test_waiting_questionnaires_come_from_monitoring(cast, world):
    mentee = world["mentee"]
    campaign = make_campaign(cast.school)
    questionnaire = make_questionnaire(cast.school)
    with tenant_scope(cast.school):
        Invitation.objects.create(
            organization=cast.school,
            campaign=campaign,
            participant=mentee,
            questionnaire=questionnaire,
            role="mentee",
            token="q" * 40,
            channel="print",
        )
    body = page(issue(mentee)).content.decode()
    assert questionnaire.title in body and "/q/" + "q" * 40 + "/" in body
    other = page(issue(world["other_mentee"])).content.decode()
    assert questionnaire.title not in other


def test_a_withdrawn_consent_kills_the_page_and_the_feed(cast, world):
    mentee = world["mentee"]
    page_token = issue(mentee)
    feed_token = issue(mentee, LinkPurpose.FEED)
    assert page(page_token).status_code == 200
    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=mentee.consents.get(), reason="просьба")
        assert not PersonalLink.objects.filter(participant=mentee, revoked_at__isnull=True).exists()
    assert page(page_token).status_code == 404
    assert Client().get(f"/o/{cast.school.slug}/calendar.ics?token={feed_token}").status_code == 404
    # No new link either.
    from django.core.exceptions import ValidationError

    with tenant_scope(cast.school), pytest.raises(ValidationError):
        personal_link_issue(actor=None, participant=mentee)
    # The mentor's page still opens; the pair shows as suspended, without the mentee's
    # name or tasks.
    mentor_page = page(issue(world["mentor"])).content.decode()
    assert "приостановлена" in mentor_page
    assert mentee.last_name not in mentor_page
    assert "Прочитать книгу о профессиях" not in mentor_page
