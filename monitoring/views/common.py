"""Fetch-or-404 inside the tenant for the monitoring pages: another organisation's row
and a missing one look the same."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from mentorship.tenancy.access import get_in_tenant_or_404
from monitoring.models import Campaign, CampaignSchool, Questionnaire


def questionnaire_or_404(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    """A standard questionnaire or one of this organisation; anyone else's is not found."""
    try:
        return Questionnaire.objects.available_at(request.tenant.organization).get(
            pk=questionnaire_id
        )
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Анкета не найдена.")) from None


def campaign_or_404(campaign_id: int) -> Campaign:
    return get_in_tenant_or_404(Campaign, pk=campaign_id)


def school_campaign_or_404(school_campaign_id: int) -> CampaignSchool:
    return get_in_tenant_or_404(
        CampaignSchool.objects.select_related(
            "campaign__mentor_questionnaire", "campaign__mentee_questionnaire", "organization"
        ),
        pk=school_campaign_id,
    )
