"""manage.py import_registry FILE --org SLUG [--dry-run] [--json]

The web import's service from a terminal: the same checks, all or nothing. Any error
(a bad file, one bad row) exits non-zero and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from registry.services.importing import (
    ERROR,
    RegistryFileError,
    read_table,
    registry_import,
    report_rows_json,
)


class Command(BaseCommand):
    help = "Загружает реестр наставников и наставляемых школы из .xlsx или .csv (всё или ничего)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Файл .xlsx или .csv")
        parser.add_argument("--org", required=True, help="Адрес (slug) школы, например school-40")
        parser.add_argument(
            "--dry-run", action="store_true", help="Только проверить, ничего не записывать"
        )
        parser.add_argument(
            "--json", action="store_true", help="Вывести результат по строкам в JSON"
        )

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None or not organization.is_educational:
            raise CommandError(
                _("Школа с адресом «%(slug)s» не найдена.") % {"slug": options["org"]}
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Не удаётся прочитать файл %(path)s.") % {"path": path}) from exc

        try:
            table = read_table(data, path.name)
        except RegistryFileError as exc:
            if options["json"]:
                failure = {"row": None, "status": "error", "errors": [exc.message], "name": ""}
                self.stdout.write(json.dumps([failure], ensure_ascii=False, indent=2))
            raise CommandError(exc.message) from exc

        with tenant_scope(organization):
            report = registry_import(
                actor=None,
                organization=organization,
                table=table,
                dry_run=options["dry_run"],
                actor_label="manage.py import_registry",
            )

        if options["json"]:
            self.stdout.write(json.dumps(report_rows_json(report), ensure_ascii=False, indent=2))
        else:
            self._describe(report)
        counts = report.counts
        if not report.ok:
            raise CommandError(
                _("Ничего не записано: строк с ошибками — %(n)s из %(total)s.")
                % {"n": counts[ERROR], "total": counts["total"]}
                if counts[ERROR]
                else " ".join(report.general_errors)
            )
        if options["dry_run"]:
            message = _(
                "Проверка пройдена: новых %(new)s, уже в реестре %(matched)s. Ничего не записано."
            )
        else:
            message = _("Реестр загружен: добавлено %(new)s, обновлено %(matched)s.")
        # With --json, stdout carries the JSON only.
        out = self.stderr if options["json"] else self.stdout
        out.write(self.style.SUCCESS(message % counts))

    def _describe(self, report) -> None:
        for column in report.ignored_columns:
            self.stdout.write(
                _("Столбец «%(c)s» пропущен: он не относится к реестру.") % {"c": column}
            )
        for row in report.rows:
            if row.status == ERROR:
                for error in row.errors:
                    self.stdout.write(
                        _("Строка %(row)s (%(name)s): %(error)s")
                        % {"row": row.row, "name": row.name or "—", "error": error}
                    )
        for error in report.general_errors:
            self.stdout.write(error)
