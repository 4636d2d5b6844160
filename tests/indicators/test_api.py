"""GET /api/v1/o/<slug>/indicators/: the dashboard as JSON, same figures, same roles."""

import pytest
from rest_framework.authtoken.models import Token

from monitoring.indicators.definitions import Indicator
from tests.indicators.conftest import YEAR, contingent, mentor, pair, pupils

pytestmark = pytest.mark.django_db


def api(org):
    return f"/api/v1/o/{org.slug}/indicators/?year={YEAR}"


def test_municipal_indicators_json_hides_what_the_page_hides(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 3))
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 20))
    contingent(cast.school, pupils_10_19=100)
    contingent(cast.school2, pupils_10_19=100)
    client.force_login(cast.methodist)
    data = client.get(api(cast.muni)).json()
    assert data["level"] == "municipality" and data["year"] == YEAR
    total = next(i for i in data["indicators"] if i["code"] == Indicator.PUPIL_MENTEES)
    assert (total["numerator"], total["denominator"], total["share"]) == (23, 200, 11.5)
    assert total["target"] == 70.0 and total["target_year"] == 2024
    assert [t["year"] for t in total["trend"]] == list(range(YEAR - 4, YEAR + 1))
    units = {u["organization"]["slug"]: u["indicators"] for u in data["units"]}
    a1 = units["school-a1"][Indicator.PUPIL_MENTEES]
    assert a1["numerator"] is None and a1["share"] is None and a1["numerator_display"] == "<5"
    # 20 would give the 3 back from the total: hidden with it.
    assert units["school-a2"][Indicator.PUPIL_MENTEES]["numerator_display"] == "скрыто"


def test_no_denominator_is_null_with_the_words(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 8))
    client.force_login(cast.curator)
    data = client.get(api(cast.school)).json()
    figure = next(i for i in data["indicators"] if i["code"] == Indicator.PUPIL_MENTEES)
    assert figure["state"] == "no_denominator" and figure["share"] is None
    assert figure["numerator"] == 8 and data["exact"] is True


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("curator", "school", 200),
        ("viewer", "school", 200),
        ("regional", "school", 403),
        ("methodist", "muni", 200),
        ("regional", "region", 200),
        ("curator", "school2", 404),
        ("other_methodist", "muni", 404),
    ],
)
def test_api_roles(client, cast, who, where, status):
    client.force_login(getattr(cast, who))
    assert client.get(api(getattr(cast, where))).status_code == status


def test_token_auth_and_anonymous(client, cast):
    assert client.get(api(cast.muni)).status_code == 401
    token = Token.objects.create(user=cast.department)
    response = client.get(api(cast.muni), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_schema_lists_the_endpoint(client, cast):
    client.force_login(cast.methodist)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/o/{org_slug}/indicators/" in schema
