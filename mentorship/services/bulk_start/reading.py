"""Reading the uploaded workbook into rows: the header found by name, cells as text."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from mentorship.files import MAX_UPLOAD_SIZE, ArchiveUnreadable, SuspiciousArchive, xlsx_rows

from .columns import ALIASES, COLUMNS, KEYS, MAX_ROWS


class BulkFileError(Exception):
    """The file as a whole cannot be read as a list of schools; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _normal(header: object) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().strip("*").strip().lower()


HEADERS = {_normal(c.header): c.key for c in COLUMNS} | ALIASES


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an INN typed as a number comes back as 1650000049.0
    return re.sub(r"\s+", " ", str(value)).strip()


def read_rows(data: bytes) -> list[dict]:
    """The list's rows as {"row": number, <column key>: text}; BulkFileError in Russian
    for a file that is not a readable list (damaged, not Excel, no header, too long)."""
    if len(data) > MAX_UPLOAD_SIZE:
        raise BulkFileError(_("Файл больше 10 МБ: разделите список на части."))
    if not data.startswith(b"PK"):
        raise BulkFileError(
            _("Загрузите таблицу Excel (.xlsx): удобнее всего заполнить наш шаблон.")
        )
    try:
        sheet = list(xlsx_rows(data, max_columns=40))
    except SuspiciousArchive:
        raise BulkFileError(
            _("Файл слишком велик после распаковки: это не похоже на список школ.")
        ) from None
    except ArchiveUnreadable:
        raise BulkFileError(
            _("Файл повреждён или это не таблица Excel. Сохраните его заново в формате .xlsx.")
        ) from None
    header_at, mapping = _find_header(sheet)
    rows = []
    for number, values in sheet[header_at + 1 :]:
        row = {key: _cell(values[i]) if i < len(values) else "" for i, key in mapping.items()}
        if not any(row.values()):
            continue
        rows.append({"row": number, **{k: row.get(k, "") for k in KEYS}})
    if not rows:
        raise BulkFileError(_("В файле нет ни одной строки со школой под заголовками."))
    if len(rows) > MAX_ROWS:
        raise BulkFileError(
            _("В файле больше %(max)s строк: разделите список на части.") % {"max": MAX_ROWS}
        )
    return rows


def _find_header(sheet: list[tuple[int, list]]) -> tuple[int, dict[int, str]]:
    """The header row among the first ten: the one naming the required columns."""
    required = {c.key for c in COLUMNS if c.required}
    for index, (_number, values) in enumerate(sheet[:10]):
        mapping = {}
        for i, value in enumerate(values):
            key = HEADERS.get(_normal(value))
            if key and key not in mapping.values():
                mapping[i] = key
        if required <= set(mapping.values()):
            return index, mapping
    names = ", ".join(f"«{c.header}»" for c in COLUMNS if c.required)
    raise BulkFileError(
        _("Не найдена строка заголовков со столбцами %(names)s. Скачайте шаблон и заполните его.")
        % {"names": names}
    )
