"""The task base: an organisation id in, the organisation's scope around the body."""

import pytest
from django_scopes.exceptions import ScopeError

from mentorship.models import Organization
from mentorship.tasks import organization_scope, tenant_task
from registry.models import Participant
from tests.factories import make_participant


@tenant_task(name="tests.visible_participants", bind=True, acks_late=True)
def visible_participants(self, organization: Organization, suffix: str) -> list[str]:
    assert isinstance(organization, Organization)
    names = [p.last_name + suffix for p in Participant.objects.order_by("last_name")]
    return [organization.slug, self.request.retries, *names]


def test_the_body_runs_in_the_organisation_scope_and_sees_only_its_rows(cast):
    make_participant(cast.school, last_name="Своя")
    make_participant(cast.other_school, last_name="Чужая")

    result = visible_participants.delay(cast.school.pk, "!").get()

    assert result == ["school-a1", 0, "Своя!"]
    # Called directly too, as tests and commands do.
    assert visible_participants(cast.school.pk, "?") == ["school-a1", 0, "Своя?"]


def test_options_reach_celery_and_the_scope_closes_after_the_task(cast):
    assert visible_participants.acks_late is True
    visible_participants.delay(cast.school.pk, "")
    with pytest.raises(ScopeError):
        list(Participant.objects.all())


def test_organization_scope_for_scans_over_many_organisations(cast):
    make_participant(cast.other_school, last_name="Чужая")
    with organization_scope(cast.other_school.pk) as organization:
        assert organization == cast.other_school
        assert [p.last_name for p in Participant.objects.all()] == ["Чужая"]


def test_a_missing_organisation_fails_loudly(db):
    with pytest.raises(Organization.DoesNotExist):
        visible_participants.delay(987654, "")
