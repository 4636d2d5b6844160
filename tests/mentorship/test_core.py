"""Organisation tree rules, audit entries, health, demo data, the sections bar."""

import json

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from mentorship.models import AuditEntry, Membership, Organization, OrganizationKind, User
from mentorship.services import membership_grant, membership_revoke, organization_create
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import Programme


def test_tree_refuses_a_school_directly_under_a_region(cast):
    with pytest.raises(ValidationError, match="должна входить"):
        organization_create(
            actor=None,
            kind=OrganizationKind.SCHOOL,
            full_name="Школа",
            short_name="Школа",
            slug="bad-school",
            parent=cast.region,
        )


def test_inn_is_validated(cast):
    with pytest.raises(ValidationError, match="ИНН"):
        organization_create(
            actor=cast.methodist,
            kind=OrganizationKind.SCHOOL,
            full_name="Школа",
            short_name="Школа",
            slug="inn-school",
            parent=cast.muni,
            inn="12ab",
        )


def test_roles_belong_to_their_level(cast):
    with pytest.raises(ValidationError):
        membership_grant(actor=None, user=cast.curator, organization=cast.muni, role="curator")
    with pytest.raises(ValidationError):
        membership_grant(
            actor=None, user=cast.methodist, organization=cast.school, role="methodist"
        )


def test_membership_changes_are_audited(cast):
    membership = membership_grant(
        actor=cast.methodist, user=cast.curator2, organization=cast.school, role="school_viewer"
    )
    entry = AuditEntry.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert entry.actor == cast.methodist
    assert entry.organization == cast.school
    assert entry.details == {"user": "curator@a2.test", "role": "school_viewer"}
    membership_revoke(actor=cast.methodist, membership=membership)
    assert AuditEntry.objects.filter(action="membership.revoke").count() == 1
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_audit_log_page_shows_only_own_organisation(client, cast):
    membership_grant(
        actor=cast.methodist, user=cast.curator2, organization=cast.school, role="school_viewer"
    )
    membership_grant(
        actor=cast.methodist, user=cast.curator, organization=cast.school2, role="school_viewer"
    )
    client.force_login(cast.curator)
    doc = lxml.html.fromstring(client.get("/o/school-a1/audit/").content.decode())
    actions = doc.xpath('//td[@data-testid="audit-action"]')
    assert [(td.get("title"), td.text_content().strip()) for td in actions] == [
        ("membership.grant", "Назначение роли")
    ]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    data = json.loads(response.content)
    assert data["database"] == "ok"
    assert data["broker"] in ("ok", "eager")
    assert response.status_code == 200


def test_healthz_reports_a_dead_broker(client, db):
    from mentorship.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        response = client.get("/healthz")
    finally:
        app.conf.update(task_always_eager=saved[0], broker_url=saved[1])
    assert response.status_code == 503
    assert json.loads(response.content)["broker"].startswith("error")


def test_load_demo_builds_the_region_and_is_idempotent(db):
    call_command("load_demo")
    counts = (Organization.objects.count(), User.objects.count(), Membership.objects.count())
    with unscoped_reads():
        programmes = Programme.objects.filter(organization__slug="school-40").count()
    call_command("load_demo")
    assert counts == (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    chelny = Organization.objects.get(slug="chelny")
    assert chelny.children.count() >= 3
    assert programmes == 4
    with unscoped_reads():
        assert Programme.objects.filter(organization__slug="school-40").count() == 4
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"curator", "school_viewer", "methodist", "department", "regional"}
    assert User.objects.get(email="methodist@demo.ru").check_password("demo12345")


def _section_links(html: str) -> list[tuple[str, bool]]:
    """(label, is current) of each link on the sections bar, in order: the daily ones,
    then those under «Ещё» (its toggle is not a link to a page)."""
    tree = lxml.html.fromstring(html)
    return [
        (link.text_content().strip(), link.get("aria-current") == "page")
        for link in tree.xpath(
            "//nav[contains(@class, 'section-nav')]//a[(contains(@class, 'nav-link') or "
            "contains(@class, 'dropdown-item')) and not(contains(@class, 'dropdown-toggle'))]"
        )
    ]


def test_occasional_sections_sit_under_more_and_it_shows_where_you_are(client, cast):
    client.force_login(cast.curator)
    html = client.get(f"/o/{cast.school.slug}/audit/").content.decode()
    tree = lxml.html.fromstring(html)
    more = tree.xpath("//nav[contains(@class, 'section-nav')]//li[@data-testid='nav-more']")[0]
    toggle = more.xpath(".//a[contains(@class, 'dropdown-toggle')]")[0]
    assert toggle.text_content().strip() == "Ещё" and "active" in toggle.get("class")
    inside = [a.text_content().strip() for a in more.xpath(".//a[@class!='']")][1:]
    assert "Журнал действий" in inside and "Пары и группы" not in inside


def test_the_sections_bar_lists_the_roles_sections_and_marks_the_current_one(client, cast):
    client.force_login(cast.curator)
    html = client.get(f"/o/{cast.school.slug}/pairs/").content.decode()
    links = _section_links(html)
    labels = [label for label, _ in links]
    assert labels[:2] == ["Главная", "Дорожные карты"]
    assert {"Реестр", "Пары и группы", "Мониторинг", "Журнал действий"} <= set(labels)
    assert [label for label, current in links if current] == ["Пары и группы"]

    client.force_login(cast.methodist)
    labels = [
        label for label, _ in _section_links(client.get(f"/o/{cast.muni.slug}/").content.decode())
    ]
    assert "База наставников" in labels and "Реестр" not in labels


def test_pages_outside_an_organisation_have_no_sections_bar(client, cast):
    client.force_login(cast.curator)
    html = client.get("/notifications/").content.decode()
    assert _section_links(html) == [] and "section-nav" not in html
