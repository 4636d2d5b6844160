"""The region's tables read a submitted municipality as submitted (issue 17, item 4): its
row holds the figures frozen at submission, marked «сдано» with the date, and the live
figure beside only where it differs; a returned submission reads live again. The
dashboard, the roll-up, the report (PDF and xlsx) and the API alike; small counts stay
hidden; fixed queries; another region's submissions never count."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from mentorship.models import OrganizationKind
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.definitions import Indicator
from monitoring.indicators.models import YearSubmission
from monitoring.indicators.selectors.dashboards import unscoped_regional_dashboard
from monitoring.indicators.selectors.regional import unscoped_regional_rollup
from monitoring.indicators.services import oversight
from tests.factories import OrganizationFactory
from tests.indicators.conftest import YEAR, contingent, mentor, pair, person, pupils
from tests.indicators.test_reports import _render, pdf_text

MENTEES = Indicator.PUPIL_MENTEES.value
YOUNG = Indicator.YOUNG_SPECIALISTS.value
WHOLE_YEAR = {"starts_on": date(YEAR - 1, 9, 1)}


def _data(cast):
    """Город А: 18 of 180 pupils mentored, 20 people in pairs; Район Б: five young
    teachers mentored (its pupils' share has no denominator)."""
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 12), **WHOLE_YEAR)
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 6), **WHOLE_YEAR)
    young = [person(cast.other_school, "teacher", experience_years=1) for _ in range(5)]
    pair(
        cast.other_school,
        [mentor(cast.other_school)],
        young,
        form="teacher-teacher",
        **WHOLE_YEAR,
    )
    contingent(cast.school, pupils_10_19=120, pupils_15_19=40)
    contingent(cast.school2, pupils_10_19=60, pupils_15_19=20)
    contingent(cast.other_school, young_specialists=10, young_teachers=20)


def _submit(municipality, year=YEAR) -> YearSubmission:
    with tenant_scope(municipality):
        return oversight.submission_submit(actor=None, municipality=municipality, year=year)


def _after_submission(cast):
    """Ten more pupils mentored in Город А after it submitted: live 28 of 180, 31 people."""
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 10), **WHOLE_YEAR)


def _day(submission: YearSubmission) -> str:
    return timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y")


def _row(region, municipality):
    return next(
        r for r in unscoped_regional_dashboard(region, YEAR).rows if r.organization == municipality
    )


@pytest.fixture
def submitted(cast) -> YearSubmission:
    _data(cast)
    submission = _submit(cast.muni)
    _after_submission(cast)
    return submission


# --- The dashboard's rows and the region's figures --------------------------------------


def test_submitted_row_holds_frozen_figures_with_the_live_ones_that_differ(cast, submitted):
    board = unscoped_regional_dashboard(cast.region, YEAR)
    rows = {r.organization.pk: r for r in board.rows}
    ours, theirs = rows[cast.muni.pk], rows[cast.other_muni.pk]

    assert ours.submitted_at == submitted.submitted_at
    assert (ours.figures[MENTEES].numerator, ours.figures[MENTEES].denominator) == (18, 180)
    assert ours.participants.numerator == 20
    assert (ours.live[MENTEES].numerator, ours.live[MENTEES].denominator) == (28, 180)
    assert ours.live_participants.numerator == 31
    # Only what changed is kept beside: pupils mentoring, young specialists did not.
    assert set(ours.live) == {MENTEES}
    assert ours.live_introduced is None
    # A municipality that has not submitted reads live, with nothing beside.
    assert theirs.submitted_at is None and theirs.live == {} and theirs.live_participants is None
    assert theirs.figures[YOUNG].numerator == 5
    # The region's own figures add up the rows as shown: Город А as submitted.
    assert board.summary_by_code[MENTEES].figure.numerator == 18


def test_a_returned_submission_reads_live_again(cast, submitted):
    with tenant_scope(cast.muni):
        oversight.submission_return(actor=cast.regional, submission=submitted, comment="Нет.")
    board = unscoped_regional_dashboard(cast.region, YEAR)
    ours = next(r for r in board.rows if r.organization == cast.muni)
    assert ours.submitted_at is None and ours.live == {}
    assert ours.figures[MENTEES].numerator == 28
    assert board.summary_by_code[MENTEES].figure.numerator == 28


def test_an_unchanged_submission_shows_nothing_beside(client, cast):
    _data(cast)
    submission = _submit(cast.muni)
    ours = _row(cast.region, cast.muni)
    assert ours.submitted_at and ours.live == {} and ours.live_participants is None
    client.force_login(cast.regional)
    page = client.get(f"/o/region/indicators/?year={YEAR}").content.decode()
    assert 'data-testid="submitted-mark"' in page and _day(submission) in page
    assert 'data-testid="live-figure"' not in page


def test_a_hidden_submitted_count_never_gets_its_live_value_beside(cast):
    """Three people at submission («<5»): the live count beside it, were it unchanged or
    nearly so, would give the hidden one back; it is not shown even once it has grown."""
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 2), **WHOLE_YEAR)
    contingent(cast.school, pupils_10_19=120, pupils_15_19=40)
    _submit(cast.muni)
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 8), **WHOLE_YEAR)
    ours = _row(cast.region, cast.muni)
    assert ours.participants.hidden and ours.live_participants is None
    assert ours.figures[MENTEES].hidden and MENTEES not in ours.live
    rollup = unscoped_regional_rollup(cast.region, YEAR)
    row = next(r for r in rollup.rows if r.municipality == cast.muni)
    assert row.participants.hidden and row.live_participants is None


def test_a_submission_of_another_year_or_region_does_not_count(cast):
    _data(cast)
    _submit(cast.muni, year=YEAR - 1)
    _submit(cast.far_muni)
    _after_submission(cast)
    board = unscoped_regional_dashboard(cast.region, YEAR)
    assert all(r.submitted_at is None for r in board.rows)
    assert board.summary_by_code[MENTEES].figure.numerator == 28


def test_the_dashboard_page_marks_the_row_and_shows_the_live_figure(client, cast, submitted):
    client.force_login(cast.regional)
    page = client.get(f"/o/region/indicators/?year={YEAR}").content.decode()
    table = page[page.index('data-testid="municipalities"') :]
    ours = table[table.index("Город А") : table.index("Район Б")]
    theirs = table[table.index("Район Б") : table.index("</tbody>")]
    assert "сдано" in ours and _day(submitted) in ours
    assert "10,0\u00a0%" in ours  # 18 of 180, as submitted
    assert "сейчас: 15,6\u00a0%" in ours  # 28 of 180 now
    assert "сейчас: 31" in ours
    assert "Текущее значение: 28 из 180" in ours
    assert "сдано" not in theirs and "сейчас" not in theirs
    assert "Город В" not in page  # another region's municipality


def test_the_rollup_shows_submitted_counts_with_live_beside(client, cast, submitted):
    rollup = unscoped_regional_rollup(cast.region, YEAR)
    rows = {r.municipality.pk: r for r in rollup.rows}
    assert rows[cast.muni.pk].submitted_at == submitted.submitted_at
    assert rows[cast.muni.pk].participants.numerator == 20
    assert rows[cast.muni.pk].live_participants.numerator == 31
    assert rows[cast.muni.pk].schools == 2 and rows[cast.muni.pk].live_schools is None
    assert rows[cast.other_muni.pk].participants.numerator == 6
    assert rollup.participants.numerator == 26  # 20 as submitted + 6 live

    client.force_login(cast.regional)
    page = client.get(f"/o/region/indicators/rollup/?year={YEAR}").content.decode()
    ours = page[page.index(">Город А<") : page.index(">Район Б<")]
    assert "сдано" in ours and _day(submitted) in ours
    assert "сейчас: 31" in ours
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert "<td>26</td>" in footer


def test_a_school_added_after_submission_shows_beside_the_submitted_count(cast, submitted):
    OrganizationFactory(parent=cast.muni, slug="late-school")
    row = next(
        r for r in unscoped_regional_rollup(cast.region, YEAR).rows if r.municipality == cast.muni
    )
    assert (row.schools, row.live_schools) == (2, 3)


# --- Query counts ----------------------------------------------------------------------


def _more_submitted_municipalities(n=4):
    from mentorship.models import Organization

    region = Organization.objects.get(slug="region")
    for i in range(n):
        muni = OrganizationFactory(
            kind=OrganizationKind.MUNICIPALITY, parent=region, slug=f"sm{i}", short_name=f"СМ{i}"
        )
        school = OrganizationFactory(parent=muni, slug=f"sm{i}-s")
        pair(school, [mentor(school)], pupils(school, 6), **WHOLE_YEAR)
        _submit(muni)
        pair(school, [mentor(school)], pupils(school, 6), **WHOLE_YEAR)


# Not named `page`: that is the browser tests' fixture, and a parameter of that name
# draws the browser parametrisation in and moves the test among the browser journeys.
@pytest.mark.parametrize("subpage", ["", "rollup/"])
def test_regional_pages_keep_their_queries_with_submitted_rows(client, cast, submitted, subpage):
    client.force_login(cast.regional)
    url = f"/o/region/indicators/{subpage}?year={YEAR}"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _more_submitted_municipalities()
    client.get(url)  # the new schools' counts computed and stored (selectors/stored.py)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.content.decode().count('data-testid="submitted-mark"') == 5
    assert len(after) == len(before)


# --- The report -------------------------------------------------------------------------


def test_the_regional_report_reads_submitted_rows(client, cast, submitted, tmp_path):
    document = _render(cast.region, "regional_report")
    with tenant_scope(cast.region):
        text = " ".join(pdf_text(document.file.read(), tmp_path).split())
    assert "Сдали отчёт за год: 1 из 2 муниципалитетов" in text
    assert f"сдано {_day(submitted)}" in text
    assert "сейчас: 15,6 %" in text and "сейчас: 31" in text
    assert "текущие данные" in text  # Район Б has not submitted

    client.force_login(cast.regional)
    response = client.get(f"/o/region/indicators/export.xlsx?year={YEAR}")
    book = load_workbook(BytesIO(response.content))
    sheet = [list(r) for r in book["По муниципалитетам"].iter_rows(values_only=True)]
    header, rows = sheet[0], {r[0]: r for r in sheet[1:]}
    submitted_col = header.index("Отчёт сдан")
    assert rows["Город А"][submitted_col] == _day(submitted)
    assert "сейчас" not in str(rows["Город А"][submitted_col + 1]).lower()
    assert "15,6" in rows["Город А"][submitted_col + 1]
    assert "Участников: 31" in rows["Город А"][submitted_col + 1]
    assert rows["Район Б"][submitted_col] == "нет" and rows["Район Б"][submitted_col + 1] is None
    mentees_col = header.index(next(h for h in header if h and "числитель" in h))
    assert rows["Город А"][mentees_col] == 18  # as submitted
    rollup = [list(r) for r in book["Свод по муниципалитетам"].iter_rows(values_only=True)]
    by_name = {r[0]: r for r in rollup[1:]}
    assert by_name["Город А"][3] == 20 and by_name["Город А"][-1] == 31
    assert by_name["Город А"][-2] == _day(submitted)


def test_the_api_gives_the_submitted_row_and_its_live_figures(client, cast, submitted):
    client.force_login(cast.regional)
    response = client.get(f"/api/v1/o/region/indicators/?year={YEAR}")
    assert response.status_code == 200, response.content
    units = {u["organization"]["slug"]: u for u in response.json()["units"]}
    assert units["muni"]["submitted_at"] is not None
    assert units["muni"]["indicators"][MENTEES]["numerator"] == 18
    assert units["muni"]["live"][MENTEES]["numerator"] == 28
    assert units["muni-b"]["submitted_at"] is None and units["muni-b"]["live"] == {}
