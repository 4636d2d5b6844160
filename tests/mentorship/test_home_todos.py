"""Home pages that are to-do lists (issue 12, items 4-5): each number links to the list
filtered to exactly what it counts; a school's first steps; the municipality's and the
region's tables with red flags, sorted server-side; the department's approvals and
latest documents; the same figures in the API; fixed query counts at two sizes."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import AuditEntry, Document, OrganizationKind, Role
from mentorship.services.organizations import organization_close
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Pair, PairStatus
from roadmaps.models import Activity, ActivityStatus, Roadmap
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProgrammeFactory,
    UserFactory,
    make_consented,
    make_invitation,
    make_pair,
    make_participant,
    make_roadmap,
)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def _todos(page) -> dict[str, tuple[int, str]]:
    return {
        a.get("data-testid").removeprefix("todo-"): (
            int(a.xpath('.//*[@data-testid="count"]')[0].text_content()),
            a.get("href"),
        )
        for a in page.xpath('//*[@data-testid="todos"]//a[starts-with(@data-testid, "todo-")]')
    }


def _rows(page, testid: str) -> list:
    """The data rows of a list's table (not its «nothing here» row)."""
    return [
        tr
        for tr in page.xpath(f'//table[@data-testid="{testid}"]/tbody/tr')
        if not tr.xpath("./td[@colspan]")
    ]


def _overdue(org, n: int) -> None:
    """`n` activities of the school's roadmap due a year ago and not done."""
    roadmap = make_roadmap(org)
    with tenant_scope(org):
        ids = list(Activity.objects.filter(roadmap=roadmap).values_list("pk", flat=True))
        Activity.objects.filter(roadmap=roadmap).update(
            due_date=timezone.localdate() + timedelta(days=200), status=ActivityStatus.DONE
        )
        Activity.objects.filter(pk__in=ids[:n]).update(
            due_date=timezone.localdate() - timedelta(days=365),
            status=ActivityStatus.NOT_STARTED,
        )


# --- The curator's to-do list ----------------------------------------------------------


def test_each_school_figure_links_to_the_list_filtered_to_exactly_those_rows(client, cast):
    from tests.monitoring.conftest import active_pair, invite, start_campaign

    school = cast.school
    # Two people without consent, one consented mentee without a pair.
    make_participant(school, last_name="Без согласия")
    make_participant(school, last_name="Тоже без согласия", birth_date=date(2011, 5, 5))
    make_consented(school, last_name="Свободная")
    # A proposed pair (its people are consented), a working pair without meetings.
    make_pair(school)
    working = active_pair(school)
    # A pair counts as without meetings from its own start: this one began 40 days ago.
    with tenant_scope(school):
        Pair.objects.filter(pk=working.pk).update(
            starts_on=timezone.localdate() - timedelta(days=40)
        )
    _overdue(school, 3)
    campaign = start_campaign(cast)
    invite(cast, campaign)
    # Another school's rows count nowhere here.
    make_participant(cast.school2, last_name="Чужая")
    make_pair(cast.school2)
    _overdue(cast.school2, 2)

    client.force_login(cast.curator)
    todos = _todos(_page(client, f"/o/{school.slug}/"))

    assert {k: n for k, (n, _url) in todos.items()} == {
        "people_without_consent": 2,
        "mentees_without_pair": 1,
        "pairs_waiting_for_order": 1,
        "pairs_without_meetings": 1,
        "overdue_activities": 3,
        "running_campaigns": 1,
    }
    lists = {
        "people_without_consent": "consent-queue",
        "mentees_without_pair": "registry",
        "pairs_waiting_for_order": "pairs",
        "pairs_without_meetings": "pairs",
        "overdue_activities": "school-activities",
        "running_campaigns": "campaigns",
    }
    for key, testid in lists.items():
        count, url = todos[key]
        assert len(_rows(_page(client, url), testid)) == count, (key, url)
    # The filters are real: the unfiltered lists hold more.
    assert len(_rows(_page(client, f"/o/{school.slug}/pairs/"), "pairs")) == 2
    assert len(_rows(_page(client, f"/o/{school.slug}/registry/"), "registry")) == 7
    # The running campaign's line says the school's response rate.
    page = _page(client, f"/o/{school.slug}/")
    line = page.xpath('//*[@data-testid="todo-running_campaigns"]')[0].text_content()
    assert "ответили 0 %" in line


def test_zero_figures_go_last_and_a_viewer_sees_the_figures_but_no_checklist(client, cast):
    make_participant(cast.school)
    client.force_login(cast.viewer)
    page = _page(client, f"/o/{cast.school.slug}/")
    keys = [a.get("data-testid") for a in page.xpath('//*[@data-testid="todos"]//a')]
    assert keys[0] == "todo-people_without_consent"
    assert not page.xpath('//*[@data-testid="first-steps"]')


def test_a_methodist_at_a_school_sees_its_duties_but_none_of_its_people(client, cast):
    _overdue(cast.school, 1)
    make_participant(cast.school)
    client.force_login(cast.methodist)
    todos = _todos(_page(client, f"/o/{cast.school.slug}/"))
    assert set(todos) == {"overdue_activities"}


# --- First steps ------------------------------------------------------------------------


def _steps(client, school) -> tuple[str, dict[str, str]]:
    page = _page(client, f"/o/{school.slug}/")
    card = page.xpath('//*[@data-testid="first-steps"]')
    if not card:
        return "", {}
    progress = card[0].xpath('.//*[@data-testid="steps-progress"]')[0].text_content().strip()
    steps = {
        li.get("data-testid").removeprefix("step-"): li.get("data-done")
        for li in card[0].xpath('.//li[starts-with(@data-testid, "step-")]')
    }
    return progress, steps


def test_first_steps_count_what_the_school_has_done_and_fold_away_when_done(client, cast):
    school = cast.school2
    client.force_login(cast.curator2)
    progress, steps = _steps(client, school)
    assert progress == "0 из 5"
    assert list(steps) == ["programme", "registry", "consents", "pairs", "order"]

    ProgrammeFactory(organization=school)
    assert _steps(client, school)[0] == "1 из 5"
    make_participant(school, last_name="Первый")
    assert _steps(client, school)[0] == "2 из 5"
    make_consented(school, last_name="Второй")
    assert _steps(client, school)[0] == "3 из 5"
    pair = make_pair(school)
    progress, steps = _steps(client, school)
    assert progress == "4 из 5" and steps["order"] == "0"
    with tenant_scope(school):
        from registry.services.pairs import pairs_approve_by_order

        pairs_approve_by_order(actor=None, pairs=[pair], order=None)
    # All five done: the checklist is gone.
    assert _steps(client, school) == ("", {})


def test_a_rejected_pair_is_not_a_step_done(client, cast):
    school = cast.school2
    pair = make_pair(school)
    with tenant_scope(school):
        Pair.objects.filter(pk=pair.pk).update(status=PairStatus.REJECTED)
    client.force_login(cast.curator2)
    _progress, steps = _steps(client, school)
    assert steps["pairs"] == "0" and steps["consents"] == "1"


def test_every_first_step_link_opens_for_the_curator(client, cast):
    client.force_login(cast.curator2)
    page = _page(client, f"/o/{cast.school2.slug}/")
    links = page.xpath('//*[@data-testid="first-steps"]//a/@href')
    assert len(links) == 5
    assert f"/o/{cast.school2.slug}/programmes/" in links
    for href in links:
        assert client.get(href).status_code == 200, href


# --- The methodist's table --------------------------------------------------------------


def _table(client, url, testid="schools") -> dict[str, dict[str, str]]:
    page = _page(client, url)
    rows = {}
    for tr in page.xpath(f'//table[@data-testid="{testid}"]/tbody/tr[@data-testid="row"]'):
        cells = {
            td.get("data-testid").removeprefix("cell-"): td.text_content().strip()
            for td in tr.xpath("./td[@data-testid]")
        }
        cells["flags"] = " | ".join(
            b.text_content() for b in tr.xpath('.//*[@data-testid="flags"]/span')
        )
        rows[tr.get("data-slug")] = cells
    return rows


def test_the_methodists_table_shows_each_school_with_its_figures_and_red_flags(client, cast):
    from tests.monitoring.conftest import active_pair, invite, start_campaign

    muni = cast.muni
    # School A1: a curator, 6 consented people (3 working pairs), overdue duties, a
    # campaign with invitations, recent activity.
    for _ in range(3):
        active_pair(cast.school)
    _overdue(cast.school, 2)
    campaign = start_campaign(cast)
    invite(cast, campaign)
    AuditEntry.objects.create(organization=cast.school, actor=cast.curator, action="x")
    # School A2: its curator leaves, an invitation is pending; no activity for 40 days.
    MembershipFactory._meta.model.objects.filter(user=cast.curator2).delete()
    make_invitation(cast.school2, role=Role.CURATOR, email="new@a2.test")
    old = AuditEntry.objects.create(organization=cast.school2, actor=cast.curator, action="x")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    # A third school with nobody at all; a closed one; another municipality's.
    OrganizationFactory(parent=muni, slug="school-a3", short_name="Школа А3")
    closed = OrganizationFactory(parent=muni, slug="school-a4", short_name="Школа А4")
    organization_close(actor=cast.methodist, organization=closed)
    make_pair(cast.other_school)

    client.force_login(cast.methodist)
    table = _table(client, f"/o/{muni.slug}/")

    assert list(table) == ["school-a1", "school-a2", "school-a3"]
    a1, a2, a3 = table["school-a1"], table["school-a2"], table["school-a3"]
    assert a1["curator"] == cast.curator.get_short_name()
    assert a1["consented"] == "6" and a1["working_pairs"] == "3"
    assert a1["roadmap"].endswith("%") and "просрочено 2 мероприятия" in a1["flags"]
    assert a1["response_rate"] == "0 %"
    assert a1["last_activity"] == timezone.localdate().strftime("%d.%m.%Y")
    assert "нет активности" not in a1["flags"]
    assert a2["curator"] == "приглашение отправлено" and "нет куратора" not in a2["flags"]
    assert a2["consented"] == "<5" and a2["working_pairs"] == "0"
    assert "нет активности 30 дней" in a2["flags"]
    assert "идёт кампания, никто не приглашён" in a2["flags"]
    assert a3["curator"] == "не назначен" and "нет куратора" in a3["flags"]
    assert a3["roadmap"] == "нет мероприятий" and a3["last_activity"] == "не было"


def test_small_counts_of_people_are_suppressed_above_the_school(client, cast):
    for n in range(4):
        make_consented(cast.school, last_name=f"Участник{n}")
    client.force_login(cast.department)
    assert _table(client, "/o/muni/")["school-a1"]["consented"] == "<5"
    make_consented(cast.school, last_name="Пятый")
    assert _table(client, "/o/muni/")["school-a1"]["consented"] == "5"


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["school-a1", "school-a2", "school-a3"]),
        ("-name", ["school-a3", "school-a2", "school-a1"]),
        ("working_pairs", ["school-a2", "school-a3", "school-a1"]),
        ("-working_pairs", ["school-a1", "school-a2", "school-a3"]),
        # Empty cells (no duties at all) go last in either direction.
        ("roadmap", ["school-a1", "school-a2", "school-a3"]),
        ("-roadmap", ["school-a2", "school-a1", "school-a3"]),
    ],
)
def test_the_table_sorts_by_a_whitelisted_column(client, cast, sort, order):
    make_pair(cast.school, approved=True)
    OrganizationFactory(parent=cast.muni, slug="school-a3", short_name="Школа А3")
    _overdue(cast.school, 5)
    make_roadmap(cast.school2)
    with tenant_scope(cast.school2):
        Activity.objects.update(status=ActivityStatus.DONE)
    client.force_login(cast.methodist)
    assert list(_table(client, f"/o/muni/?sort={sort}")) == order


@pytest.mark.parametrize("sort", ["nonsense", "-", "organization__name", "--name", "consented "])
def test_an_unknown_sort_is_a_400_on_the_page_and_in_the_api(client, cast, sort):
    client.force_login(cast.methodist)
    assert client.get("/o/muni/", {"sort": sort}).status_code == 400
    response = client.get("/api/v1/o/muni/home/", {"sort": sort})
    assert response.status_code == 400 and "sort" in response.json()


def test_headers_link_to_the_opposite_direction_of_the_current_sort(client, cast):
    client.force_login(cast.methodist)
    page = _page(client, "/o/muni/?sort=consented")
    assert page.xpath('//a[@data-testid="sort-consented"]/@href') == ["?sort=-consented"]
    assert page.xpath('//a[@data-testid="sort-name"]/@href') == ["?sort=name"]


# --- The region's table -----------------------------------------------------------------


def test_the_regions_table_sums_each_municipalitys_schools(client, cast):
    for _ in range(3):
        make_pair(cast.school, approved=True)
    make_pair(cast.school2, approved=True)
    MembershipFactory._meta.model.objects.filter(user=cast.curator2).delete()
    # A school of the far region, a closed municipality: neither is counted here.
    make_pair(cast.far_school, approved=True)
    closed = OrganizationFactory(
        kind=OrganizationKind.MUNICIPALITY, parent=cast.region, slug="gone", short_name="Был"
    )
    organization_close(actor=cast.regional, organization=closed)
    AuditEntry.objects.create(organization=cast.other_muni, actor=cast.other_methodist, action="x")

    client.force_login(cast.regional)
    table = _table(client, "/o/region/", testid="municipalities")

    assert list(table) == ["muni", "muni-b"]
    assert table["muni"]["working_pairs"] == "4"
    assert table["muni"]["consented"] == "8"
    assert table["muni"]["curator"] == "1 из 2" and "1 школа без куратора" in table["muni"]["flags"]
    assert table["muni-b"]["curator"] == "1 из 1" and table["muni-b"]["working_pairs"] == "0"
    # The municipality's own work counts as its activity.
    assert "нет активности" not in table["muni-b"]["flags"]
    assert "нет активности 30 дней" in table["muni"]["flags"]


def test_nobody_below_the_region_gets_its_table_and_a_stranger_gets_404(client, cast):
    client.force_login(cast.other_methodist)
    assert client.get("/o/muni/").status_code == 404
    assert client.get("/api/v1/o/muni/home/").status_code == 404
    client.force_login(cast.curator)
    assert client.get("/o/school-a2/").status_code == 404
    assert client.get("/api/v1/o/school-a2/home/").status_code == 404
    assert client.get("/api/v1/o/school-a1/home/").json()["table"] is None


# --- The education department -----------------------------------------------------------


def test_the_department_sees_roadmaps_waiting_for_its_order(client, cast):
    make_roadmap(cast.muni, title="План на 2026/2027")
    approved = make_roadmap(cast.muni, title="План на 2025/2026")
    with tenant_scope(cast.muni):
        Roadmap.objects.filter(pk=approved.pk).update(status="approved")
    make_roadmap(cast.school, title="Школьная")  # the curator's to approve, not the department's

    client.force_login(cast.department)
    page = _page(client, "/o/muni/")
    line = page.xpath('//*[@data-testid="approvals"]//a[@data-testid="todo-roadmaps_to_approve"]')
    assert line and "«План на 2026/2027»" in line[0].text_content()
    assert line[0].xpath('.//*[@data-testid="count"]')[0].text_content() == "1"
    listed = _page(client, line[0].get("href"))
    assert [r.xpath("./td/a")[0].text_content() for r in _rows(listed, "roadmaps")] == [
        "План на 2026/2027"
    ]
    # The methodist writes roadmaps, the department approves them: no such line for him
    # (his card holds the schools' practices waiting for his review).
    client.force_login(cast.methodist)
    assert not _page(client, "/o/muni/").xpath('//a[@data-testid="todo-roadmaps_to_approve"]')


def _document(org, kind: str, title: str, **fields) -> Document:
    with tenant_scope(org):
        return Document.objects.create(
            organization=org, kind=kind, title=title, status="ready", **fields
        )


def test_latest_documents_never_offer_a_file_that_names_pupils_above_the_school(client, cast):
    _document(cast.muni, "roadmap", "Дорожная карта муниципалитета", number="12")
    _document(
        cast.school,
        "pair_order",
        "Приказ: Иванова Мария — Петров Иван",
        number="7",
        params={"pair_ids": [1, 2, 3]},
    )
    _document(cast.other_school, "roadmap", "Чужая дорожная карта")

    client.force_login(cast.department)
    page = _page(client, "/o/muni/")
    lines = page.xpath('//*[@data-testid="document-line"]')
    text = " ".join(line.text_content() for line in lines)
    assert len(lines) == 2 and "Чужая" not in text
    assert "Иванова" not in text and "Пар в приказе: 3" in text
    closed = page.xpath('//*[@data-testid="document-closed"]')
    assert [c.text_content() for c in closed] == ["Приказ об утверждении наставнических пар/групп"]
    links = page.xpath('//*[@data-testid="latest-documents"]//li//a/@href')
    assert len(links) == 1 and client.get(links[0]).status_code == 200
    api = client.get("/api/v1/o/muni/home/").json()["documents"]
    assert {d["url"] == "" for d in api} == {True, False}
    assert "Иванова" not in str(api)


# --- The API ----------------------------------------------------------------------------


def test_the_api_gives_the_pages_figures(client, cast):
    make_participant(cast.school)
    make_pair(cast.school)
    client.force_login(cast.curator)
    body = client.get("/api/v1/o/school-a1/home/").json()
    page = _todos(_page(client, "/o/school-a1/"))
    assert body["level"] == "school"
    assert {t["key"]: (t["count"], t["url"]) for t in body["todos"]} == page
    assert body["steps_done"] == 4 and [s["done"] for s in body["steps"]] == [
        True,
        True,
        True,
        True,
        False,
    ]
    client.force_login(cast.methodist)
    table = client.get("/api/v1/o/muni/home/?sort=-working_pairs").json()["table"]
    assert table["sort"] == "-working_pairs"
    assert [r["slug"] for r in table["rows"]] == ["school-a1", "school-a2"]
    assert table["rows"][0]["cells"]["working_pairs"]["value"] == 0
    assert table["rows"][0]["cells"]["consented"]["display"] == "<5"


def test_the_api_hides_a_suppressed_count_behind_its_display(client, cast):
    for n in range(3):
        make_consented(cast.school, last_name=f"Человек{n}")
    client.force_login(cast.methodist)
    cell = client.get("/api/v1/o/muni/home/").json()["table"]["rows"][0]["cells"]["consented"]
    assert cell == {"value": 0, "display": "<5", "flag": ""}


# --- The filters the figures link to ----------------------------------------------------


def test_the_registrys_pair_filter_lists_mentees_in_no_open_pair(client, cast):
    make_pair(cast.school)  # its mentee is in an open (proposed) pair
    make_consented(cast.school, last_name="Свободный")
    make_consented(cast.school, last_name="Наставник", is_mentee=False, is_mentor=True)
    rejected = make_pair(cast.school)
    with tenant_scope(cast.school):
        from registry.services.pairs import pair_transition

        pair_transition(actor=None, pair=rejected, to=PairStatus.REJECTED, reason="Не подошли")
    client.force_login(cast.curator)
    page = _page(client, "/o/school-a1/registry/?pair=none")
    names = sorted(r.xpath("./td/a")[0].text_content().split()[0] for r in _rows(page, "registry"))
    assert len(names) == 2 and names[1] == "Свободный" and names[0].startswith("Наставляемый")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("curator", "/o/school-a1/registry/?pair=maybe"),
        ("curator", "/o/school-a1/pairs/?stale=maybe"),
        ("curator", "/o/school-a1/monitoring/?running=x"),
        ("methodist", "/o/muni/roadmaps/?status=nonsense"),
    ],
)
def test_a_bad_filter_value_is_a_400_not_a_silent_default(client, cast, who, url):
    client.force_login(getattr(cast, who))
    assert client.get(url).status_code == 400


def test_the_filters_take_their_yes_values(client, cast):
    client.force_login(cast.curator)
    for url in ("/o/school-a1/pairs/?stale=1", "/o/school-a1/pairs/?stale=on"):
        assert client.get(url).status_code == 200
    assert client.get("/o/school-a1/monitoring/?running=1").status_code == 200


# --- Fixed query counts -----------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


_numbers = iter(range(10_000))


def _school_rows(org) -> None:
    make_pair(org)
    make_pair(org, approved=True)
    make_participant(org, last_name=f"Без согласия {next(_numbers)}")


def _school_in(muni):
    def add(_org):
        school = OrganizationFactory(parent=muni)
        MembershipFactory(user=UserFactory(), organization=school, role=Role.CURATOR)
        make_pair(school, approved=True)
        make_roadmap(school)
        AuditEntry.objects.create(organization=school, actor=None, action="x")

    return add


def _municipality_in(region):
    def add(_org):
        muni = OrganizationFactory(kind=OrganizationKind.MUNICIPALITY, parent=region)
        _school_in(muni)(None)

    return add


# page → (where, who, how to add rows, pinned query count)
PAGES = {
    "school-curator": ("school", "curator", _school_rows, 15),
    "school-viewer": ("school", "viewer", _school_rows, 14),
    # The practices waiting for review: one count.
    "muni-methodist": ("muni", "methodist", lambda org: _school_in(org)(org), 19),
    "muni-department": ("muni", "department", lambda org: _school_in(org)(org), 19),
    "region-regional": ("region", "regional", lambda org: _municipality_in(org)(org), 15),
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_home_query_count_is_fixed(client, cast, name, api):
    where, who, add_rows, pinned = PAGES[name]
    org = getattr(cast, where)
    client.force_login(getattr(cast, who))
    url = f"/api/v1/o/{org.slug}/home/" if api else f"/o/{org.slug}/"
    client.get(url)  # warm: the session's first touch and per-process caches
    for _ in range(2):
        add_rows(org)
    few = _count(client, url)
    for _ in range(6):
        add_rows(org)
    many = _count(client, url)
    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 8"
    if not api:
        assert many == pinned, f"{name}: {many} queries, pinned {pinned}"


def test_an_expired_invitation_is_no_curator_on_the_way(client, cast):
    MembershipFactory._meta.model.objects.filter(user=cast.curator2).delete()
    make_invitation(
        cast.school2,
        role=Role.CURATOR,
        email="late@a2.test",
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(cast.methodist)
    row = _table(client, "/o/muni/")["school-a2"]
    assert row["curator"] == "не назначен" and "нет куратора" in row["flags"]
