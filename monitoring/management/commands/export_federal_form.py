"""Write the region's federal form for a quarter as .xlsx:

manage.py export_federal_form --org REGION --year 2026 --quarter 3 --out form.xlsx
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mentorship.models import Organization
from monitoring.indicators.definitions import FIRST_YEAR
from monitoring.indicators.documents.federal import federal_workbook
from monitoring.indicators.selectors.federal import (
    FederalFormError,
    check_period,
    unscoped_federal_form,
)


class Command(BaseCommand):
    help = "Формирует федеральную форму мониторинга региона за квартал (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Адрес региона в портале (slug).")
        parser.add_argument("--year", required=True)
        parser.add_argument("--quarter", required=True)
        parser.add_argument("--out", required=True, help="Файл .xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"Организация «{options['org']}» не найдена.")
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("Форма записывается в файл .xlsx.")
        started = time.perf_counter()
        try:
            year, quarter = check_period(
                options["year"],
                options["quarter"],
                first=FIRST_YEAR,
                last=timezone.localdate().year + 1,
            )
            form = unscoped_federal_form(organization, year, quarter)
        except FederalFormError as exc:
            raise CommandError(str(exc)) from None
        try:
            out.write_bytes(federal_workbook(form))
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл «{out}»: {exc.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Федеральная форма {organization.slug}, {quarter} кв. {year} → {out} "
                f"за {time.perf_counter() - started:.2f} с"
            )
        )
