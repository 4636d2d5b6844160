"""Tenancy fails closed: scoping, resolution, access helpers."""

import pytest
from django.urls import reverse
from django_scopes.exceptions import ScopeError

from mentorship.models import Role
from mentorship.tenancy.resolution import organizations_of, roles_in
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from registry.models import Programme
from tests.factories import ProgrammeFactory


def test_tenant_model_refuses_unscoped_query(cast):
    ProgrammeFactory(organization=cast.school)
    with pytest.raises(ScopeError):
        list(Programme.objects.all())
    with pytest.raises(ScopeError):
        Programme.objects.filter(name__icontains="x").count()


def test_scope_shows_only_own_rows(cast):
    mine = ProgrammeFactory(organization=cast.school)
    ProgrammeFactory(organization=cast.school2)
    with tenant_scope(cast.school):
        assert list(Programme.objects.all()) == [mine]
    with unscoped_reads():
        assert Programme.objects.count() == 2


def test_scope_refuses_a_missing_organisation(cast):
    # django-scopes would treat None as "no filter at all".
    with pytest.raises(ValueError), tenant_scope(None):
        pass


def test_membership_covers_subtree_only(cast):
    assert roles_in(cast.methodist, cast.school) == {Role.METHODIST}
    assert roles_in(cast.methodist, cast.muni) == {Role.METHODIST}
    assert roles_in(cast.methodist, cast.other_school) == frozenset()
    assert roles_in(cast.methodist, cast.region) == frozenset()
    assert roles_in(cast.curator, cast.school2) == frozenset()
    assert roles_in(cast.regional, cast.other_school) == {Role.REGIONAL}


def test_switcher_lists_only_own_organisations(cast):
    assert [o.slug for o in organizations_of(cast.methodist)] == ["muni", "school-a1", "school-a2"]
    assert [o.slug for o in organizations_of(cast.curator)] == ["school-a1"]


def test_foreign_organisation_is_404_and_own_is_200(client, cast):
    client.force_login(cast.curator)
    assert client.get(reverse("org_home", args=["school-a1"])).status_code == 200
    assert client.get(reverse("org_home", args=["school-a2"])).status_code == 404
    assert client.get(reverse("org_home", args=["no-such-org"])).status_code == 404


def test_foreign_object_in_own_organisation_url_is_404(client, cast):
    foreign = ProgrammeFactory(organization=cast.school2)
    client.force_login(cast.curator)
    url = reverse("registry:programme_detail", args=["school-a1", foreign.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_wrong_role_is_403_in_russian(client, cast):
    client.force_login(cast.viewer)
    response = client.get(reverse("audit_log", args=["school-a1"]))
    assert response.status_code == 403
    assert "нет доступа" in response.content.decode()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("org_home", args=["school-a1"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_methodist_home_lists_the_schools_of_the_municipality(client, cast):
    client.force_login(cast.methodist)
    response = client.get(reverse("org_home", args=["muni"]))
    body = response.content.decode()
    assert "Школа А1" in body and "Школа А2" in body
    assert "Школа Б1" not in body


def test_home_redirects_each_role_to_its_organisation(client, cast):
    for user, slug in [
        (cast.curator, "school-a1"),
        (cast.methodist, "muni"),
        (cast.department, "muni"),
        (cast.regional, "region"),
    ]:
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response["Location"] == reverse("org_home", args=[slug])


def test_methodist_cannot_read_a_schools_audit_log(client, cast):
    client.force_login(cast.methodist)
    assert client.get(reverse("audit_log", args=["school-a1"])).status_code == 403
    assert client.get(reverse("audit_log", args=["muni"])).status_code == 200


def test_municipal_home_query_count_does_not_grow_with_schools(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory, OrganizationFactory

    client.force_login(cast.methodist)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("org_home", args=["muni"])).status_code == 200
        return len(queries)

    before = count()
    for i in range(20):
        school = OrganizationFactory(parent=cast.muni, slug=f"extra-{i}")
        MembershipFactory(organization=school, role="curator")
    assert count() == before
