"""Monitoring fixtures: a running municipal campaign and working pairs in the first school."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool, Invitation, Questionnaire
from monitoring.services.campaigns import campaign_create, campaign_invite
from monitoring.standard import ensure_standard_questionnaires
from tests.factories import make_pair

PHONE = {
    "HTTP_USER_AGENT": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    )
}


def standard(code: str) -> Questionnaire:
    ensure_standard_questionnaires()
    return Questionnaire.objects.get(organization__isnull=True, standard_code=code, is_current=True)


def start_campaign(cast, *, days_left: int = 10, title="Мониторинг — ноябрь 2026") -> Campaign:
    today = timezone.localdate()
    with tenant_scope(cast.muni):
        return campaign_create(
            actor=cast.methodist,
            organization=cast.muni,
            title=title,
            stage="interim",
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=days_left),
            mentor_questionnaire=standard("mentor_satisfaction"),
            mentee_questionnaire=standard("mentee_satisfaction"),
        )


def school_row(campaign: Campaign, school) -> CampaignSchool:
    with tenant_scope(school):
        return CampaignSchool.objects.select_related("campaign", "organization").get(
            campaign=campaign
        )


def active_pair(school, *, mentee_email="", mentor_email="mentor@example.org"):
    """A working pair whose mentor has an e-mail address and whose pupil may not."""
    from registry.models import MemberRole, PairStatus
    from registry.services.pairs import pair_transition

    pair = make_pair(school, approved=True)
    with tenant_scope(school):
        pair_transition(actor=None, pair=pair, to=PairStatus.ACTIVE)
        for member in pair.members.select_related("participant"):
            email = mentor_email if member.role == MemberRole.MENTOR else mentee_email
            member.participant.email = email
            member.participant.save(update_fields=["email"])
    return pair


def invite(cast, campaign, school=None):
    """Invite as the curator, then mail as the task would after commit (tests run inside
    one transaction, so on_commit callbacks would not fire)."""
    from monitoring.services.mailing import invitations_send

    school = school or cast.school
    with tenant_scope(school):
        result = campaign_invite(actor=cast.curator, campaign_school=school_row(campaign, school))
    invitations_send(campaign.pk, school.pk)
    return result


def invitations(school, **filters) -> list[Invitation]:
    with tenant_scope(school):
        return list(
            Invitation.objects.filter(**filters)
            .select_related("participant", "campaign", "questionnaire", "organization")
            .order_by("pk")
        )


@pytest.fixture
def campaign(cast) -> Campaign:
    return start_campaign(cast)


@pytest.fixture
def invited(cast, campaign) -> list[Invitation]:
    """One working pair of the first school, invited: the mentor by mail, the pupil by sheet."""
    active_pair(cast.school)
    invite(cast, campaign)
    return invitations(cast.school)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.MONITORING_PUBLIC_RATE_LIMIT = 0
    settings.REDIS_URL = ""
