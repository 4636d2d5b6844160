"""A school added to a municipality joins the campaigns still running there."""

from datetime import timedelta

from django.utils import timezone

from mentorship.models import AuditEntry, OrganizationKind, Role
from mentorship.services import membership_grant, organization_create
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import CampaignSchool
from monitoring.services.campaigns import campaign_close, campaigns_join_new_school
from tests.factories import UserFactory
from tests.monitoring.conftest import start_campaign


def _new_school(cast, capture, *, parent=None, slug="new-school"):
    with capture(execute=True):
        parent = parent or cast.muni
        return organization_create(
            # Each municipality's own methodist adds its schools (the organisations rule).
            actor=cast.other_methodist if parent == cast.other_muni else cast.methodist,
            kind=OrganizationKind.SCHOOL,
            full_name="МБОУ «Новая школа»",
            short_name="Новая школа",
            slug=slug,
            parent=parent,
        )


def _campaign_ids(school) -> set[int]:
    with tenant_scope(school):
        return set(CampaignSchool.objects.values_list("campaign_id", flat=True))


def test_a_new_school_joins_running_campaigns_only(
    cast, client, django_capture_on_commit_callbacks
):
    running = start_campaign(cast, title="Идёт")
    ended = start_campaign(cast, title="Прошла", days_left=-1)
    closed = start_campaign(cast, title="Закрыта")
    with tenant_scope(cast.muni):
        campaign_close(actor=cast.methodist, campaign=closed)
    assert ended.has_ended()

    school = _new_school(cast, django_capture_on_commit_callbacks)

    assert _campaign_ids(school) == {running.pk}
    assert AuditEntry.objects.filter(
        action="campaign.join", organization=school, object_id=str(running.pk)
    ).exists()
    # Its curator can open the campaign's page and invite the school's pairs.
    curator = UserFactory(email="curator@new.test")
    membership_grant(actor=None, user=curator, organization=school, role=Role.CURATOR)
    with tenant_scope(school):
        row = CampaignSchool.objects.get(campaign=running)
    client.force_login(curator)
    page = client.get(f"/o/{school.slug}/monitoring/school/{row.pk}/")
    assert page.status_code == 200 and "Идёт" in page.content.decode()


def test_joining_twice_adds_nothing(cast, django_capture_on_commit_callbacks):
    start_campaign(cast)
    school = _new_school(cast, django_capture_on_commit_callbacks)
    assert campaigns_join_new_school(school) == []
    with tenant_scope(school):
        assert CampaignSchool.objects.count() == 1


def test_a_school_of_another_municipality_does_not_join(cast, django_capture_on_commit_callbacks):
    start_campaign(cast)
    school = _new_school(cast, django_capture_on_commit_callbacks, parent=cast.other_muni)
    assert _campaign_ids(school) == set()


def test_a_campaign_that_has_not_started_yet_is_joined_too(
    cast, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    upcoming = start_campaign(cast, title="Май")
    upcoming.starts_on, upcoming.ends_on = today + timedelta(days=30), today + timedelta(days=60)
    with tenant_scope(cast.muni):
        upcoming.save()
    school = _new_school(cast, django_capture_on_commit_callbacks)
    assert _campaign_ids(school) == {upcoming.pk}
