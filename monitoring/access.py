"""Fetch-or-404 inside the tenant, and who may edit what."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from mentorship.models import Role
from mentorship.tenancy.access import get_in_tenant_or_404
from monitoring.models import Campaign, CampaignSchool, Questionnaire


def editor_role(request: HttpRequest) -> str:
    """Methodists build and run at a municipality, curators at their school."""
    return Role.METHODIST if request.tenant.is_municipality else Role.CURATOR


def questionnaire_or_404(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    """A standard questionnaire or one of this organisation; anyone else's is not found."""
    try:
        return Questionnaire.objects.available_at(request.tenant.organization).get(
            pk=questionnaire_id
        )
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Анкета не найдена.")) from None


def can_edit(request: HttpRequest, questionnaire: Questionnaire) -> bool:
    return (
        not questionnaire.is_standard
        and questionnaire.organization_id == request.tenant.organization.pk
        and request.tenant.has_any(editor_role(request))
    )


def campaign_or_404(campaign_id: int) -> Campaign:
    return get_in_tenant_or_404(Campaign, pk=campaign_id)


def school_campaign_or_404(school_campaign_id: int) -> CampaignSchool:
    return get_in_tenant_or_404(
        CampaignSchool.objects.select_related(
            "campaign__mentor_questionnaire", "campaign__mentee_questionnaire", "organization"
        ),
        pk=school_campaign_id,
    )
