"""Monitoring and the indicators speak the one permission vocabulary: every page is guarded
by a named rule of its app, every API action by a rule too, and where the web and the API
do the same thing they hold the very same rule object."""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from mentorship.tenancy.rules import Rule, all_rules
from monitoring import access
from monitoring import urls as monitoring_urls
from monitoring.api import urls as monitoring_api_urls
from monitoring.api.viewsets import CampaignViewSet, QuestionnaireViewSet, SchoolCampaignViewSet
from monitoring.indicators import access as indicators_access
from monitoring.indicators import urls as indicators_urls
from monitoring.indicators.api import urls as indicators_api_urls
from monitoring.indicators.api.viewsets import IndicatorsViewSet
from monitoring.indicators.views import dashboard, inputs, results
from monitoring.views import campaigns, questionnaires

PAGES = [("monitoring.", p) for p in monitoring_urls.urlpatterns if isinstance(p, URLPattern)] + [
    ("indicators.", p) for p in indicators_urls.urlpatterns if isinstance(p, URLPattern)
]
ENDPOINTS = [*monitoring_api_urls.urlpatterns, *indicators_api_urls.urlpatterns]


@pytest.mark.parametrize(("prefix", "pattern"), PAGES, ids=lambda v: getattr(v, "name", v))
def test_every_page_is_guarded_by_a_named_rule_of_its_app(prefix, pattern):
    rule = getattr(pattern.callback, "tenant_rule", None)
    assert isinstance(rule, Rule), f"{pattern.name} is not decorated with tenant_view(rule)"
    assert rule.name.startswith(prefix)
    assert all_rules()[rule.name] is rule


@pytest.mark.parametrize("pattern", ENDPOINTS, ids=lambda p: p.name)
def test_every_api_action_is_guarded_by_a_named_rule(pattern):
    view = pattern.callback
    for action in view.actions.values():
        rule = view.cls.action_roles[action]
        assert isinstance(rule, Rule), f"{view.cls.__name__}.{action}"
        assert all_rules()[rule.name] is rule


def test_web_and_api_hold_the_same_rules():
    assert questionnaires.questionnaire_list.tenant_rule is access.QUESTIONNAIRES_READ
    assert QuestionnaireViewSet.action_roles["list"] is access.QUESTIONNAIRES_READ
    assert campaigns.campaign_detail.tenant_rule is access.CAMPAIGN_READ
    assert CampaignViewSet.action_roles["retrieve"] is access.CAMPAIGN_READ
    assert CampaignViewSet.action_roles["create"] is access.CAMPAIGN_START
    assert campaigns.school_campaign.tenant_rule is access.SCHOOL_CAMPAIGN_READ
    assert SchoolCampaignViewSet.action_roles["retrieve"] is access.SCHOOL_CAMPAIGN_READ
    assert campaigns.school_campaign_invite.tenant_rule is access.INVITE
    assert SchoolCampaignViewSet.action_roles["invite"] is access.INVITE
    assert dashboard.dashboard.tenant_rule is indicators_access.DASHBOARD
    assert IndicatorsViewSet.action_roles["list"] is indicators_access.DASHBOARD
    assert inputs.targets.tenant_rule is indicators_access.TARGETS_READ
    assert results.campaign_results.tenant_rule is indicators_access.RESULTS


def test_pupils_answers_and_people_stay_in_the_school():
    """What names people or gives raw answers exists at the school level only."""
    for rule in (access.SCHOOL_CAMPAIGN_READ, access.INVITE, indicators_access.EXACT):
        assert set(rule) == {"school"}, rule
        assert rule.roles <= {"curator", "school_viewer"}, rule
