"""Scheduled jobs decide "today" in the portal's time zone, not the server's.

Beat fires the depersonalisation at 02:30 Moscow time, which is 23:30 UTC of the day
before: in a container on UTC, `date.today()` would run it a day late.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from mentorship.celery import app as celery_app
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant
from registry.services.consent import consent_withdraw, retention_days
from tests.factories import make_consented

# 02:30 on 20 December in Moscow.
LATE_UTC_EVENING = datetime(2026, 12, 19, 23, 30, tzinfo=UTC)
MOSCOW_DAY = date(2026, 12, 20)


@pytest.fixture
def late_utc_evening(monkeypatch, settings):
    assert settings.TIME_ZONE == "Europe/Moscow"
    # The tasks by the names beat knows them, wherever their modules live.
    celery_app.loader.import_default_modules()
    monkeypatch.setattr(timezone, "now", lambda: LATE_UTC_EVENING)
    assert timezone.localdate() == MOSCOW_DAY


def _withdrawn(school, due_on: date, first_name: str) -> Participant:
    person = make_consented(school, first_name=first_name)
    with tenant_scope(school):
        consent_withdraw(
            actor=None,
            consent=person.consents.get(),
            reason="Заявление",
            withdrawn_on=due_on - timedelta(days=retention_days()),
        )
        person.refresh_from_db()
    assert person.depersonalize_after == due_on
    return person


def test_depersonalisation_at_0230_moscow_takes_the_moscow_date(cast, late_utc_evening):
    due_today = _withdrawn(cast.school, MOSCOW_DAY, "Анна")
    due_tomorrow = _withdrawn(cast.school, MOSCOW_DAY + timedelta(days=1), "Вера")

    # As beat calls it: no day given.
    assert celery_app.tasks["registry.depersonalize_due"].delay().get() == 1

    with tenant_scope(cast.school):
        assert Participant.objects.get(pk=due_today.pk).depersonalized_at is not None
        assert Participant.objects.get(pk=due_tomorrow.pk).depersonalized_at is None


@pytest.mark.parametrize(
    "task", ["roadmaps.send_deadline_reminders", "monitoring.send_campaign_reminders"]
)
def test_reminders_at_night_utc_remind_for_the_moscow_date(db, late_utc_evening, task):
    assert celery_app.tasks[task].delay().get()["day"] == MOSCOW_DAY.isoformat()
