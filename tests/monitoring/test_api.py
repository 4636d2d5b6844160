"""The monitoring REST API: questionnaires, campaigns, the school's campaign, invite and
results; roles, tenant isolation, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool, Invitation
from tests.monitoring.conftest import active_pair, invitations, school_row, standard
from tests.monitoring.makers import make_campaign, make_questionnaire, make_school_campaign
from tests.monitoring.test_public import _full_answers

pytestmark = pytest.mark.django_db


def url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/monitoring/{path}"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


# --- Questionnaires ---------------------------------------------------------------------


def test_questionnaires_list_standard_and_own_with_sections_and_questions(cast, api):
    mentee = standard("mentee_satisfaction")
    own = make_questionnaire(cast.muni)
    foreign = make_questionnaire(cast.other_muni)
    api.force_login(cast.methodist)
    response = api.get(url(cast.muni, "questionnaires/"))
    assert response.status_code == 200, response.content
    by_id = {q["id"]: q for q in response.json()["results"]}
    assert mentee.pk in by_id and own.pk in by_id and foreign.pk not in by_id
    assert by_id[mentee.pk]["is_standard"] is True and by_id[own.pk]["is_standard"] is False
    sections = by_id[mentee.pk]["sections"]
    assert sections and all(s["questions"] for s in sections)
    assert {"code", "text", "kind", "options", "required"} <= set(sections[0]["questions"][0])

    detail = api.get(url(cast.muni, f"questionnaires/{mentee.pk}/"))
    assert detail.status_code == 200 and detail.json()["title"] == mentee.title
    # Another municipality's questionnaire does not exist here.
    assert api.get(url(cast.muni, f"questionnaires/{foreign.pk}/")).status_code == 404


def test_questionnaire_list_makes_a_fixed_number_of_queries(cast, api):
    standard("mentee_satisfaction")
    api.force_login(cast.curator)
    api.get(url(cast.school, "questionnaires/"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert api.get(url(cast.school, "questionnaires/")).status_code == 200
    for _ in range(3):
        make_questionnaire(cast.school)
    with CaptureQueriesContext(connection) as more:
        body = api.get(url(cast.school, "questionnaires/")).json()
    assert body["count"] >= 4
    assert len(more) == len(few)


# --- Campaigns at a municipality ------------------------------------------------------------


def _campaign_body(**extra):
    today = timezone.localdate()
    return {
        "title": "Мониторинг — декабрь",
        "stage": "interim",
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=14)),
        "mentee_questionnaire": standard("mentee_satisfaction").pk,
        "mentor_questionnaire": standard("mentor_satisfaction").pk,
        **extra,
    }


def test_methodist_starts_a_campaign_in_every_school(cast, api):
    api.force_login(cast.methodist)
    response = api.post(url(cast.muni, "campaigns/"), _campaign_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_open"] is True
    assert {s["school"] for s in body["schools"]} == {"Школа А1", "Школа А2"}
    assert body["progress"] == {
        "invited": 0,
        "responded": 0,
        "revoked": 0,
        "active": 0,
        "rate": None,
    }
    with tenant_scope(cast.school):
        assert CampaignSchool.objects.filter(campaign_id=body["id"]).exists()


def test_campaign_create_errors_are_russian(cast, api):
    api.force_login(cast.methodist)
    today = timezone.localdate()
    response = api.post(
        url(cast.muni, "campaigns/"),
        _campaign_body(ends_on=str(today - timedelta(days=1))),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"ends_on": ["Окончание раньше начала."]}
    response = api.post(
        url(cast.muni, "campaigns/"),
        _campaign_body(mentee_questionnaire=None, mentor_questionnaire=None),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Выберите анкету для наставников, для наставляемых или обе."]
    }
    # Another municipality's questionnaire is not found here.
    foreign = make_questionnaire(cast.other_muni)
    response = api.post(
        url(cast.muni, "campaigns/"), _campaign_body(mentee_questionnaire=foreign.pk), format="json"
    )
    assert response.status_code == 400 and "mentee_questionnaire" in response.json()


def test_campaign_roles(cast, api):
    campaign = make_campaign(cast.muni)
    api.force_login(cast.department)
    assert api.get(url(cast.muni, "campaigns/")).status_code == 200
    assert api.get(url(cast.muni, f"campaigns/{campaign.pk}/")).status_code == 200
    assert (
        api.post(url(cast.muni, "campaigns/"), _campaign_body(), format="json").status_code == 403
    )
    # Campaigns are run at a municipality: a school has no such endpoint.
    api.force_login(cast.curator)
    assert api.get(url(cast.school, "campaigns/")).status_code == 404
    api.logout()
    assert api.get(url(cast.muni, "campaigns/")).status_code == 401


def test_curator_starts_a_school_campaign_as_on_the_web(cast, api):
    """`monitoring.campaign_start` at a school: the web's form and the API agree."""
    api.force_login(cast.viewer)
    body = _campaign_body()
    assert api.post(url(cast.school, "campaigns/"), body, format="json").status_code == 403
    api.force_login(cast.curator)
    response = api.post(url(cast.school, "campaigns/"), body, format="json")
    assert response.status_code == 201, response.content
    assert [s["school"] for s in response.json()["schools"]] == ["Школа А1"]
    with tenant_scope(cast.school):
        row = CampaignSchool.objects.get(campaign_id=response.json()["id"])
    assert row.campaign.organization == cast.school
    # The school reads its campaigns as school campaigns; campaigns/ is read at the
    # municipality only (counts per school).
    assert api.get(url(cast.school, f"school-campaigns/{row.pk}/")).status_code == 200
    assert api.get(url(cast.school, "campaigns/")).status_code == 404


def test_foreign_campaigns_are_not_found(cast, api):
    foreign = make_campaign(cast.other_muni)
    api.force_login(cast.methodist)
    assert api.get(url(cast.muni, f"campaigns/{foreign.pk}/")).status_code == 404
    # Another municipality is not the methodist's: it does not exist for them.
    assert api.get(url(cast.other_muni, f"campaigns/{foreign.pk}/")).status_code == 404
    assert api.get(url(cast.other_muni, "campaigns/")).status_code == 404


def test_campaign_list_makes_a_fixed_number_of_queries(cast, api):
    make_campaign(cast.muni)
    api.force_login(cast.methodist)
    api.get(url(cast.muni, "campaigns/"))
    with CaptureQueriesContext(connection) as few:
        assert api.get(url(cast.muni, "campaigns/")).status_code == 200
    for _ in range(4):
        make_campaign(cast.muni)
    with CaptureQueriesContext(connection) as more:
        body = api.get(url(cast.muni, "campaigns/")).json()
    assert body["count"] == 5
    assert len(more) == len(few)


# --- The school's campaign ------------------------------------------------------------------


@pytest.fixture
def campaign(cast, api) -> Campaign:
    api.force_login(cast.methodist)
    response = api.post(url(cast.muni, "campaigns/"), _campaign_body(), format="json")
    assert response.status_code == 201, response.content
    with tenant_scope(cast.muni):
        return Campaign.objects.get(pk=response.json()["id"])


def test_curator_invites_and_sees_counts_go_up(cast, api, campaign):
    active_pair(cast.school)
    row = school_row(campaign, cast.school)
    api.force_login(cast.curator)
    listed = api.get(url(cast.school, "school-campaigns/")).json()
    assert [r["id"] for r in listed["results"]] == [row.pk]
    assert listed["results"][0]["campaign"]["title"] == "Мониторинг — декабрь"

    response = api.post(url(cast.school, f"school-campaigns/{row.pk}/invite/"))
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "restored": 0, "by_email": 1, "by_sheet": 1}
    detail = api.get(url(cast.school, f"school-campaigns/{row.pk}/")).json()
    assert detail["progress"]["invited"] == 2 and detail["progress"]["rate"] == 0
    assert detail["invited_at"] is not None

    # The pupil answers on the public page.
    pupil = next(i for i in invitations(cast.school) if i.role == "mentee")
    client = Client()
    client.post(f"/q/{pupil.token}/", _full_answers(pupil))
    detail = api.get(url(cast.school, f"school-campaigns/{row.pk}/")).json()
    assert detail["progress"]["responded"] == 1 and detail["progress"]["rate"] == 50

    results = api.get(url(cast.school, f"school-campaigns/{row.pk}/results/"))
    assert results.status_code == 200, results.content
    body = results.json()
    assert body["progress"]["responded"] == 1
    overall = [q for q in body["questions"] if q["code"] == "overall"]
    assert overall and any(q["answers"] == 1 and q["average"] == 5.0 for q in overall)
    assert pupil.participant.last_name not in results.content.decode()

    # The methodist sees the school's rate, as counts.
    api.force_login(cast.methodist)
    municipal = api.get(url(cast.muni, f"campaigns/{campaign.pk}/")).json()
    school = next(s for s in municipal["schools"] if s["school_id"] == cast.school.pk)
    assert school["progress"]["rate"] == 50
    assert pupil.participant.last_name not in str(municipal)


def test_school_viewer_reads_but_does_not_invite(cast, api, campaign):
    row = school_row(campaign, cast.school)
    api.force_login(cast.viewer)
    assert api.get(url(cast.school, f"school-campaigns/{row.pk}/")).status_code == 200
    assert api.get(url(cast.school, f"school-campaigns/{row.pk}/results/")).status_code == 200
    assert api.post(url(cast.school, f"school-campaigns/{row.pk}/invite/")).status_code == 403
    with tenant_scope(cast.school):
        assert not Invitation.objects.exists()


def test_invite_after_the_end_is_a_russian_400(cast, api, campaign):
    row = school_row(campaign, cast.school)
    with tenant_scope(cast.muni):
        Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    api.force_login(cast.curator)
    response = api.post(url(cast.school, f"school-campaigns/{row.pk}/invite/"))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Кампания завершена: приглашать больше нельзя."]
    }


def test_foreign_school_campaigns_are_not_found(cast, api, campaign):
    sibling = school_row(campaign, cast.school2)
    far = make_school_campaign(cast.other_school)
    api.force_login(cast.curator)
    for row in (sibling, far):
        for path in ("", "results/"):
            assert api.get(url(cast.school, f"school-campaigns/{row.pk}/{path}")).status_code == 404
        assert api.post(url(cast.school, f"school-campaigns/{row.pk}/invite/")).status_code == 404
    assert api.get(url(cast.school2, f"school-campaigns/{sibling.pk}/")).status_code == 404
    # A municipality has no school campaign endpoints; a methodist does not read people.
    api.force_login(cast.methodist)
    assert api.get(url(cast.muni, "school-campaigns/")).status_code == 404
    assert api.get(url(cast.school, "school-campaigns/")).status_code == 403


def test_anonymous_gets_401(cast, api, campaign):
    row = school_row(campaign, cast.school)
    api.logout()
    assert api.get(url(cast.school, "school-campaigns/")).status_code == 401
    assert api.post(url(cast.school, f"school-campaigns/{row.pk}/invite/")).status_code == 401
    assert api.get(url(cast.school, "questionnaires/")).status_code == 401


def test_school_campaign_list_makes_a_fixed_number_of_queries(cast, api):
    api.force_login(cast.curator)
    make_school_campaign(cast.school)
    api.get(url(cast.school, "school-campaigns/"))
    with CaptureQueriesContext(connection) as few:
        assert api.get(url(cast.school, "school-campaigns/")).status_code == 200
    for _ in range(3):
        make_school_campaign(cast.school)
    with CaptureQueriesContext(connection) as more:
        assert api.get(url(cast.school, "school-campaigns/")).json()["count"] == 4
    assert len(more) == len(few)
