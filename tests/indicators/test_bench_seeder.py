"""The bench seeder, small: `seed_bench --participants` fills schools with people, pairs,
contingents and answers that the dashboard reads (the large run is in benchmarks/)."""

import pytest
from django.core.management import call_command

from mentorship.models import Organization, User
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.bench import seed_indicators
from monitoring.models import Answer
from registry.models import Pair, Participant

pytestmark = pytest.mark.django_db


def test_seed_bench_runs_the_indicator_seeder(client):
    call_command("seed_bench", schools=3, participants=300, slug="mini")
    municipality = Organization.objects.get(slug="mini")
    with unscoped_reads():
        assert Participant.objects.filter(organization__parent=municipality).count() == 300
        assert Pair.objects.filter(organization__parent=municipality).count() == 120
        assert Answer.objects.filter(organization__parent=municipality).count() >= 600
    # Running it again adds nothing.
    assert seed_indicators(municipality, list(municipality.children.all()), participants=300) == {}
    client.force_login(User.objects.get(email="methodist@mini.bench"))
    response = client.get("/o/mini/indicators/?year=2026")
    assert response.status_code == 200
    assert (
        "нет ответов"
        not in response.content.decode().split("Удовлетворённость наставляемых")[1][:400]
    )
