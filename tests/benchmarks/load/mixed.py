"""Seed a municipality for the mixed-load benchmark and say who logs in where.

`python tests/benchmarks/load/mixed.py SCHOOLS PARTICIPANTS` (with DATABASE_URL of a
scratch database, migrated) fills the bench municipality through `seed_bench` (schools,
staff, participants, pairs over five years, contingents, a campaign's answers), adds a
municipal roadmap of 60 activities cascaded to every school and a department user, gives
the staff one password, and prints JSON for the locustfile: the logins with their
organisation, a sample of each school's people and pairs, and the roadmap.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

PASSWORD = "bench-password-12345"  # noqa: S105 - a scratch database's staff


def seed(schools: int, participants: int) -> dict:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    django.setup()
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from mentorship.models import Membership, Organization, Role, User
    from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
    from registry.models import Pair, Participant
    from roadmaps.services import authoring, cascade

    started = time.perf_counter()
    call_command("seed_bench", schools=schools, participants=participants, stdout=sys.stderr)
    municipality = Organization.objects.get(slug="bench")
    methodist = User.objects.get(email="methodist@bench.bench")
    department, _ = User.objects.get_or_create(
        email="department@bench.bench", defaults={"last_name": "Управление"}
    )
    Membership.objects.get_or_create(
        user=department, organization=municipality, role=Role.DEPARTMENT
    )
    with tenant_scope(municipality):
        roadmap = authoring.roadmap_create(
            actor=methodist,
            organization=municipality,
            title="Дорожная карта внедрения целевой модели наставничества",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        for s in range(6):
            section = authoring.section_create(
                actor=methodist, roadmap=roadmap, title=f"Этап {s + 1}", for_every_school=True
            )
            for a in range(10):
                authoring.activity_create(
                    actor=methodist,
                    section=section,
                    title=f"Мероприятие {s + 1}.{a + 1}",
                    deadline_text=["март 2027", "ноябрь 2026", "1 раз в квартал"][a % 3],
                )
        cascade.roadmap_cascade(actor=methodist, roadmap=roadmap)
    User.objects.filter(email__endswith="@bench.bench").update(password=make_password(PASSWORD))
    # Statistics, as autovacuum would gather on a live server (it is off on some, and a
    # scratch database seeded in bulk has none): the planner otherwise guesses one row
    # for the 100,000 answers and sorts them on disk.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    curators = []
    with unscoped_reads():
        for membership in Membership.objects.filter(
            role=Role.CURATOR, organization__parent=municipality
        ).select_related("user", "organization"):
            school = membership.organization
            people = list(
                Participant.objects.filter(organization=school).values_list("pk", flat=True)[:20]
            )
            pairs = list(Pair.objects.filter(organization=school).values_list("pk", flat=True)[:10])
            curators.append(
                {
                    "email": membership.user.email,
                    "org": school.slug,
                    "people": people,
                    "pairs": pairs,
                }
            )
    return {
        "password": PASSWORD,
        "municipality": municipality.slug,
        "methodist": methodist.email,
        "department": department.email,
        "roadmap": roadmap.pk,
        "curators": curators,
        "seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]), int(sys.argv[2]))))
