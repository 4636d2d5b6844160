"""Recognise the file by its content and refuse what is unsafe to open."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext_lazy as _

from .parsed import RoadmapFileError

__all__ = ["MAX_FILE_SIZE", "MAX_UNCOMPRESSED_SIZE", "detect_format"]

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_UNCOMPRESSED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 5000
# Tiny members (a 3 KB style sheet of repeated tags) compress far better than 100:1
# without being dangerous; only members above this size must respect the ratio.
RATIO_CHECK_FROM = 1024 * 1024

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
            size=_megabytes(len(data)),
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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), OSError…
        raise RoadmapFileError(
            _(
                "Файл повреждён: его не удаётся открыть как документ Word или Excel. "
                "Пересохраните его и загрузите снова."
            )
        ) from exc
    _check_sizes(infos)
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise RoadmapFileError(NOT_OFFICE)


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse archives that would inflate to an unreasonable size (zip bombs).

    Only the sizes declared in the central directory are read here; Python's zipfile
    stops decompressing a member at its declared size, so the declaration binds.
    """
    suspicious = _(
        "Файл отклонён: внутри архива документа слишком много сжатых данных "
        "(так выглядят «zip-бомбы»). Если это настоящая дорожная карта, пересохраните её "
        "в Word или Excel и загрузите снова."
    )
    if len(infos) > MAX_MEMBERS:
        raise RoadmapFileError(suspicious)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_SIZE:
        raise RoadmapFileError(suspicious)
    compressed = sum(info.compress_size for info in infos)
    if total >= RATIO_CHECK_FROM and total > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise RoadmapFileError(suspicious)
    for info in infos:
        if info.file_size < RATIO_CHECK_FROM:
            continue
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise RoadmapFileError(suspicious)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")
