"""Double clicks on roadmaps: two real requests at once on PostgreSQL (issue 11, item 3).

Before: two «new draft» requests gave two version-2 roadmaps (both approvable), two
approvals with different order numbers both succeeded, two cascades at once ended in a
500 from the unique constraint on school copies. Now the roadmap's row is locked by
each, the database holds the invariants, and a loser gets a Russian message (409 in the
API), never a 500.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, Roadmap, RoadmapStatus
from roadmaps.services import authoring
from tests.concurrency import codes, posts_at_once
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def api(org, path: str) -> str:
    return f"/api/v1/o/{org.slug}/{path}"


def approved(cast, title: str) -> Roadmap:
    roadmap = make_roadmap(cast.muni, actor=cast.methodist, title=title)
    with tenant_scope(cast.muni):
        authoring.roadmap_approve(
            actor=cast.department, roadmap=roadmap, order_number="1", order_date=date(2026, 8, 1)
        )
    return roadmap


def test_two_new_draft_clicks_make_one_version_2(cast):
    for round_ in range(ROUNDS):
        roadmap = approved(cast, f"План {round_}")
        web = reverse("roadmaps:roadmap_new_draft", args=[cast.muni.slug, roadmap.pk])
        responses = posts_at_once(cast.methodist, web, {}, {})
        assert codes(responses) == [302, 302]
        with tenant_scope(cast.muni):
            drafts = list(Roadmap.objects.filter(previous_version=roadmap))
        assert [(d.version, d.status) for d in drafts] == [(2, RoadmapStatus.DRAFT)]
        # Both clicks land on the same draft.
        assert {r["Location"] for r in responses} == {
            reverse("roadmaps:roadmap_detail", args=[cast.muni.slug, drafts[0].pk])
        }

    roadmap = approved(cast, "План через API")
    path = api(cast.muni, f"roadmaps/{roadmap.pk}/new-draft/")
    responses = posts_at_once(cast.methodist, path, {}, {}, api=True)
    assert codes(responses) == [200, 200]
    assert len({r.json()["id"] for r in responses}) == 1


def test_two_approvals_with_different_order_numbers_one_wins_the_other_gets_409(cast):
    for round_ in range(ROUNDS):
        roadmap = make_roadmap(cast.muni, actor=cast.methodist, title=f"План {round_}")
        path = api(cast.muni, f"roadmaps/{roadmap.pk}/approve/")
        first = {"order_number": f"{round_}-А", "order_date": "2026-08-20"}
        second = {"order_number": f"{round_}-Б", "order_date": "2026-08-21"}
        responses = posts_at_once(cast.department, path, first, second, api=True)

        assert codes(responses) == [200, 409]
        with tenant_scope(cast.muni):
            roadmap.refresh_from_db()
        (won,) = [r for r in responses if r.status_code == 200]
        (lost,) = [r for r in responses if r.status_code == 409]
        assert roadmap.order_number == won.json()["order_number"]
        assert lost.json() == {
            "non_field_errors": [
                f"Дорожная карта уже утверждена приказом № {roadmap.order_number} "
                f"от {roadmap.order_date:%d.%m.%Y}."
            ]
        }


def test_two_approvals_on_the_web_show_the_loser_a_message(cast):
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    web = reverse("roadmaps:roadmap_approve", args=[cast.muni.slug, roadmap.pk])
    responses = posts_at_once(
        cast.department,
        web,
        {"order_number": "7", "order_date": "2026-08-20"},
        {"order_number": "8", "order_date": "2026-08-20"},
    )
    assert codes(responses) == [302, 302]
    with tenant_scope(cast.muni):
        roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED and roadmap.order_number in {"7", "8"}


def test_two_cascades_at_once_copy_each_duty_once(cast):
    for round_ in range(ROUNDS):
        roadmap = make_roadmap(cast.muni, actor=cast.methodist, title=f"План {round_}")
        web = reverse("roadmaps:roadmap_cascade", args=[cast.muni.slug, roadmap.pk])
        responses = posts_at_once(cast.methodist, web, {}, {})

        assert codes(responses) == [302, 302]
        with unscoped_reads():
            duties = Activity.objects.filter(roadmap=roadmap, for_every_school=True).count()
            copies = Activity.objects.filter(roadmap__origin=roadmap)
            school_roadmaps = Roadmap.objects.filter(origin=roadmap).count()
            per_school = sorted(copies.values_list("organization_id", flat=True))
        assert duties and school_roadmaps == 2
        assert per_school == sorted([cast.school.pk] * duties + [cast.school2.pk] * duties)
