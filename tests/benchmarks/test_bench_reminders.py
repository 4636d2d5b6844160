"""The morning reminder scan over 100 schools × 1000 activities must finish in under 10 s.

Run by `make bench` only (marker `bench`); prints its figure for the closing notes.
"""

import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from mentorship.models import Membership, Organization, Role
from mentorship.tenancy.scoping import unscoped_reads
from roadmaps.models import (
    Activity,
    ActivityDueDate,
    ActivityStatus,
    Roadmap,
    RoadmapStatus,
    Section,
)
from roadmaps.services.reminders import send_reminders

pytestmark = pytest.mark.bench

DAY = date(2026, 10, 1)
PER_SCHOOL = 1000


def _seed_activities(schools: list[Organization]) -> None:
    """1000 activities a school: due over the next 30 days, every tenth overdue, a few
    done; most have the school's curator as responsible, the rest fall back to curators."""
    curator_of = dict(
        Membership.objects.filter(organization__in=schools, role=Role.CURATOR).values_list(
            "organization_id", "user_id"
        )
    )
    with unscoped_reads():
        roadmaps = Roadmap.objects.bulk_create(
            Roadmap(
                organization=s,
                title=f"Дорожная карта {s.short_name}",
                period_start=date(2026, 9, 1),
                period_end=date(2027, 8, 31),
                status=RoadmapStatus.APPROVED,
            )
            for s in schools
        )
        sections = Section.objects.bulk_create(
            Section(organization_id=r.organization_id, roadmap=r, title="Мероприятия")
            for r in roadmaps
        )
        activities = []
        for section in sections:
            for i in range(PER_SCHOOL):
                due = DAY - timedelta(1 + i % 20) if i % 10 == 0 else DAY + timedelta(i % 30)
                activities.append(
                    Activity(
                        organization_id=section.organization_id,
                        roadmap_id=section.roadmap_id,
                        section=section,
                        position=i,
                        number=str(i + 1),
                        title=f"Мероприятие дорожной карты № {i + 1}",
                        status=ActivityStatus.DONE if i % 50 == 7 else ActivityStatus.NOT_STARTED,
                        due_date=due,
                    )
                )
        Activity.objects.bulk_create(activities, batch_size=5000)
        ActivityDueDate.objects.bulk_create(
            (
                ActivityDueDate(organization_id=a.organization_id, activity=a, due_on=a.due_date)
                for a in activities
            ),
            batch_size=5000,
        )
        through = Activity.responsible_users.through
        through.objects.bulk_create(
            (
                through(activity_id=a.pk, user_id=curator_of[a.organization_id])
                for a in activities
                if a.position % 4
            ),
            batch_size=5000,
        )


def test_reminder_scan_over_100000_activities(db):
    call_command("seed_bench", schools=100, participants=0)
    schools = list(Organization.objects.filter(parent__slug="bench").order_by("pk"))
    assert len(schools) == 100
    _seed_activities(schools)

    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        started = time.perf_counter()
        report = send_reminders(day=DAY)
        seconds = time.perf_counter() - started

    activities = len(schools) * PER_SCHOOL
    print(
        f"\nBENCH reminder scan over {activities} activities: {seconds:.2f} s, "
        f"{len(mail.outbox)} e-mails ({report.items} items, {len(queries)} queries)"
    )
    assert len(mail.outbox) == 100 and report.users_mailed == 100
    assert report.failed_users == 0 and report.skipped == 0
    assert seconds < 10
