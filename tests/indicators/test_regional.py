"""The regional level (issue 17, items 3, 5, 6): the region's campaigns with response
rates by municipality and school, the regional report (PDF, xlsx, command), the roll-up,
the federal form (figures equal to the indicators'), the programme bank and the mentor
base as counts; a region never sees another region; bad input is a clear error."""

from datetime import date
from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.selectors import queries
from monitoring.indicators.selectors.dashboards import unscoped_regional_dashboard
from monitoring.indicators.selectors.federal import (
    FederalFormError,
    unscoped_federal_form,
)
from monitoring.indicators.selectors.queries import PEOPLE_METRICS
from monitoring.indicators.selectors.regional import (
    unscoped_regional_campaign_rates,
    unscoped_regional_rollup,
)
from monitoring.models import CampaignSchool
from monitoring.services.campaigns import campaign_create, campaigns_join_new_school
from registry.models import Programme
from tests.factories import OrganizationFactory, make_partner
from tests.indicators.conftest import (
    YEAR,
    contingent,
    invite_only,
    mentor,
    pair,
    person,
    pupils,
    respond,
    standard,
)
from tests.indicators.test_reports import _render, pdf_text

pytestmark = pytest.mark.django_db


def _region_data(cast):
    """Pairs over the whole year in both municipalities of the region, and in the far
    region (which must never be counted)."""
    whole_year = {"starts_on": date(YEAR - 1, 9, 1)}
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 12), **whole_year)
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 6), **whole_year)
    young = [person(cast.other_school, "teacher", experience_years=1) for _ in range(5)]
    pair(
        cast.other_school,
        [mentor(cast.other_school)],
        young,
        form="teacher-teacher",
        **whole_year,
    )
    pair(cast.far_school, [mentor(cast.far_school)], pupils(cast.far_school, 30), **whole_year)
    # Every school entered its contingent: a share's numerator then counts every school
    # (the indicators count only schools with a denominator; the form counts everyone).
    contingent(cast.school, pupils_10_19=120, pupils_15_19=40)
    contingent(cast.school2, pupils_10_19=60, pupils_15_19=20)
    contingent(cast.other_school, young_specialists=10, young_teachers=20)


# --- The federal form ----------------------------------------------------------------


def test_federal_form_equals_the_indicators_on_the_same_data(cast):
    _region_data(cast)
    form = unscoped_federal_form(cast.region, YEAR, 4)
    board = unscoped_regional_dashboard(cast.region, YEAR)
    totals = dict(form.totals)
    by_code = board.summary_by_code
    # Every pair runs through the whole year: the quarter's people are the year's.
    assert totals["Обучающиеся 10–19 лет — наставляемые"].numerator == (
        by_code["pupil_mentees"].figure.numerator
    )
    assert totals["Молодые специалисты (стаж 0–3 года) — наставляемые"].numerator == (
        by_code["young_specialists"].figure.numerator
    )
    # 3 mentors + 18 pupils + 5 young teachers; the far region's 31 are not here.
    assert totals["Участники наставнических пар и групп (всего)"].numerator == 26
    rows = {r.name: r for r in form.rows}
    teacher_student = next(r for name, r in rows.items() if "ученик" in name.lower())
    assert teacher_student.pairs.suppressed  # 2 pairs: a small count, hidden
    pupils_col = form.columns.index("Наставляемые — обучающиеся")
    assert teacher_student.cells[pupils_col].numerator == 18
    assert form.municipalities == 2 and form.schools == 3


def test_federal_form_counts_a_person_once_per_form_and_once_in_the_totals(cast):
    """One pass computes the cells, the totals and the enterprises: a mentor in two forms
    is in both forms' rows and once in the totals, which are the indicators' own reads
    (`people_counts`, `partner_mentoring`) summed over the region's schools."""
    whole_year = {"starts_on": date(YEAR - 1, 9, 1)}
    teachers = [mentor(cast.school) for _ in range(5)]
    pair(cast.school, teachers, pupils(cast.school, 6), **whole_year)
    young = [person(cast.school, "teacher", experience_years=2) for _ in range(5)]
    pair(cast.school, teachers, young, form="teacher-teacher", **whole_year)
    kamaz = make_partner(cast.muni, "ПАО «КАМАЗ»")
    for school in (cast.school, cast.school2):
        rep = person(school, "partner", partner=kamaz)
        pair(school, [rep], pupils(school, 5), form="employer-student", **whole_year)
    # Left out everywhere: a proposal, and the far region.
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 9), status="proposed")
    pair(cast.far_school, [mentor(cast.far_school)], pupils(cast.far_school, 8), **whole_year)

    form = unscoped_federal_form(cast.region, YEAR, 4)
    rows = {r.name: r for r in form.rows}
    teachers_col = form.columns.index("Наставники — педагоги")
    assert rows["учитель – ученик"].cells[teachers_col].numerator == 5
    assert rows["учитель – учитель"].cells[teachers_col].numerator == 5
    assert rows["учитель – ученик"].participants.numerator == 11
    assert rows["учитель – учитель"].participants.numerator == 10
    assert rows["работодатель – ученик"].participants.numerator == 12
    # One enterprise mentoring in two schools is one enterprise.
    assert form.enterprises == 1

    window = queries.Window(YEAR, 4)
    with unscoped_reads():
        ids = list(
            Organization.objects.filter(parent__parent=cast.region).values_list("pk", flat=True)
        )
    live = queries.people_counts(ids, [window])
    counted = queries.form_counts(ids, window)
    for metric in PEOPLE_METRICS[:-1]:  # the last is the school page's data hint
        assert counted.totals[metric] == sum(v.get(metric, 0) for v in live.values()), metric
    assert counted.totals["young_specialists"] == 5
    # 5 teachers (once) + 6 pupils + 5 young teachers + 2 representatives + 10 pupils.
    assert dict(form.totals)["Участники наставнических пар и групп (всего)"].numerator == 28
    partners = queries.partner_mentoring(ids, [window])[YEAR]
    assert len({partner for _school, partner in partners}) == form.enterprises


def test_a_quarter_counts_only_pairs_overlapping_it(cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 7), starts_on=date(YEAR, 10, 1))
    assert unscoped_federal_form(cast.region, YEAR, 1).rows == []
    q4 = unscoped_federal_form(cast.region, YEAR, 4)
    assert dict(q4.totals)["Участники наставнических пар и групп (всего)"].numerator == 8
    window = queries.Window(YEAR, 1)
    assert (window.first, window.last) == (date(YEAR, 1, 1), date(YEAR, 3, 31))
    assert queries.Window(YEAR, 4).last == date(YEAR, 12, 31)


def test_export_federal_form_command(cast, tmp_path):
    _region_data(cast)
    out = tmp_path / "form.xlsx"
    call_command("export_federal_form", org="region", year=YEAR, quarter=4, out=str(out))
    sheet = load_workbook(out).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Раздел 1. Участники по формам наставничества и категориям" in values
    assert 26 in values
    assert "Школа В1" not in values


@pytest.mark.parametrize(
    ("org", "year", "quarter", "message"),
    [
        ("region", YEAR, 5, "Квартал — число от 1 до 4"),
        ("region", YEAR, "x", "Квартал — число от 1 до 4"),
        ("region", "abc", 1, "Год указан неверно"),
        ("region", 1900, 1, "Форма формируется за годы"),
        ("muni", YEAR, 1, "Федеральную форму формирует регион"),
        ("nowhere", YEAR, 1, "не найдена"),
    ],
)
def test_export_federal_form_bad_input(cast, tmp_path, org, year, quarter, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_federal_form",
            org=org,
            year=year,
            quarter=quarter,
            out=str(tmp_path / "f.xlsx"),
        )


def test_federal_form_download_and_bad_quarter(client, cast):
    _region_data(cast)
    client.force_login(cast.regional)
    base = f"/o/{cast.region.slug}/indicators/federal-form.xlsx"
    response = client.get(f"{base}?year={YEAR}&quarter=2")
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.content)).active["A1"].value == cast.region.full_name
    assert client.get(f"{base}?year={YEAR}&quarter=7").status_code == 400
    assert client.get(f"{base}?year=abc&quarter=1").status_code == 400
    assert client.get(base).status_code == 400
    # Another region's address: not found; a municipality has no such page.
    assert (
        client.get(f"/o/far-region/indicators/federal-form.xlsx?year={YEAR}&quarter=1").status_code
        == 404
    )
    client.force_login(cast.methodist)
    assert (
        client.get(f"/o/muni/indicators/federal-form.xlsx?year={YEAR}&quarter=1").status_code == 404
    )


def test_a_federal_form_is_the_regions_only(cast):
    with pytest.raises(FederalFormError):
        unscoped_federal_form(cast.muni, YEAR, 1)


# --- Regional campaigns --------------------------------------------------------------


def _regional_campaign(cast, **extra):
    with tenant_scope(cast.region):
        return campaign_create(
            actor=cast.regional,
            organization=cast.region,
            title=extra.pop("title", "Мониторинг региона — ноябрь"),
            stage="final",
            starts_on=date(YEAR, 11, 1),
            ends_on=date(YEAR, 11, 30),
            mentor_questionnaire=standard("mentor_satisfaction"),
            mentee_questionnaire=standard("mentee_satisfaction"),
        )


def test_a_regional_campaign_reaches_every_school_of_the_region_only(cast):
    run = _regional_campaign(cast)
    with unscoped_reads():
        covered = set(
            CampaignSchool.objects.filter(campaign=run).values_list("organization__slug", flat=True)
        )
    assert covered == {"school-a1", "school-a2", "school-b1"}
    # A school opened later joins the region's running campaign too.
    new = OrganizationFactory(parent=cast.other_muni, slug="school-b2")
    joined = campaigns_join_new_school(new)
    assert run in joined or not run.is_open()


def test_regional_campaign_rates_by_municipality_and_school_hide_small_cells(client, cast):
    run = _regional_campaign(cast)
    questionnaire = standard("mentee_satisfaction")
    for _ in range(6):
        respond(cast.school, run, questionnaire, {})
    invite_only(cast.school, run, questionnaire, 4)
    respond(cast.school2, run, questionnaire, {})
    for _ in range(3):
        respond(cast.other_school, run, questionnaire, {})
    invite_only(cast.other_school, run, questionnaire, 5)
    rates = unscoped_regional_campaign_rates(cast.region, run, municipality_id=cast.muni.pk)
    by_name = {c.organization.short_name: c for c in rates.municipalities}
    assert by_name["Город А"].invited_count == 11 and by_name["Город А"].responded_count == 7
    assert by_name["Город А"].invited.numerator == 11
    # 3 answered in district B: a small count, and its rate with it.
    assert by_name["Район Б"].responded.suppressed and by_name["Район Б"].rate is None
    # The total would give district B's 3 back: city A's responded is hidden too, and
    # with it city A's rate.
    assert by_name["Город А"].responded.hidden and by_name["Город А"].rate is None
    assert rates.total.rate is not None  # 10 of 20
    schools = {c.organization.short_name: c for c in rates.schools}
    assert set(schools) == {"Школа А1", "Школа А2"}
    assert schools["Школа А2"].invited.suppressed

    client.force_login(cast.regional)
    detail = f"/o/region/monitoring/campaigns/{run.pk}/"
    html = client.get(detail).content.decode()
    assert "Город А" in html and "Район Б" in html and "Школа А1" not in html
    html = client.get(f"{detail}?municipality={cast.muni.pk}").content.decode()
    assert "Школа А1" in html and "Школа Б1" not in html
    assert client.get(f"{detail}?municipality={cast.far_muni.pk}").status_code == 404
    assert client.get(f"{detail}?municipality=abc").status_code == 400
    # The methodist of city A does not open the region's campaign at the municipality.
    client.force_login(cast.methodist)
    assert client.get(f"/o/muni/monitoring/campaigns/{run.pk}/").status_code == 404


def test_the_regional_user_starts_a_campaign_on_the_web(client, cast):
    client.force_login(cast.regional)
    page = client.get("/o/region/monitoring/")
    assert page.status_code == 200
    assert "Новая кампания для всех школ всех муниципалитетов региона" in page.content.decode()
    mentor_q, mentee_q = standard("mentor_satisfaction"), standard("mentee_satisfaction")
    response = client.post(
        "/o/region/monitoring/",
        {
            "title": "Региональный мониторинг",
            "stage": "interim",
            "starts_on": f"{YEAR}-05-01",
            "ends_on": f"{YEAR}-05-20",
            "mentor_questionnaire": mentor_q.pk,
            "mentee_questionnaire": mentee_q.pk,
            "remind_every_days": 3,
        },
    )
    assert response.status_code == 302
    # Bad input: the end before the start, nothing written.
    response = client.post(
        "/o/region/monitoring/",
        {
            "title": "Ещё один",
            "stage": "interim",
            "starts_on": f"{YEAR}-05-20",
            "ends_on": f"{YEAR}-05-01",
            "mentor_questionnaire": mentor_q.pk,
            "remind_every_days": 3,
        },
    )
    assert response.status_code == 200
    assert "Окончание раньше начала" in response.content.decode()
    # The school's curator sees the region's campaign among the school's own.
    client.force_login(cast.curator)
    assert "Региональный мониторинг" in client.get("/o/school-a1/monitoring/").content.decode()
    # Another region cannot open it.
    far = OrganizationFactory(kind="region", slug="far-2")
    del far


def test_a_foreign_regions_campaign_is_not_found(client, cast):
    run = _regional_campaign(cast)
    from tests.conftest import _member

    far_user = _member(cast.far_region, "regional", "regional@far.test")
    client.force_login(far_user)
    assert client.get(f"/o/far-region/monitoring/campaigns/{run.pk}/").status_code == 404


# --- The regional report and the roll-up -----------------------------------------------


def test_regional_report_pdf_and_command(cast, tmp_path):
    _region_data(cast)
    run = _regional_campaign(cast)
    questionnaire = standard("mentee_satisfaction")
    for _ in range(6):
        respond(cast.school, run, questionnaire, {})
    document = _render(cast.region, "regional_report")
    with tenant_scope(cast.region):
        text = " ".join(pdf_text(document.file.read(), tmp_path).split())
    assert "ИТОГОВЫЙ ОТЧЁТ РЕГИОНА" in text
    assert "Показатели по муниципалитетам в сравнении с целевыми значениями" in text
    assert "Город А" in text and "Район Б" in text
    assert "Город В" not in text and "Школа В1" not in text
    assert "Мониторинг региона — ноябрь" in text
    assert "Муниципалитеты пока не передали в регион лучших практик" in text
    out = tmp_path / "regional.pdf"
    call_command("render_document", "regional_report", org="region", year=YEAR, out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("render_document", "regional_report", org="muni", out=str(out))


def test_regional_xlsx_has_the_rollup_and_campaigns(client, cast):
    _region_data(cast)
    _regional_campaign(cast)
    client.force_login(cast.regional)
    response = client.get(f"/o/region/indicators/export.xlsx?year={YEAR}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert "Свод по муниципалитетам" in book.sheetnames
    assert "Лучшие практики" in book.sheetnames
    names = [r[0] for r in book["Свод по муниципалитетам"].iter_rows(values_only=True)]
    assert "Город А" in names and "Город В" not in names


def test_rollup_page_fixed_queries_and_isolation(client, cast):
    _region_data(cast)
    client.force_login(cast.regional)
    url = f"/o/region/indicators/rollup/?year={YEAR}"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    html = response.content.decode()
    assert "Город А" in html and "Город В" not in html
    for i in range(3):
        muni = OrganizationFactory(kind="municipality", parent=cast.region, slug=f"rm-{i}")
        school = OrganizationFactory(parent=muni)
        pair(school, [mentor(school)], pupils(school, 5))
    _regional_campaign(cast)
    client.get(url)  # the new schools' counts computed and stored
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(before) + 1 == len(after)  # + the campaign's invitations, once
    client.force_login(cast.methodist)
    assert client.get(f"/o/muni/indicators/rollup/?year={YEAR}").status_code == 404
    assert client.get(f"/o/region/indicators/rollup/?year={YEAR}").status_code in (403, 404)
    client.force_login(cast.regional)
    assert client.get(f"/o/far-region/indicators/rollup/?year={YEAR}").status_code == 404
    assert client.get("/o/region/indicators/rollup/?year=abc").status_code == 400


# --- The programme bank and the mentor base --------------------------------------------


def test_regional_bank_programmes_and_mentor_counts(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 2))
    pair(cast.far_school, [mentor(cast.far_school)], pupils(cast.far_school, 2))
    for _ in range(6):
        person(
            cast.school,
            "teacher",
            is_mentor=True,
            in_mentor_base=True,
            consent_state="valid",
        )
    person(cast.other_school, "teacher", is_mentor=True, in_mentor_base=True, consent_state="valid")
    client.force_login(cast.regional)
    response = client.get("/o/region/regional-bank/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Программа teacher-student" in html
    assert "Школа В1" not in html  # the far region's school
    assert ">6<" in html and "&lt;5" in html
    # District B's single mentor is hidden, and its total does not give them back.
    assert ">0<span" in html
    # Nobody's name: counts only.
    assert "Участник" not in html
    with unscoped_reads():
        far_programme = Programme.objects.get(organization=cast.far_school)
    assert far_programme.name not in html or "Школа А1" in html
    assert (
        client.get(f"/o/region/regional-bank/?municipality={cast.far_muni.pk}").status_code == 400
    )
    client.force_login(cast.methodist)
    assert client.get("/o/muni/regional-bank/").status_code == 404


def test_organization_tree_is_what_the_region_sees(cast):
    assert Organization.objects.filter(parent=cast.region).count() == 2


# --- The cache of a large tree's counts -------------------------------------------------


def test_cached_counts_are_dropped_when_a_pair_changes(cast, settings):
    settings.INDICATORS_CACHE_MIN_SCHOOLS = 0  # every tree counts as large here
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "indicators": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "regscale-test",
        },
    }
    _region_data(cast)
    first = unscoped_regional_dashboard(cast.region, YEAR).summary_by_code
    with CaptureQueriesContext(connection) as warm:
        again = unscoped_regional_dashboard(cast.region, YEAR).summary_by_code
    assert again["pupil_mentees"].figure == first["pupil_mentees"].figure
    # The three aggregate reads came from the cache: no statement over the pairs.
    assert not any("registry_pairmember" in q["sql"] for q in warm.captured_queries)
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 5), starts_on=date(YEAR, 3, 1))
    after = unscoped_regional_dashboard(cast.region, YEAR).summary_by_code
    assert after["pupil_mentees"].figure.numerator == first["pupil_mentees"].figure.numerator + 5


def test_dashboard_and_rollup_hide_the_same_municipal_counts(cast):
    """One municipality under 5 people: the region's total would give it back, so the
    next smallest is hidden too, on the dashboard as on the roll-up — side by side the
    two pages must not reveal it either."""
    whole_year = {"starts_on": date(YEAR - 1, 9, 1)}
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 30), **whole_year)
    pair(cast.other_school, [mentor(cast.other_school)], pupils(cast.other_school, 2), **whole_year)
    board = unscoped_regional_dashboard(cast.region, YEAR)
    rollup = unscoped_regional_rollup(cast.region, YEAR)
    on_board = {r.organization.short_name: r.participants for r in board.rows}
    on_rollup = {r.municipality.short_name: r.participants for r in rollup.rows}
    assert on_board["Город А"].hidden and on_board["Город А"].secondary
    assert all(figure.hidden for figure in on_board.values())
    assert {k: f.hidden for k, f in on_board.items()} == {k: f.hidden for k, f in on_rollup.items()}
