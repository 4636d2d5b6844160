"""Render a document from the command line through the same service as the web and tasks.

    manage.py render_document staff_list --org school-40 --out /tmp/staff.pdf
    manage.py render_document school_report --org school-40 --out r.pdf --year 2025 \
        --param programme=3
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mentorship.documents import kinds
from mentorship.documents.services import document_render, document_request
from mentorship.models import DocumentStatus, Organization


def _param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise CommandError(f"Параметр «{text}» должен иметь вид ключ=значение.")
    return key.strip(), value


class Command(BaseCommand):
    help = "Формирует документ (PDF) указанного вида для организации и сохраняет его в файл."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="Вид документа, например staff_list.")
        parser.add_argument("--org", required=True, help="Адрес организации в портале (slug).")
        parser.add_argument("--out", required=True, help="Куда записать PDF.")
        parser.add_argument(
            "--year",
            type=int,
            help="Год документа: нумерация и дата (31 декабря, если год не текущий).",
        )
        parser.add_argument("--number", help="Номер документа; без него — следующий.")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="КЛЮЧ=ЗНАЧЕНИЕ",
            help="Параметр документа; можно указать несколько раз.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = kinds.get(options["kind"])
        except kinds.UnknownDocumentKind:
            known = ", ".join(k.code for k in kinds.all_kinds()) or "нет"
            raise CommandError(
                f"Неизвестный вид документа «{options['kind']}». Доступные виды: {known}."
            ) from None
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"Организация «{options['org']}» не найдена.")
        if not kind.available_in(organization.kind):
            raise CommandError(
                f"Документ «{kind.label}» не формируется для организации «{organization}»."
            )
        params = dict(_param(p) for p in options["param"])
        date = timezone.localdate()
        if options["year"] and options["year"] != date.year:
            date = datetime.date(options["year"], 12, 31)
        if options["year"]:
            params.setdefault("year", str(options["year"]))

        started = time.perf_counter()
        try:
            # The command is its own worker: no task is queued, the render runs right here.
            document = document_request(
                actor=None,
                organization=organization,
                kind=kind.code,
                params=params,
                number=options["number"],
                date=date,
                schedule=False,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        document = document_render(document.pk)
        elapsed = time.perf_counter() - started
        if document is None or document.status != DocumentStatus.READY:
            error = document.error if document else "документ удалён"
            raise CommandError(f"Документ не сформирован: {error}")

        out = Path(options["out"])
        try:
            with document.file.open("rb") as source:
                out.write_bytes(source.read())
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл «{out}»: {exc.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{document} → {out} ({out.stat().st_size // 1024} КБ) за {elapsed:.2f} с"
            )
        )
