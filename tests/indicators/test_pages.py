"""The indicator pages: who sees what, small counts hidden upwards, a fixed number of
queries, the contingent and target forms, the xlsx export."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.definitions import Indicator
from monitoring.indicators.models import Contingent, SchoolYearCounts, Target
from tests.factories import OrganizationFactory
from tests.indicators.conftest import YEAR, contingent, mentor, pair, person, pupils

pytestmark = pytest.mark.django_db
# A share of exactly 0 % or 100 % anywhere on the page (not the 70,0 % of a target).
ZERO_OR_FULL = re.compile(r"(?<![\d,])(0|100),0\u00a0%")


def url(org, name="", year=YEAR):
    return f"/o/{org.slug}/indicators/{name}?year={year}"


def page(client, user, org, name=""):
    client.force_login(user)
    response = client.get(url(org, name))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Who may open what -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("curator", "school", 200),
        ("viewer", "school", 200),
        ("methodist", "school", 200),
        ("department", "school", 200),
        ("regional", "school", 403),
        ("methodist", "muni", 200),
        ("department", "muni", 200),
        # The region reads each municipality's dashboard (issue 17).
        ("regional", "muni", 200),
        ("regional", "region", 200),
        ("regional", "far_muni", 404),
        ("curator", "school2", 404),
        ("other_methodist", "muni", 404),
    ],
)
def test_dashboard_roles(client, cast, who, where, status):
    client.force_login(getattr(cast, who))
    assert client.get(url(getattr(cast, where))).status_code == status


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("curator", "school", 200),
        ("viewer", "school", 403),
        ("methodist", "school", 200),
        ("department", "school", 403),
        ("methodist", "muni", 200),
        ("department", "muni", 403),
        ("regional", "region", 404),
    ],
)
def test_contingent_form_roles(client, cast, who, where, status):
    client.force_login(getattr(cast, who))
    assert client.get(url(getattr(cast, where), "contingent/")).status_code == status


def test_dashboard_needs_get(client, cast):
    client.force_login(cast.curator)
    assert client.post(url(cast.school)).status_code == 405


# --- What each level sees ----------------------------------------------------------


def test_school_staff_see_exact_counts_the_municipality_sees_them_hidden(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 3))
    contingent(cast.school, pupils_10_19=50)
    own = page(client, cast.curator, cast.school)
    assert "6,0\u00a0%" in own and "3 из 50" in own
    above = page(client, cast.methodist, cast.school)
    assert "6,0\u00a0%" not in above and "&lt;5" in above
    assert "значения меньше 5 скрыты" in above


def test_missing_denominator_is_said_and_never_a_percentage(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 7))
    html = page(client, cast.curator, cast.school)
    assert "нет знаменателя — внесите контингент" in html
    assert "Контингент на этот год не внесён" in html
    assert not ZERO_OR_FULL.search(html)
    municipal = page(client, cast.methodist, cast.muni)
    assert "нет знаменателя — внесите контингент" in municipal
    assert not ZERO_OR_FULL.search(municipal)


def test_municipal_table_hides_small_cells_and_the_one_a_total_would_reveal(client, cast):
    big = OrganizationFactory(parent=cast.muni, slug="school-a3", short_name="Школа А3")
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 2))  # hidden: <5
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 7))  # hidden too
    pair(big, [mentor(big)], pupils(big, 30))
    for school in (cast.school, cast.school2, big):
        contingent(school, pupils_10_19=100)
    client.force_login(cast.methodist)
    from monitoring.indicators.selectors.dashboards import unscoped_municipal_dashboard

    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    cells = {r.organization.pk: r.figures[Indicator.PUPIL_MENTEES] for r in board.rows}
    assert cells[cast.school.pk].suppressed and cells[cast.school.pk].numerator is None
    # 2 alone would be total − 7 − 30: the smallest shown cell is hidden with it.
    assert cells[cast.school2.pk].secondary and cells[cast.school2.pk].numerator is None
    assert cells[big.pk].numerator == 30
    total = board.summary_by_code[Indicator.PUPIL_MENTEES].figure
    assert (total.numerator, total.denominator) == (39, 300)
    html = page(client, cast.methodist, cast.muni)
    assert "скрыто" in html and "&lt;5" in html
    assert "2 из 100" not in html and "7 из 100" not in html and "30 из 100" in html


def test_upper_levels_never_see_a_name(client, cast):
    child = person(cast.school, last_name="Секретова", first_name="Дарья")
    teacher = mentor(cast.school, last_name="Наставникова")
    pair(cast.school, [teacher], [child] + pupils(cast.school, 6))
    for user, org in ((cast.methodist, cast.muni), (cast.regional, cast.region)):
        html = page(client, user, org)
        assert "Секретова" not in html and "Наставникова" not in html


def test_regional_view_shows_municipalities_not_schools(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6))
    html = page(client, cast.regional, cast.region)
    assert "Город А" in html and "Район Б" in html
    assert "Школа А1" not in html and "Школа Б1" not in html
    from monitoring.indicators.selectors.dashboards import unscoped_regional_dashboard

    board = unscoped_regional_dashboard(cast.region, YEAR)
    introduced = board.summary_by_code[Indicator.MUNICIPALITIES].figure
    # Город А has a working pair, Район Б nothing yet.
    assert (introduced.numerator, introduced.denominator, introduced.share) == (
        1,
        2,
        Decimal("50.0"),
    )
    assert {r.organization.slug: r.introduced for r in board.rows} == {
        "muni": True,
        "muni-b": False,
    }


def _municipal_queries(client, cast, schools: int) -> int:
    for i in range(schools):
        school = OrganizationFactory(parent=cast.muni, slug=f"extra-{schools}-{i}")
        pair(school, [mentor(school)], pupils(school, 6))
        contingent(school, pupils_10_19=100)
    client.force_login(cast.methodist)
    client.get(url(cast.muni))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(cast.muni))
    assert response.status_code == 200
    return len(queries)


def test_the_municipal_dashboard_runs_a_fixed_number_of_queries(client, cast):
    few = _municipal_queries(client, cast, 1)  # 3 schools
    many = _municipal_queries(client, cast, 17)  # 20 schools
    with unscoped_reads():
        assert Organization.objects.filter(parent=cast.muni).count() == 20
    assert few == many, (few, many)
    # 13, was 17: warm, the aggregates and the survey's look-ups are one read of the
    # stored counts (tests/indicators/test_stored_counts.py).
    assert many == 13


def _regional_queries(client, cast, *, stored: bool) -> int:
    """The regional dashboard's queries with every school's counts stored (the page
    read once before), or with none stored (every school computed, then stored)."""
    if stored:
        client.get(url(cast.region))
    else:
        with unscoped_reads():
            SchoolYearCounts.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(cast.region)).status_code == 200
    return len(captured)


def test_the_regional_dashboard_runs_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.regional)
    client.get(url(cast.region))
    before = (
        _regional_queries(client, cast, stored=True),
        _regional_queries(client, cast, stored=False),
    )
    for i in range(5):
        OrganizationFactory(
            kind="municipality", parent=cast.region, slug=f"m-{i}", short_name=f"М{i}"
        )
        school = OrganizationFactory(parent=Organization.objects.get(slug=f"m-{i}"))
        pair(school, [mentor(school)], pupils(school, 5))
    after = (
        _regional_queries(client, cast, stored=True),
        _regional_queries(client, cast, stored=False),
    )
    assert before == after
    # Stored: one read of the rows instead of the aggregates. None stored: that read,
    # then the claim of the missing rows, the three aggregates with the survey's two
    # look-ups, and the write: each write in its savepoint (SAVEPOINT, INSERT, RELEASE).
    assert after[1] - after[0] == 3 + (3 + 2) + 3, after


# --- Contingent and targets --------------------------------------------------------


def test_curator_enters_the_contingent(client, cast):
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school, "contingent/"),
        {"year": YEAR, "pupils_10_19": "320", "pupils_15_19": "", "young_specialists": "4"},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        saved = Contingent.objects.get(year=YEAR)
    assert (saved.pupils_10_19, saved.pupils_15_19, saved.young_specialists) == (320, None, 4)
    # The school's form has no enterprises: those are the municipality's.
    form = page(client, cast.curator, cast.school, "contingent/")
    assert 'name="enterprises"' not in form and 'name="pupils_10_19"' in form


def test_contingent_refuses_more_15_19_than_10_19(client, cast):
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school, "contingent/"),
        {"year": YEAR, "pupils_10_19": "10", "pupils_15_19": "20"},
    )
    assert response.status_code == 200
    assert "не может быть больше" in response.content.decode()
    with tenant_scope(cast.school):
        assert not Contingent.objects.exists()


def test_methodist_enters_enterprises_and_sets_targets(client, cast):
    client.force_login(cast.methodist)
    response = client.post(url(cast.muni, "contingent/"), {"year": YEAR, "enterprises": "40"})
    assert response.status_code == 302
    response = client.post(
        url(cast.muni, "targets/"), {"year": YEAR, Indicator.YOUNG_TEACHERS: "70"}
    )
    assert response.status_code == 302
    with tenant_scope(cast.muni):
        target = Target.objects.get(indicator=Indicator.YOUNG_TEACHERS, year=YEAR)
    assert target.percent == Decimal(70)
    html = page(client, cast.methodist, cast.muni)
    assert "70.0&nbsp;%" in html or "70,0&nbsp;%" in html


def test_department_reads_targets_but_cannot_change_them(client, cast):
    client.force_login(cast.department)
    assert client.get(url(cast.muni, "targets/")).status_code == 200
    response = client.post(url(cast.muni, "targets/"), {"year": YEAR, "pupil_mentees": "1"})
    assert response.status_code == 403


# --- Export --------------------------------------------------------------------------


def test_xlsx_export_has_the_same_tables_and_hides_the_same_cells(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 3))
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 12))
    contingent(cast.school, pupils_10_19=100)
    contingent(cast.school2, pupils_10_19=100)
    client.force_login(cast.department)
    response = client.get(url(cast.muni, "export.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:3] == ["Показатели", "По организациям", "Пары по формам"]
    summary = [r for r in book["Показатели"].iter_rows(values_only=True) if r and r[0]]
    mentees = next(r for r in summary if r[0] == str(Indicator.PUPIL_MENTEES.label))
    # 3 hidden and 12 hidden with it (else 15 − 12 gives 3): the total itself is shown.
    assert mentees[1:4] == (15, 200, 7.5)
    rows = list(book["По организациям"].iter_rows(values_only=True))
    by_school = {r[0]: r for r in rows[1:]}
    assert by_school["Школа А1"][1] == "<5"
    assert by_school["Школа А2"][1] == "скрыто"


def test_a_regions_target_reaches_its_municipalities_unless_they_set_their_own(client, cast):
    client.force_login(cast.regional)
    form = client.get(url(cast.region, "targets/")).content.decode()
    assert 'name="municipalities"' in form
    response = client.post(url(cast.region, "targets/"), {"year": YEAR, "pupil_mentees": "45"})
    assert response.status_code == 302
    from monitoring.indicators.selectors.counts import unscoped_targets

    assert unscoped_targets(cast.muni).for_year(Indicator.PUPIL_MENTEES, YEAR).percent == 45
    client.force_login(cast.methodist)
    # A municipality sets no target for the region's own indicator.
    assert 'name="municipalities"' not in client.get(url(cast.muni, "targets/")).content.decode()
    client.post(url(cast.muni, "targets/"), {"year": YEAR, "pupil_mentees": "60"})
    assert unscoped_targets(cast.muni).for_year(Indicator.PUPIL_MENTEES, YEAR).percent == 60
    assert unscoped_targets(cast.other_muni).for_year(Indicator.PUPIL_MENTEES, YEAR).percent == 45


@pytest.mark.parametrize(
    ("who", "where", "sheets"),
    [
        ("curator", "school", ["Показатели", "Пары по формам"]),
        ("regional", "region", ["Показатели", "По муниципалитетам", "Пары по формам"]),
    ],
)
def test_xlsx_export_at_every_level(client, cast, who, where, sheets):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6))
    client.force_login(getattr(cast, who))
    response = client.get(url(getattr(cast, where), "export.xlsx"))
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.content)).sheetnames[: len(sheets)] == sheets
