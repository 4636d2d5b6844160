"""Seed a large municipality for `make bench`: schools, staff, and what the apps add.

Each app that has something to seed registers a seeder in BENCH_SEEDERS (a dotted path
to a function taking the municipality, its schools and the options), so the same
command grows with the portal instead of each benchmark inventing its own data.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from mentorship.models import Membership, Organization, OrganizationKind, Role, User

# Seeders added by the apps as they land, run in order after the schools exist.
BENCH_SEEDERS: list[str] = [
    # Participants, pairs over five years, contingents and a final campaign's answers.
    "monitoring.indicators.bench.seed_indicators",
]


class Command(BaseCommand):
    help = "Создаёт большой муниципалитет для замеров скорости (make bench)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=100)
        parser.add_argument("--participants", type=int, default=0)
        parser.add_argument("--slug", default="bench")

    @transaction.atomic
    def handle(self, *args, schools: int, participants: int, slug: str, **options) -> None:
        started = time.perf_counter()
        region, _ = Organization.objects.get_or_create(
            slug=f"{slug}-region",
            defaults={
                "kind": OrganizationKind.REGION,
                "short_name": "Регион (замеры)",
                "full_name": "Регион для замеров",
            },
        )
        municipality, _ = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": OrganizationKind.MUNICIPALITY,
                "parent": region,
                "short_name": "Муниципалитет (замеры)",
                "full_name": "Муниципалитет для замеров скорости",
            },
        )
        existing = set(municipality.children.values_list("slug", flat=True))
        new_schools = [
            Organization(
                kind=OrganizationKind.SCHOOL,
                parent=municipality,
                slug=f"{slug}-school-{i}",
                short_name=f"Школа №{i}",
                full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Школа №{i}»",
            )
            for i in range(1, schools + 1)
            if f"{slug}-school-{i}" not in existing
        ]
        Organization.objects.bulk_create(new_schools, batch_size=1000)
        school_list = list(municipality.children.order_by("pk"))
        self._staff(municipality, school_list, slug)
        for path in BENCH_SEEDERS:
            import_string(path)(municipality, school_list, participants=participants)
        self.stdout.write(
            f"Муниципалитет «{slug}»: {len(school_list)} школ; "
            f"заполнено за {time.perf_counter() - started:.1f} с."
        )
        if participants and not BENCH_SEEDERS:
            self.stdout.write("Реестр участников ещё не подключён: --participants пропущен.")

    def _staff(self, municipality: Organization, schools: list[Organization], slug: str) -> None:
        methodist, _ = User.objects.get_or_create(email=f"methodist@{slug}.bench")
        Membership.objects.get_or_create(
            user=methodist, organization=municipality, role=Role.METHODIST
        )
        users = {u.email: u for u in User.objects.filter(email__endswith=f"@{slug}.bench")}
        new_users = [
            User(email=f"curator{s.pk}@{slug}.bench", last_name="Куратор", first_name=s.short_name)
            for s in schools
            if f"curator{s.pk}@{slug}.bench" not in users
        ]
        User.objects.bulk_create(new_users, batch_size=1000)
        users = {u.email: u for u in User.objects.filter(email__endswith=f"@{slug}.bench")}
        Membership.objects.bulk_create(
            [
                Membership(
                    user=users[f"curator{s.pk}@{slug}.bench"], organization=s, role=Role.CURATOR
                )
                for s in schools
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
