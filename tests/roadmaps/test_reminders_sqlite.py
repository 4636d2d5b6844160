"""The reminders on the embedded default (SQLite), which once crashed on PostgreSQL's
`::bigint[]` array cast: the same code runs there, in a process of its own.

The suite's database is PostgreSQL, so this starts manage.py-like processes against a
temporary SQLite file (VAR_DIR), as `make run` would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from datetime import date
import django
django.setup()
from django.core import mail
from django.core.management import call_command
from django.db import connection
from mentorship.models import Organization, OrganizationKind, Role
from mentorship.notifications.models import Notification
from mentorship.tenancy.scoping import tenant_scope
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.roadmaps.test_reminders import make_activity, make_plan

assert connection.vendor == "sqlite", connection.vendor
call_command("migrate", verbosity=0)
muni = OrganizationFactory(kind=OrganizationKind.MUNICIPALITY, slug="muni")
school = OrganizationFactory(parent=muni, slug="school")
curator = UserFactory(email="curator@school.test")
MembershipFactory(user=curator, organization=school, role=Role.CURATOR)
methodist = UserFactory(email="methodist@muni.test")
plan = make_plan(school)
make_activity(plan, "Assigned", date(2026, 9, 15), responsible=[methodist])
make_activity(plan, "Overdue", date(2026, 9, 1), responsible=[methodist, curator])
make_activity(plan, "Nobody assigned: the curator steps in", date(2026, 9, 18))
call_command("send_reminders", "--date", "2026-09-14")
call_command("send_reminders", "--date", "2026-09-14")
print(json.dumps({
    "notifications": sorted(Notification.objects.values_list("user__email", "title")),
}))
"""


def test_send_reminders_runs_on_the_embedded_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT"}
    }
    env.update(
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mentorship.settings",
        PYTHONPATH=str(ROOT),
        # Mail stays in memory: the script's stdout carries only its JSON.
        EMAIL_URL="memorymail://",
        PYTHONWARNINGS="ignore",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1])
    # Sent once although the command ran twice, to the responsible people or the curator.
    assert data["notifications"] == [
        ["curator@school.test", "Nobody assigned: the curator steps in"],
        ["curator@school.test", "Overdue"],
        ["methodist@muni.test", "Assigned"],
        ["methodist@muni.test", "Overdue"],
    ]
    assert (tmp_path / "db.sqlite3").exists()
