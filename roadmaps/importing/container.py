"""Recognise the file by its content and refuse what is unsafe to open."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mentorship.files import (
    MAX_UNCOMPRESSED_SIZE,
    MAX_UPLOAD_SIZE,
    ArchiveUnreadable,
    SuspiciousArchive,
    megabytes,
    zip_members,
)

from .parsed import RoadmapFileError

__all__ = ["MAX_FILE_SIZE", "MAX_UNCOMPRESSED_SIZE", "detect_format"]

# The limits live in mentorship.files, shared with the registry import.
MAX_FILE_SIZE = MAX_UPLOAD_SIZE

NOT_OFFICE = _(
    "Файл не похож на документ Word (.docx) или таблицу Excel (.xlsx). "
    "Сохраните дорожную карту в одном из этих форматов и загрузите её снова."
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes) -> str:
    """Return "docx" or "xlsx", or raise RoadmapFileError with a Russian explanation."""
    if not data:
        raise RoadmapFileError(_("Файл пустой: в нём нет ни одного байта."))
    if len(data) > MAX_FILE_SIZE:
        raise RoadmapFileError(
            _(
                "Файл слишком большой ({size} МБ). Можно загрузить дорожную карту "
                "размером не больше {limit} МБ."
            ),
            size=megabytes(len(data)),
            limit=MAX_FILE_SIZE // (1024 * 1024),
        )
    if data.startswith(OLE_MAGIC):
        raise RoadmapFileError(
            _(
                "Файл сохранён в старом формате Word или Excel (.doc, .xls). Откройте его и "
                "сохраните как .docx или .xlsx («Файл → Сохранить как»), затем загрузите снова."
            )
        )
    if data.startswith(b"%PDF"):
        raise RoadmapFileError(
            _(
                "Это PDF-файл: из него нельзя надёжно прочитать таблицу. Загрузите исходный "
                "документ Word (.docx) или таблицу Excel (.xlsx)."
            )
        )
    if not data.startswith(b"PK"):
        raise RoadmapFileError(NOT_OFFICE)
    try:
        infos = zip_members(data)
    except ArchiveUnreadable as exc:
        raise RoadmapFileError(
            _(
                "Файл повреждён: его не удаётся открыть как документ Word или Excel. "
                "Пересохраните его и загрузите снова."
            )
        ) from exc
    except SuspiciousArchive as exc:
        raise RoadmapFileError(
            _(
                "Файл отклонён: внутри архива документа слишком много сжатых данных "
                "(так выглядят «zip-бомбы»). Если это настоящая дорожная карта, пересохраните её "
                "в Word или Excel и загрузите снова."
            )
        ) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise RoadmapFileError(NOT_OFFICE)
