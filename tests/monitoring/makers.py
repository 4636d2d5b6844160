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


def make_practice(org, *, status=None, files=1, year=2025, title=None):
    """A school's practice (a draft unless `status`), with `files` materials attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.models import Practice
    from monitoring.services.practices import practice_create
    from registry.catalog import ensure_standard_forms
    from registry.models import MentoringForm
    from tests.factories import MINIMAL_PDF

    ensure_standard_forms(MentoringForm)
    form = MentoringForm.objects.order_by("ordering", "pk").first()
    with tenant_scope(org):
        practice = practice_create(
            actor=None,
            organization=org,
            title=title or f"Практика {next(_numbers)}",
            form=form.pk,
            category="young_teachers",
            description="Молодой учитель ведёт урок вместе с наставником раз в неделю.",
            results="Все молодые педагоги прошли аттестацию.",
            year=year,
            files=[SimpleUploadedFile(f"материал-{n}.pdf", MINIMAL_PDF) for n in range(files)],
        )
        if status is not None:
            Practice.objects.filter(pk=practice.pk).update(status=status)
            practice.refresh_from_db()
    return practice


def practice_file_of(org) -> int:
    """The material of the organisation's latest practice (made just before by
    `make_practice`), so that a route naming both finds them together."""
    from monitoring.models import PracticeFile

    with tenant_scope(org):
        return PracticeFile.objects.latest("pk").pk
