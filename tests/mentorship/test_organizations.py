"""Organisations in the browser: add, edit, close, reopen; the INN's check digits; closed
organisations leave lists and switchers but keep their pages and rows."""

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship.home import row_grouping, table_rows
from mentorship.models import AuditEntry, Organization, OrganizationKind, Role
from mentorship.selectors.home import unscoped_curator_column
from mentorship.services import (
    organization_close,
    organization_create,
    organization_reopen,
    organization_update,
)
from mentorship.services.slugs import unique_slug
from mentorship.tenancy.resolution import TenantContext, organizations_of
from tests.factories import make_invitation

VALID_INN = "1650000049"


def _school(cast, **fields):
    data = {
        "kind": OrganizationKind.SCHOOL,
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Школа №7»",
        "short_name": "МБОУ «Школа №7»",
        "parent": cast.muni,
        **fields,
    }
    return organization_create(actor=cast.methodist, **data)


def test_the_inn_is_checked_with_its_check_digits(cast):
    with pytest.raises(ValidationError, match="Контрольные цифры ИНН"):
        _school(cast, inn="1650000040")
    with pytest.raises(ValidationError, match="10 или 12 цифр"):
        _school(cast, inn="16500")
    school = _school(cast, inn=VALID_INN, address="ул. Школьная, 7")
    assert school.inn == VALID_INN and school.address == "ул. Школьная, 7"
    with pytest.raises(ValidationError, match="ИНН уже есть"):
        _school(cast, inn=VALID_INN, short_name="Другая")


def test_an_address_in_the_portal_is_made_from_the_name(cast):
    assert unique_slug("МБОУ «СШ №40»") == "mbou-ssh-40"
    first = _school(cast)
    second = _school(cast)
    assert first.slug == "mbou-shkola-7" and second.slug == "mbou-shkola-7-2"


def test_only_the_manager_one_level_up_adds_and_edits(cast):
    with pytest.raises(PermissionDenied):
        organization_create(
            actor=cast.curator,
            kind=OrganizationKind.SCHOOL,
            full_name="Школа",
            short_name="Школа",
            parent=cast.muni,
        )
    with pytest.raises(PermissionDenied):
        organization_update(actor=cast.other_methodist, organization=cast.school, full_name="Ч")
    with pytest.raises(PermissionDenied):
        organization_update(actor=cast.methodist, organization=cast.muni, full_name="Ч")
    with pytest.raises(PermissionDenied):
        organization_close(actor=cast.department, organization=cast.school)
    muni = organization_create(
        actor=cast.regional,
        kind=OrganizationKind.MUNICIPALITY,
        full_name="Управление образования района В",
        short_name="Район В",
        parent=cast.region,
    )
    assert muni.parent == cast.region
    organization_update(
        actor=cast.methodist,
        organization=cast.school,
        head_name="Гарипова Л.М.",
        head_position="Директор",
        kind=OrganizationKind.COLLEGE,
    )
    cast.school.refresh_from_db()
    assert (cast.school.head_name, cast.school.kind) == ("Гарипова Л.М.", "college")
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.details == {"fields": ["head_name", "head_position", "kind"]}


def test_a_closed_school_leaves_lists_and_switchers_but_keeps_its_page(client, cast):
    invitation = make_invitation(cast.school, role=Role.CURATOR, email="late@a1.test")
    organization_close(actor=cast.methodist, organization=cast.school)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert cast.school not in table_rows(cast.muni)
    assert cast.school not in organizations_of(cast.methodist)
    assert cast.school not in organizations_of(cast.curator)
    client.force_login(cast.methodist)
    home = client.get("/o/muni/").content.decode()
    assert "Школа А1" not in home.split('data-testid="schools"')[1]
    assert client.get("/o/school-a1/").status_code == 200
    page = lxml.html.fromstring(client.get("/o/muni/organizations/").content.decode())
    assert [r.get("data-slug") for r in page.xpath('//tr[@data-testid="organization"]')] == [
        "school-a2"
    ]
    assert "Школа А1" in page.xpath('//details[@data-testid="closed"]')[0].text_content()
    organization_reopen(actor=cast.methodist, organization=cast.school)
    assert cast.school in table_rows(cast.muni)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"organization.close", "organization.reopen"} <= actions


def test_a_municipality_closes_after_its_schools(cast):
    with pytest.raises(ValidationError, match="Сначала закройте"):
        organization_close(actor=cast.regional, organization=cast.other_muni)
    organization_close(actor=cast.methodist, organization=cast.school)
    organization_close(actor=cast.methodist, organization=cast.school2)
    organization_close(actor=cast.regional, organization=cast.muni)
    assert cast.muni not in table_rows(cast.region)
    with pytest.raises(ValidationError):
        organization_reopen(actor=cast.methodist, organization=cast.school)
    with pytest.raises(ValidationError, match="закрыта"):
        _school(cast)


def test_the_region_counts_open_schools_only(cast):
    organization_close(actor=cast.methodist, organization=cast.school)
    column = unscoped_curator_column(row_grouping(TenantContext(cast.region, frozenset())))
    counts = {m.slug: column.cell(m.pk).display for m in table_rows(cast.region)}
    assert counts == {"muni": "1 из 1", "muni-b": "1 из 1"}


# --- Pages --------------------------------------------------------------------------------


def test_the_methodist_adds_a_school_in_the_browser(client, cast):
    client.force_login(cast.methodist)
    form = client.get("/o/muni/organizations/new/")
    assert form.status_code == 200 and "Контрольные цифры" not in form.content.decode()
    bad = client.post(
        "/o/muni/organizations/new/",
        {"kind": "school", "full_name": "Школа №9", "inn": "1650000040"},
    )
    assert bad.status_code == 400 and "Контрольные цифры ИНН" in bad.content.decode()
    done = client.post(
        "/o/muni/organizations/new/",
        {
            "kind": "school",
            "full_name": "МБОУ «Средняя школа №9»",
            "short_name": "СШ №9",
            "inn": VALID_INN,
            "address": "пр. Мира, 9",
            "head_name": "Иванова А.С.",
            "head_position": "Директор",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/o/muni/organizations/"
    school = Organization.objects.get(inn=VALID_INN)
    assert (school.parent, school.slug, school.head_name) == (cast.muni, "ssh-9", "Иванова А.С.")


def test_the_region_adds_a_municipality_and_is_sent_to_invite_its_staff(client, cast):
    client.force_login(cast.regional)
    page = client.get("/o/region/organizations/new/").content.decode()
    assert 'name="kind"' not in page
    response = client.post(
        "/o/region/organizations/new/",
        {"full_name": "Управление образования Елабужского района", "short_name": "Елабуга"},
    )
    assert response.status_code == 302 and response["Location"] == "/o/elabuga/staff/"
    staff = client.get("/o/elabuga/staff/").content.decode()
    assert 'value="methodist"' in staff and 'value="department"' in staff


def test_edit_and_close_in_the_browser(client, cast):
    client.force_login(cast.methodist)
    url = f"/o/muni/organizations/{cast.school.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "school",
            "full_name": cast.school.full_name,
            "short_name": "Школа А1 (новое имя)",
            "head_name": "Петров П.П.",
        },
    )
    assert response.status_code == 302
    cast.school.refresh_from_db()
    assert cast.school.short_name == "Школа А1 (новое имя)"
    client.post(f"/o/muni/organizations/{cast.school.pk}/close/")
    cast.school.refresh_from_db()
    assert cast.school.is_closed
    client.post(f"/o/muni/organizations/{cast.school.pk}/reopen/")
    cast.school.refresh_from_db()
    assert not cast.school.is_closed
    # Another municipality's school is not found from here; nor the municipality itself.
    assert client.get(f"/o/muni/organizations/{cast.other_school.pk}/edit/").status_code == 404
    assert client.post(f"/o/muni/organizations/{cast.muni.pk}/close/").status_code == 404


def test_who_reaches_the_organisations_pages(client, cast):
    expected = {
        ("methodist", "muni"): 200,
        ("department", "muni"): 403,
        ("regional", "muni"): 403,
        ("regional", "region"): 200,
        ("curator", "school-a1"): 404,
        ("methodist", "school-a1"): 404,
    }
    for (role, slug), code in expected.items():
        client.force_login(cast.users_by_role()[role])
        assert client.get(f"/o/{slug}/organizations/").status_code == code, (role, slug)
