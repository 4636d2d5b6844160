"""The core's API: staff (members, invitations) and organisations, with the same rules
and services as the pages; every route in the OpenAPI schema."""

import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mentorship.models import Invitation, Membership, Organization, Role
from tests.factories import MembershipFactory, UserFactory, make_invitation
from tests.mentorship.test_bulk_start import GOOD_ROWS, INN, workbook

VALID_INN = "1650000049"


@pytest.fixture
def api():
    return APIClient()


def url(org, path=""):
    return f"/api/v1/o/{org.slug}/{path}"


def test_members_and_invitations_are_listed(api, cast):
    make_invitation(cast.school, role=Role.SCHOOL_VIEWER, email="deputy@a1.test")
    api.force_login(cast.viewer)
    members = api.get(url(cast.school, "staff/members/")).json()["results"]
    assert {(m["user"]["email"], m["role"]) for m in members} == {
        ("curator@a1.test", "curator"),
        ("viewer@a1.test", "school_viewer"),
    }
    assert "last_login" in members[0]["user"]
    invitations = api.get(url(cast.school, "staff/invitations/")).json()["results"]
    assert [(i["email"], i["state"]) for i in invitations] == [("deputy@a1.test", "pending")]


def test_invite_resend_revoke(api, cast, django_capture_on_commit_callbacks):
    api.force_login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            url(cast.school, "staff/invitations/"),
            {"email": "api@a1.test", "role": "curator", "first_name": "Алла"},
            format="json",
        )
    assert created.status_code == 201, created.json()
    assert created.json()["role"] == "curator" and mail.outbox[-1].to == ["api@a1.test"]
    pk = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(url(cast.school, f"staff/invitations/{pk}/resend/")).status_code == 200
    assert len(mail.outbox) == 2
    revoked = api.post(url(cast.school, f"staff/invitations/{pk}/revoke/"))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = api.post(url(cast.school, f"staff/invitations/{pk}/revoke/"))
    assert again.status_code == 404  # only open invitations are found


def test_the_grant_rule_answers_400_in_russian(api, cast):
    api.force_login(cast.curator)
    response = api.post(
        url(cast.school, "staff/invitations/"), {"email": "x@a1.test", "role": "curator"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "role": ["Вы не можете назначать роль «Куратор» в организации «Школа А1»."]
    }
    mine = api.post(
        url(cast.school, "staff/invitations/"),
        {"email": "curator@a1.test", "role": "school_viewer"},
    )
    assert mine.status_code == 400 and "Свои роли" in str(mine.json())
    assert not Invitation.objects.exists()


def test_change_role_and_end_membership(api, cast):
    viewer = Membership.objects.get(user=cast.viewer)
    api.force_login(cast.methodist)
    changed = api.patch(
        url(cast.school, f"staff/members/{viewer.pk}/"), {"role": "curator"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["role"] == "curator"
    assert api.delete(url(cast.school, f"staff/members/{viewer.pk}/")).status_code == 204
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    own = Membership.objects.get(user=cast.methodist)
    refused = api.delete(url(cast.muni, f"staff/members/{own.pk}/"))
    assert refused.status_code == 403  # the municipality's staff are the region's to manage


def test_invitations_are_throttled_with_429(api, cast, settings):
    settings.INVITATIONS_PER_HOUR = 1
    api.force_login(cast.curator)
    for n, code in enumerate([201, 429]):
        response = api.post(
            url(cast.school, "staff/invitations/"),
            {"email": f"t{n}@a1.test", "role": "school_viewer"},
        )
        assert response.status_code == code
    assert "Слишком много приглашений" in response.json()["detail"]


def test_the_members_list_costs_the_same_queries_whatever_the_rows(api, cast):
    api.force_login(cast.curator)
    with CaptureQueriesContext(connection) as few:
        api.get(url(cast.school, "staff/members/"))
    for _ in range(10):
        MembershipFactory(user=UserFactory(), organization=cast.school, role=Role.SCHOOL_VIEWER)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url(cast.school, "staff/members/")).json()["count"] == 12
    assert len(many) == len(few)


def test_organisations_one_level_down(api, cast):
    api.force_login(cast.methodist)
    listed = api.get(url(cast.muni, "organizations/")).json()["results"]
    assert [o["slug"] for o in listed] == ["school-a1", "school-a2"]
    bad = api.post(
        url(cast.muni, "organizations/"), {"full_name": "Школа", "inn": "1650000040"}, format="json"
    )
    assert bad.status_code == 400 and "Контрольные цифры" in str(bad.json())
    created = api.post(
        url(cast.muni, "organizations/"),
        {"full_name": "МБОУ «Школа №5»", "short_name": "Школа №5", "inn": VALID_INN},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "school" and created.json()["parent"] == "muni"
    pk = created.json()["id"]
    patched = api.patch(url(cast.muni, f"organizations/{pk}/"), {"head_name": "Ким О.В."})
    assert patched.json()["head_name"] == "Ким О.В."
    closed = api.post(url(cast.muni, f"organizations/{pk}/close/"))
    assert closed.json()["closed_at"] is not None
    assert [
        o["slug"] for o in api.get(url(cast.muni, "organizations/?closed=1")).json()["results"]
    ] == [created.json()["slug"]]
    assert api.post(url(cast.muni, f"organizations/{pk}/reopen/")).json()["closed_at"] is None
    assert api.get(url(cast.muni, f"organizations/{cast.other_school.pk}/")).status_code == 404

    api.force_login(cast.regional)
    muni = api.post(url(cast.region, "organizations/"), {"full_name": "Район Г"}, format="json")
    assert muni.status_code == 201 and muni.json()["kind"] == "municipality"


def test_bulk_start_check_then_apply(api, cast, django_capture_on_commit_callbacks):
    api.force_login(cast.methodist)

    def post(confirm):
        file = io.BytesIO(workbook(GOOD_ROWS))
        file.name = "list.xlsx"
        return api.post(
            url(cast.muni, "organizations/bulk-start/"),
            {"file": file, "confirm": confirm},
            format="multipart",
        )

    checked = post(False)
    assert checked.status_code == 200
    body = checked.json()
    assert (body["applied"], body["created"], body["invited"]) == (False, 3, 3)
    assert [r["errors"] for r in body["rows"]] == [[], [], []]
    assert not Organization.objects.filter(inn__in=INN).exists()
    with django_capture_on_commit_callbacks(execute=True):
        applied = post(True)
    assert applied.json()["applied"] is True and len(mail.outbox) == 3
    again = post(True)  # now each school is matched and each curator already invited
    assert again.status_code == 200 and (again.json()["created"], again.json()["matched"]) == (0, 3)
    broken = api.post(
        url(cast.muni, "organizations/bulk-start/"),
        {"file": io.BytesIO(b"PK\x03\x04broken"), "confirm": True},
        format="multipart",
    )
    assert broken.status_code == 400 and "повреждён" in str(broken.json())


def test_who_may_call_what(api, cast):
    expectations = [
        (cast.department, cast.muni, "organizations/", 403),
        (cast.methodist, cast.school, "organizations/", 404),
        (cast.regional, cast.region, "organizations/bulk-start/", 404),
        (cast.regional, cast.school, "staff/members/", 403),
        (cast.curator, cast.school2, "staff/members/", 404),
    ]
    for user, org, path, code in expectations:
        api.force_login(user)
        method = api.post if "bulk" in path else api.get
        assert method(url(org, path)).status_code == code, (user, org, path)


def test_every_endpoint_is_in_the_openapi_schema(client, cast):
    client.force_login(cast.curator)
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    prefix = "/api/v1/o/{org_slug}/"
    expected = {
        "staff/members/": {"get"},
        "staff/members/{membership_id}/": {"get", "patch", "delete"},
        "staff/invitations/": {"get", "post"},
        "staff/invitations/{invitation_id}/": {"get"},
        "staff/invitations/{invitation_id}/resend/": {"post"},
        "staff/invitations/{invitation_id}/revoke/": {"post"},
        "organizations/": {"get", "post"},
        "organizations/bulk-start/": {"post"},
        "organizations/{organization_id}/": {"get", "patch"},
        "organizations/{organization_id}/close/": {"post"},
        "organizations/{organization_id}/reopen/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[prefix + path]) == methods, path
    bulk = paths[prefix + "organizations/bulk-start/"]["post"]
    assert "multipart/form-data" in bulk["requestBody"]["content"]
    assert "Методист" in bulk["description"]
