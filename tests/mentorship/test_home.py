"""Home pages take what the apps add through registered providers (mentorship.home)."""

import lxml.html
from django.db.models import F

from mentorship.home import home_context, register_home_context
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import MUNICIPALITY
from mentorship.tenancy.scoping import tenant_scope
from tests.factories import make_roadmap


def test_the_school_home_shows_the_nearest_duties_from_the_roadmaps_app(client, cast):
    roadmap = make_roadmap(cast.school)
    client.force_login(cast.curator)

    page = lxml.html.fromstring(client.get(f"/o/{cast.school.slug}/").content)

    items = page.xpath('//*[@data-testid="upcoming"]//li')
    assert len(items) == 5
    with tenant_scope(cast.school):
        first = roadmap.activities.order_by(F("due_date").asc(nulls_last=True), "position").first()
    assert first.title in items[0].text_content()


def test_providers_run_only_at_their_levels(cast, monkeypatch):
    from mentorship import home

    monkeypatch.setattr(home, "_providers", list(home._providers))
    calls = []

    def municipal(tenant):
        calls.append(tenant.organization.slug)
        return {"extra": 1}

    register_home_context(municipal, levels=(MUNICIPALITY,))
    register_home_context(municipal, levels=(MUNICIPALITY,))  # twice is once

    assert home_context(TenantContext(cast.muni, frozenset()))["extra"] == 1
    assert "extra" not in home_context(TenantContext(cast.region, frozenset()))
    assert calls == ["muni"]
