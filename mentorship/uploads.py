"""Checks every uploaded office file passes before a parser sees it.

Office files (.docx, .xlsx) are zip archives. A small archive can declare members that
inflate to gigabytes: openpyxl kept busy for 20 s on a 3.6 MB file that inflated to ~1 GB
and produced no error. The central directory declares every member's sizes, and Python's
zipfile stops decompressing a member at its declared size, so reading the declarations
(well under a millisecond) is enough to refuse such a file before parsing it.

The apps turn these exceptions into their own Russian messages: what to say about a
roadmap differs from what to say about a list of pupils.
"""

from __future__ import annotations

import io
import zipfile

__all__ = [
    "MAX_UPLOAD_SIZE",
    "ArchiveUnreadable",
    "SuspiciousArchive",
    "UploadCheckError",
    "megabytes",
    "zip_members",
]

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
MAX_UNCOMPRESSED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 5000
# Tiny members (a 3 KB style sheet of repeated tags) compress far better than 100:1
# without being dangerous; only members above this size must respect the ratio.
RATIO_CHECK_FROM = 1024 * 1024


class UploadCheckError(Exception):
    """Base of the refusals below; carries no user-facing text on purpose."""


class ArchiveUnreadable(UploadCheckError):
    """Starts like a zip archive but is not a readable one (truncated, corrupted)."""


class SuspiciousArchive(UploadCheckError):
    """Declares more uncompressed data than any real office file of ours (a zip bomb)."""


def zip_members(data: bytes) -> list[zipfile.ZipInfo]:
    """The archive's members, after refusing archives that would inflate too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), OSError…
        raise ArchiveUnreadable from exc
    check_declared_sizes(infos)
    return infos


def check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise SuspiciousArchive
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_SIZE:
        raise SuspiciousArchive
    compressed = sum(info.compress_size for info in infos)
    if total >= RATIO_CHECK_FROM and total > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise SuspiciousArchive
    for info in infos:
        if info.file_size < RATIO_CHECK_FROM:
            continue
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise SuspiciousArchive


def megabytes(size: int) -> str:
    """A size in megabytes the Russian way: one decimal, comma separator."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")
