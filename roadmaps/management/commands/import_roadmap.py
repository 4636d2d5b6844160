"""manage.py import_roadmap FILE --org SLUG: the web import's services, from a terminal.

Prints what was read (Russian counts, or the parsed roadmap as JSON with --json) and,
unless --dry-run, creates the roadmap as a draft of the organisation. Any error exits
non-zero with a Russian message before anything is written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.importing import RoadmapFileError
from roadmaps.services.importing import (
    ImportPreview,
    PreviewActivity,
    preview_import,
    roadmap_import,
)


def _period(value: str) -> tuple[date, date]:
    try:
        first, last = (date.fromisoformat(part.strip()) for part in value.split(":"))
    except ValueError:
        raise CommandError(
            _("Период указывается как ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, например 2023-09-01:2024-08-31.")
        ) from None
    if last < first:
        raise CommandError(_("Окончание периода раньше его начала."))
    return first, last


def _period_text(preview: ImportPreview) -> str:
    start, end = (date.fromisoformat(preview[k]) for k in ("period_start", "period_end"))
    document = preview["document_period"]
    source = {
        "form": _("указан в --period"),
        "title": _("из заголовка документа"),
        "heading": _("из документа"),
        "dates": _("по датам мероприятий"),
        "school_year": _("текущий учебный год: в документе нет ни периода, ни дат"),
    }[preview["period_source"]]
    if document and document["text"] and preview["period_source"] in ("title", "heading"):
        source += f" «{document['text']}»"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y} ({source})"


def _activity_json(a: PreviewActivity) -> dict[str, Any]:
    return {
        "number": a["number"],
        "title": a["title"],
        "responsible": a["responsible"],
        "deadline_text": a["deadline_text"],
        "deadline_kind": a["deadline_kind"],
        "due_dates": a["due_dates"],
        "out_of_period": a["out_of_period"],
        "children": [_activity_json(c) for c in a["children"]],
    }


def roadmap_json(preview: ImportPreview) -> dict[str, Any]:
    return {
        "title": preview["title"],
        "period": {
            "start": preview["period_start"],
            "end": preview["period_end"],
            "source": preview["period_source"],
        },
        "sections": [
            {
                "title": s["title"],
                "for_every_school": s["for_every_school"],
                "activities": [_activity_json(a) for a in s["activities"]],
            }
            for s in preview["sections"]
        ],
    }


class Command(BaseCommand):
    help = "Импорт дорожной карты из файла .docx или .xlsx в организацию."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Файл дорожной карты (.docx или .xlsx)")
        parser.add_argument("--org", required=True, help="Адрес (slug) организации")
        parser.add_argument(
            "--dry-run", action="store_true", help="Только прочитать, не записывать"
        )
        parser.add_argument("--json", action="store_true", help="Вывести прочитанное как JSON")
        parser.add_argument("--title", default="", help="Наименование (по умолчанию из файла)")
        parser.add_argument(
            "--period",
            help="Период ГГГГ-ММ-ДД:ГГГГ-ММ-ДД (по умолчанию — из документа: его заголовка "
            "или дат)",
        )
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="Сохранить, даже если такая дорожная карта уже есть",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(_("Организация «%(slug)s» не найдена.") % {"slug": options["org"]})
        start, end = _period(options["period"]) if options["period"] else (None, None)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Не удалось открыть файл «%(name)s»: %(error)s")
                % {"name": path, "error": exc.strerror or exc}
            ) from None
        try:
            preview = preview_import(data, path.name, period_start=start, period_end=end)
        except RoadmapFileError as exc:
            raise CommandError(exc.message) from None

        # With --json, stdout carries only the JSON; everything else goes to stderr.
        notes = self.stderr if options["json"] else self.stdout
        if options["json"]:
            self.stdout.write(json.dumps(roadmap_json(preview), ensure_ascii=False, indent=2))
        else:
            self._print_counts(preview)
        if options["dry_run"]:
            notes.write(_("Проверка без записи (--dry-run): в базу ничего не записано."))
            return
        try:
            with tenant_scope(organization):
                roadmap = roadmap_import(
                    actor=None,
                    organization=organization,
                    preview=preview,
                    title=options["title"],
                    period_start=date.fromisoformat(preview["period_start"]),
                    period_end=date.fromisoformat(preview["period_end"]),
                    confirm_duplicate=options["allow_duplicate"],
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        notes.write(
            _("Создана дорожная карта «%(title)s» (№ %(id)s, черновик) в «%(org)s».")
            % {"title": roadmap.title, "id": roadmap.pk, "org": organization.short_name}
        )

    def _print_counts(self, preview: ImportPreview) -> None:
        counts = preview["counts"]
        self.stdout.write(_("Наименование: %(title)s") % {"title": preview["title"]})
        self.stdout.write(_("Период: %(period)s") % {"period": _period_text(preview)})
        self.stdout.write(_("Разделов: %(n)s") % {"n": counts["sections"]})
        self.stdout.write(_("Мероприятий (с подпунктами): %(n)s") % {"n": counts["activities"]})
        self.stdout.write(_("Сроков требуют уточнения: %(n)s") % {"n": counts["unclear"]})
        self.stdout.write(
            _("Сроков вне периода дорожной карты: %(n)s") % {"n": counts["out_of_period"]}
        )
        for warning in preview["warnings"]:
            self.stdout.write(_("Замечание: %(text)s") % {"text": warning})
