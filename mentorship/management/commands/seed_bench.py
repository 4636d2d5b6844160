"""Seed a large municipality for `make bench`: schools, staff, and what the apps add.

Each app that has something to seed registers a seeder in BENCH_SEEDERS (a dotted path
to a function taking the municipality, its schools and the options), so the same
command grows with the portal instead of each benchmark inventing its own data.

`--region` seeds a whole region instead (issue 17): 45 municipalities, 1,500 schools,
1.5 million participants, ~600,000 pairs and 3 million answers, written with COPY;
`--scale 0.01` makes a hundredth of it for quick runs:

    manage.py seed_bench --region --scale 0.01
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from mentorship.models import Membership, Organization, OrganizationKind, Role, User

# Seeders added by the apps as they land, run in order after the schools exist.
BENCH_SEEDERS: list[str] = [
    # Participants, pairs over five years, contingents and a final campaign's answers.
    "monitoring.indicators.bench.seed_indicators",
]
# The whole region's seeder (`--region`): a function taking the region, its
# municipalities, `participants`, `answers` and `out`.
REGION_SEEDER = "monitoring.indicators.bench_region.seed_region"
REGION_MUNICIPALITIES = 45
REGION_SCHOOLS = 1500
REGION_PARTICIPANTS = 1_500_000
REGION_ANSWERS = 3_000_000


class Command(BaseCommand):
    help = "Создаёт большой муниципалитет для замеров скорости (make bench)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=100)
        parser.add_argument("--participants", type=int, default=0)
        parser.add_argument("--slug", default="bench")
        parser.add_argument(
            "--region",
            action="store_true",
            help="Целый регион: 45 муниципалитетов, 1500 школ, 1,5 млн участников.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Доля размера региона (0.01 — сотая часть, для быстрых прогонов).",
        )

    @transaction.atomic
    def handle(self, *args, schools: int, participants: int, slug: str, **options) -> None:
        started = time.perf_counter()
        if options["region"]:
            scale = options["scale"]
            if not 0 < scale <= 1:
                raise CommandError("--scale — число больше 0 и не больше 1.")
            self._region(slug, scale, started)
            return
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

    def _region(self, slug: str, scale: float, started: float) -> None:
        n_schools = max(round(REGION_SCHOOLS * scale), 2)
        n_munis = min(REGION_MUNICIPALITIES, n_schools)
        region, _ = Organization.objects.get_or_create(
            slug=f"{slug}-oblast",
            defaults={
                "kind": OrganizationKind.REGION,
                "short_name": "Область (замеры)",
                "full_name": "Министерство образования области (замеры)",
            },
        )
        existing = set(
            Organization.objects.filter(slug__startswith=f"{slug}-m").values_list("slug", flat=True)
        )
        Organization.objects.bulk_create(
            [
                Organization(
                    kind=OrganizationKind.MUNICIPALITY,
                    parent=region,
                    slug=f"{slug}-m{m}",
                    short_name=f"Район №{m:02d}",
                    full_name=f"Управление образования района №{m:02d}",
                )
                for m in range(1, n_munis + 1)
                if f"{slug}-m{m}" not in existing
            ]
        )
        municipalities = list(
            Organization.objects.filter(parent=region, kind=OrganizationKind.MUNICIPALITY).order_by(
                "pk"
            )
        )
        by_slug = {m.slug: m for m in municipalities}
        Organization.objects.bulk_create(
            [
                Organization(
                    kind=OrganizationKind.SCHOOL,
                    parent=by_slug[f"{slug}-m{i % n_munis + 1}"],
                    slug=f"{slug}-m{i % n_munis + 1}-s{i + 1}",
                    short_name=f"Школа №{i + 1}",
                    full_name=f"МБОУ «Школа №{i + 1}»",
                )
                for i in range(n_schools)
                if f"{slug}-m{i % n_munis + 1}-s{i + 1}" not in existing
            ],
            batch_size=1000,
        )
        regional, _ = User.objects.get_or_create(email=f"regional@{slug}.bench")
        Membership.objects.get_or_create(user=regional, organization=region, role=Role.REGIONAL)
        created = import_string(REGION_SEEDER)(
            region,
            municipalities,
            participants=round(REGION_PARTICIPANTS * scale),
            answers=round(REGION_ANSWERS * scale),
            out=self.stdout,
        )
        self.stdout.write(
            f"Регион «{region.slug}»: {len(municipalities)} муниципалитетов, {created}; "
            f"заполнено за {time.perf_counter() - started:.1f} с."
        )

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
