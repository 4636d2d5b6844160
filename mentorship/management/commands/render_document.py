"""Render a document from the command line through the same service as the web and tasks.

    manage.py render_document staff_list --org school-40 --out /tmp/staff.pdf
    manage.py render_document school_report --org school-40 --out r.pdf --year 2025 \
        --param programme=3
    manage.py render_document consent_form --org school-40 --out c.pdf \
        --param participant_ids=12,13
    manage.py render_document pair_order --org school-40 --out p.pdf --param pair_ids=5,7
    manage.py render_document curator_order --org school-40 --out приказ.docx

The format follows the extension of `--out`: `.docx` writes the editable Word file of
the same text, for the kinds that have one (orders, the regulation, letters); any other
name writes the PDF.

A parameter named `*_ids` is a comma-separated list of ids, stored as a list of integers
as the web pages store it (the consent forms' people, the order's pairs). An order on
pairs given by id is issued as from the web: its proposed pairs are approved once it is
rendered; without ids it is a print of the year's list that approves nothing.
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


def _param(text: str) -> tuple[str, str | list[int]]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise CommandError(f"Параметр «{text}» должен иметь вид ключ=значение.")
    if key.endswith("_ids"):
        try:
            return key, [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise CommandError(
                f"Параметр «{key}» — номера через запятую, например {key}=3,5,8."
            ) from None
    return key, value


class Command(BaseCommand):
    help = (
        "Формирует документ указанного вида для организации и сохраняет его в файл: "
        "PDF или Word (.docx) — по расширению --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="Вид документа, например staff_list.")
        parser.add_argument("--org", required=True, help="Адрес организации в портале (slug).")
        parser.add_argument(
            "--out", required=True, help="Куда записать: файл .pdf, или .docx — Word."
        )
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
            help=(
                "Параметр документа; можно указать несколько раз. "
                "Списки номеров — через запятую: participant_ids=3,5,8."
            ),
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
        out = Path(options["out"])
        # `.docx`: the Word file; any other name (`.pdf`, none at all): the PDF, as before.
        file_format = "docx" if out.suffix.lower() == ".docx" else "pdf"
        if file_format == "docx" and not kind.has_word:
            raise CommandError(f"Документ «{kind.label}» формируется только в PDF.")
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

        stored = document.word_file if file_format == "docx" else document.file
        try:
            with stored.open("rb") as source:
                out.write_bytes(source.read())
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл «{out}»: {exc.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{document} → {out} ({out.stat().st_size // 1024} КБ) за {elapsed:.2f} с"
            )
        )
