"""Double clicks in monitoring: two real requests at once on PostgreSQL (issue 11, item 3).

Identical creates (a campaign, a questionnaire) make one row and give the other request
a Russian message (409 in the API); inviting a school twice at once, saving targets
twice at once and closing a campaign twice at once write each thing once. Never a 500.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.definitions import Indicator
from monitoring.indicators.models import Target
from monitoring.models import Campaign, CampaignSchool, Invitation, Questionnaire
from tests.concurrency import codes, posts_at_once
from tests.monitoring.conftest import active_pair, school_row, standard, start_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("standard_forms"),
]

ROUNDS = 3


def _campaign_body(title: str) -> dict:
    today = timezone.localdate()
    return {
        "title": title,
        "stage": "interim",
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=14)),
        "mentee_questionnaire": standard("mentee_satisfaction").pk,
        "mentor_questionnaire": standard("mentor_satisfaction").pk,
    }


def test_two_identical_campaigns_at_once_make_one_and_a_409(cast):
    path = f"/api/v1/o/{cast.muni.slug}/monitoring/campaigns/"
    for round_ in range(ROUNDS):
        body = _campaign_body(f"Мониторинг {round_}")
        responses = posts_at_once(cast.methodist, path, body, body, api=True)

        assert codes(responses) == [201, 409]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert lost.json() == {
            "non_field_errors": [f"Кампания «Мониторинг {round_}» с этой датой начала уже есть."]
        }
        with tenant_scope(cast.muni):
            assert Campaign.objects.filter(title=body["title"]).count() == 1
        with unscoped_reads():
            rows = CampaignSchool.objects.filter(campaign__title=body["title"])
            assert sorted(rows.values_list("organization_id", flat=True)) == sorted(
                [cast.school.pk, cast.school2.pk]
            )


def test_two_identical_questionnaires_at_once_make_one(cast):
    path = reverse("monitoring:questionnaire_list", args=[cast.school.slug])
    for round_ in range(ROUNDS):
        body = {"title": f"Анкета {round_}", "kind": "custom", "audience": "any"}
        responses = posts_at_once(cast.curator, path, body, body)

        assert codes(responses) == [200, 302]
        (lost,) = [r for r in responses if r.status_code == 200]
        assert f"Анкета «Анкета {round_}» уже есть" in lost.content.decode()
        with tenant_scope(cast.school):
            assert Questionnaire.objects.filter(title=body["title"]).count() == 1


def test_inviting_a_school_twice_at_once_makes_each_link_once(cast):
    for _ in range(3):
        active_pair(cast.school, mentee_email="")
    campaign = start_campaign(cast)
    row = school_row(campaign, cast.school)
    path = reverse("monitoring:school_campaign_invite", args=[cast.school.slug, row.pk])

    responses = posts_at_once(cast.curator, path, {}, {})

    assert codes(responses) == [302, 302]
    with tenant_scope(cast.school):
        links = list(Invitation.objects.values_list("participant_id", "questionnaire_id"))
    assert len(links) == 6 and len(set(links)) == 6  # 3 mentors and 3 mentees, once each


def test_saving_targets_twice_at_once_writes_one_row(cast):
    path = f"/o/{cast.muni.slug}/indicators/targets/"
    for round_ in range(ROUNDS):
        year = timezone.localdate().year - round_
        body = {"year": year, Indicator.YOUNG_TEACHERS: "70"}
        responses = posts_at_once(cast.methodist, path, body, body)

        assert codes(responses) == [302, 302]
        with tenant_scope(cast.muni):
            assert Target.objects.filter(year=year).count() == 1


def test_closing_a_campaign_twice_at_once_closes_it_once(cast):
    campaign = start_campaign(cast)
    path = reverse("monitoring:campaign_close", args=[cast.muni.slug, campaign.pk])

    responses = posts_at_once(cast.methodist, path, {}, {})

    assert codes(responses) == [302, 302]
    with tenant_scope(cast.muni):
        assert AuditEntry.objects.filter(action="campaign.close").count() == 1
