"""Objects of one organisation for the permission matrix (tests/mentorship/)."""

from datetime import date
from itertools import count

from mentorship.models import OrganizationKind
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool
from monitoring.services.questionnaires import questionnaire_create
from tests.factories import OrganizationFactory

# Titles told apart: a second questionnaire or campaign of one organisation with the same
# title (and start) is refused as a double click.
_numbers = count(1)


def make_questionnaire(org):
    return questionnaire_create(
        actor=None,
        organization=org,
        title=f"Анкета {next(_numbers)}",
        kind="custom",
        audience="any",
    )


def make_campaign(org):
    """A campaign owned by `org` (a region cannot run one; the row is written directly)."""
    with tenant_scope(org):
        return Campaign.objects.create(
            organization=org,
            title=f"Мониторинг {next(_numbers)}",
            starts_on=date(2026, 11, 1),
            ends_on=date(2099, 11, 30),
        )


def make_school_campaign(org):
    """A school's row of a municipal campaign: of `org` if it is a school, else of a new
    school inside `org` (a municipality or region has no such row of its own)."""
    school = org
    if not org.is_educational:
        muni = org
        if org.kind == OrganizationKind.REGION:
            muni = OrganizationFactory(kind=OrganizationKind.MUNICIPALITY, parent=org)
        school = OrganizationFactory(parent=muni)
    campaign = make_campaign(school.parent)
    with tenant_scope(school):
        return CampaignSchool.objects.create(organization=school, campaign=campaign)
