"""A campaign's results: response rate per school, per-question results, growth; general
figures only, hidden under 5 respondents at every level."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.selectors.results import hide_small_groups, unscoped_campaign_results
from monitoring.models import CampaignSchool
from tests.factories import OrganizationFactory
from tests.indicators.conftest import YEAR, campaign, invite_only, person, respond, standard

pytestmark = pytest.mark.django_db

SCALE = (
    "overall",
    "meetings_useful",
    "frequency_fit",
    "mentor_available",
    "comfort",
    "goals_clear",
)


def mentee_answers(value, **extra):
    answers = dict.fromkeys(SCALE, value)
    answers.update({"continue": 1, "changes": [0, 1]})
    answers.update(extra)
    return answers


def answered(school, run, n, value=5, **extra):
    questionnaire = standard("mentee_satisfaction")
    for _ in range(n):
        respond(school, run, questionnaire, mentee_answers(value, **extra))


def test_hide_small_groups_hides_until_the_hidden_reach_five():
    assert hide_small_groups({1: 6, 2: 3, 3: 8}) == {2, 1}
    assert hide_small_groups({1: 6, 2: 8}) == set()
    assert hide_small_groups({1: 2, 2: 3, 3: 9}) == {1, 2}
    assert hide_small_groups({1: 0, 2: 7}) == set()


def test_municipal_results_per_question_and_school(client, cast):
    run = campaign(cast.muni)
    third = OrganizationFactory(parent=cast.muni, slug="school-a3", short_name="Школа А3")
    with tenant_scope(third):
        CampaignSchool.objects.create(organization=third, campaign=run)
    answered(cast.school, run, 6, value=5)
    answered(cast.school2, run, 3, value=2)
    answered(third, run, 8, value=4, improve="Секретный комментарий Иванова")
    invite_only(third, run, standard("mentee_satisfaction"), 2)
    results = unscoped_campaign_results(run, [cast.school, cast.school2, third], per_school=True)
    mentee = next(q for q in results.questionnaires if q.role == "mentee")
    assert mentee.respondents == 17 and not mentee.hidden
    overall = next(r for r in mentee.questions if r.question.code == "overall")
    assert overall.counts == [0, 3, 0, 8, 6]
    assert overall.mean == Decimal("4.00")
    assert overall.high_share == Decimal("82.4")
    changes = next(r for r in mentee.questions if r.question.code == "changes")
    assert changes.answered == 17 and changes.counts[:2] == [17, 17]
    units = {u.organization.pk: u for u in mentee.units}
    # School 2 has 3 respondents; school 1 (the smallest shown) is hidden with it.
    assert units[cast.school2.pk].hidden and units[cast.school.pk].hidden
    assert not units[third.pk].hidden and units[third.pk].means[0] == Decimal("4.00")
    rates = {r.organization.pk: r for r in results.rates}
    assert (rates[third.pk].invited, rates[third.pk].responded) == (10, 8)
    assert rates[third.pk].rate == Decimal("80.0")

    client.force_login(cast.methodist)
    html = client.get(f"/o/{cast.muni.slug}/indicators/campaigns/{run.pk}/results/").content
    html = html.decode()
    assert "82,4" in html or "82.4" in html
    assert "скрыто: ответивших меньше 5" in html and "скрыто вместе с такой школой" in html
    assert "Секретный комментарий" not in html and "Свободных ответов: 8" in html


def test_a_school_with_fewer_than_5_respondents_sees_nothing_either(client, cast):
    run = campaign(cast.muni)
    answered(cast.school, run, 4)
    with tenant_scope(cast.school):
        row = CampaignSchool.objects.get(campaign=run)
    client.force_login(cast.curator)
    response = client.get(f"/o/{cast.school.slug}/indicators/school-campaigns/{row.pk}/results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "результаты не показываются" in html
    answered(cast.school, run, 1)
    html = client.get(
        f"/o/{cast.school.slug}/indicators/school-campaigns/{row.pk}/results/"
    ).content.decode()
    assert (
        "результаты не показываются"
        not in html.split('data-testid="questionnaire-mentee"')[1][:600]
    )


def _growth_campaigns(cast):
    entry = campaign(
        cast.muni,
        stage="entry",
        starts_on=date(YEAR, 2, 1),
        ends_on=date(YEAR, 2, 28),
        mentee_questionnaire=standard("growth_entry"),
        mentor_questionnaire=None,
    )
    final = campaign(
        cast.muni,
        stage="final",
        starts_on=date(YEAR, 11, 1),
        mentee_questionnaire=standard("growth_final"),
        mentor_questionnaire=None,
    )
    codes = ("motivation", "competence", "soft_skills", "self_confidence", "results")
    for i in range(5):
        child = person(cast.school, last_name=f"Растущий{i}")
        respond(
            cast.school, entry, standard("growth_entry"), dict.fromkeys(codes, 2), participant=child
        )
        respond(
            cast.school, final, standard("growth_final"), dict.fromkeys(codes, 4), participant=child
        )
    # Answered only the final: nothing to compare with, not counted.
    respond(cast.school, final, standard("growth_final"), dict.fromkeys(codes, 5))
    return final


def test_growth_is_final_minus_entry(client, cast):
    final = _growth_campaigns(cast)
    client.force_login(cast.methodist)
    html = client.get(f"/o/{cast.muni.slug}/indicators/campaigns/{final.pk}/results/").content
    html = html.decode()
    assert "сопоставлено участников: 5" in html
    assert "+2.00" in html or "+2,00" in html
    assert "Растущий" not in html
    with tenant_scope(cast.school):
        row = CampaignSchool.objects.get(campaign=final)
    url = f"/o/{cast.school.slug}/indicators/school-campaigns/{row.pk}/results/"
    client.force_login(cast.curator)
    own = client.get(url).content.decode()
    assert "Растущий0" in own and "2 → 4 (+2)" in own
    # A methodist at the school's address sees the averages, not the people.
    client.force_login(cast.methodist)
    assert "Растущий0" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("methodist", "muni", 200),
        ("department", "muni", 200),
        ("regional", "region", 404),
        ("other_methodist", "muni", 404),
    ],
)
def test_results_roles(client, cast, who, where, status):
    run = campaign(cast.muni)
    client.force_login(getattr(cast, who))
    org = getattr(cast, where)
    assert client.get(f"/o/{org.slug}/indicators/campaigns/{run.pk}/results/").status_code == status


def test_municipal_results_run_a_fixed_number_of_queries(client, cast):
    run = campaign(cast.muni)
    answered(cast.school, run, 5)
    client.force_login(cast.methodist)
    url = f"/o/{cast.muni.slug}/indicators/campaigns/{run.pk}/results/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(6):
        school = OrganizationFactory(parent=cast.muni, slug=f"extra-{i}")
        with tenant_scope(school):
            CampaignSchool.objects.create(organization=school, campaign=run)
        answered(school, run, 5)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(before) == len(after)


def test_dashboard_links_the_years_campaigns(client, cast):
    run = campaign(cast.muni, title="Мониторинг — ноябрь")
    client.force_login(cast.methodist)
    html = client.get(f"/o/{cast.muni.slug}/indicators/?year={YEAR}").content.decode()
    assert f"/indicators/campaigns/{run.pk}/results/" in html
    client.force_login(cast.curator)
    html = client.get(f"/o/{cast.school.slug}/indicators/?year={YEAR}").content.decode()
    assert "/indicators/school-campaigns/" in html and "Мониторинг — ноябрь" in html
