"""Files in and out: upload checks, content sniffing of evidence scans, a fast sheet
reader, and the formula escape for spreadsheets we write.

Office files (.docx, .xlsx) are zip archives. A small archive can declare members that
inflate to gigabytes: openpyxl kept busy for 20 s on a 3.6 MB file that inflated to ~1 GB
and produced no error. The central directory declares every member's sizes, and Python's
zipfile stops decompressing a member at its declared size, so reading the declarations
(well under a millisecond) is enough to refuse such a file before parsing it.

The apps turn the archive exceptions into their own Russian messages: what to say about
a roadmap differs from what to say about a list of pupils. Evidence (a scanned order, a
signed consent) is checked the same everywhere, so `check_evidence` speaks Russian itself.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from datetime import datetime

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MAX_UPLOAD_SIZE",
    "ArchiveUnreadable",
    "SuspiciousArchive",
    "UploadCheckError",
    "check_evidence",
    "megabytes",
    "safe_cell",
    "xlsx_rows",
    "zip_members",
]

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
MAX_UNCOMPRESSED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 5000
# Tiny members (a 3 KB style sheet of repeated tags) compress far better than 100:1
# without being dangerous; only members above this size must respect the ratio.
RATIO_CHECK_FROM = 1024 * 1024


logger = logging.getLogger(__name__)

# What reading a damaged archive or document can raise, besides the parsers' own errors:
# a bad CRC or flipped compressed bytes surface only while a member is inflated
# (BadZipFile, zlib.error), a truncated stream as EOFError, an encrypted member as
# RuntimeError, an odd compression method as NotImplementedError.
DAMAGED_FILE_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    OverflowError,
    SyntaxError,  # Pillow's plugins report a broken image this way
)


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


# --- Evidence: scans and signed documents ---------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Scans of signed orders and the documents themselves; checked by content, not by name.
ALLOWED_EVIDENCE = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/zip": "docx",  # a .docx is a zip; filetype reports it as such
}


def check_evidence(upload: UploadedFile) -> str:
    """Return a safe extension for the upload or raise a Russian ValidationError.

    The first bytes only say what a file claims to be (`%PDF-` followed by HTML passed
    that test): the file is then opened as what it claims — a PDF must parse and have a
    page, an image must decode, a Word document must be an intact archive with a body.
    The error is keyed `evidence_file` (the roadmaps' field); forms with another field
    name map it with `mentorship.forms.apply_service_errors(..., rename=...)`.
    """
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {"evidence_file": _("Файл больше 10 МБ. Уменьшите скан или загрузите ссылку.")}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_EVIDENCE:
        raise ValidationError(
            {"evidence_file": _("Загрузите PDF, изображение (JPG, PNG, TIFF) или документ Word.")}
        )
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    problem = _unopenable_evidence(kind.mime, data)
    if problem:
        raise ValidationError({"evidence_file": problem})
    return ALLOWED_EVIDENCE[kind.mime]


def _unopenable_evidence(mime: str, data: bytes) -> str | None:
    """Open the file as its type; a Russian reason if it cannot be, else None."""
    if mime == "application/pdf":
        return _pdf_problem(data)
    if mime.startswith("image/"):
        return _image_problem(data)
    return _docx_problem(data)


def _pdf_problem(data: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return _("PDF защищён паролем: загрузите файл без пароля.")
        if len(reader.pages) < 1:
            return _("В PDF нет ни одной страницы.")
        reader.pages[0].mediabox  # noqa: B018 - reading the first page proves it parses
    except (PyPdfError, *DAMAGED_FILE_ERRORS, AttributeError, RecursionError):
        return _("Файл PDF повреждён или не является PDF. Сохраните скан заново.")
    return None


def _image_problem(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 80_000_000  # a 600 dpi A3 scan; more is a decompression bomb
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() skips the pixel data: truncation shows only here
    except (UnidentifiedImageError, Image.DecompressionBombError, *DAMAGED_FILE_ERRORS):
        return _("Изображение повреждено или не открывается. Сохраните скан заново.")
    return None


def _docx_problem(data: bytes) -> str | None:
    try:
        infos = zip_members(data)
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            return _("Архив не является документом Word.")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if any(info.flag_bits & 0x1 for info in infos):
                return _("Документ Word защищён паролем: загрузите файл без пароля.")
            if archive.testzip() is not None:  # reads every member, checking its CRC
                return _("Документ Word повреждён. Сохраните его заново.")
    except SuspiciousArchive:
        return _("Документ Word слишком велик после распаковки.")
    except (UploadCheckError, *DAMAGED_FILE_ERRORS):
        return _("Документ Word повреждён. Сохраните его заново.")
    return None


# --- Writing spreadsheets --------------------------------------------------------------


def safe_cell(text: str) -> str:
    """Keep spreadsheet software from reading user text as a formula (=, +, -, @, tab, CR).

    django-import-export escapes only a leading "="; the others start formulas too.
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- Reading a worksheet ---------------------------------------------------------------
#
# openpyxl's read-only mode parses every cell into objects through the standard library's
# XML parser: ~2.5 s for a 10,000-row list on an idle machine, the largest part of an
# import. Reading the values straight off the XML with lxml takes a third of that. Only
# what a list of people needs is read: values, shared and inline strings, dates by their
# number format. External entities and DTDs are never loaded.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def xlsx_rows(data: bytes, *, max_columns: int = 100):
    """(row number, values) of the workbook's first sheet, for rows that have cells.

    Values are str, int, float, bool, datetime or None, as openpyxl's `values_only` gives
    them. Raises ArchiveUnreadable for anything that is not a readable workbook and
    SuspiciousArchive for a zip bomb (checked before anything is inflated).
    """
    from lxml import etree

    zip_members(data)
    errors = (*DAMAGED_FILE_ERRORS, etree.XMLSyntaxError)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_path, date1904 = _first_sheet(archive)
        shared = _shared_strings(archive)
        date_styles = _date_styles(archive)
        source = archive.open(sheet_path)
    except errors as exc:
        raise ArchiveUnreadable from exc
    try:
        yield from _sheet_rows(source, shared, date_styles, date1904, max_columns)
    except errors as exc:
        raise ArchiveUnreadable from exc
    finally:
        source.close()
        archive.close()


def _xml(archive: zipfile.ZipFile, name: str):
    from lxml import etree

    return etree.fromstring(archive.read(name), _safe_parser())


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    book = _xml(archive, "xl/workbook.xml")
    properties = book.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    rel_id = book.find(f"{_MAIN}sheets/{_MAIN}sheet").get(f"{_REL}id")
    rels = _xml(archive, "xl/_rels/workbook.xml.rels")
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return _part(target), date1904


def _part(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    from lxml import etree

    strings = []
    with archive.open("xl/sharedStrings.xml") as source:
        for _event, item in etree.iterparse(
            source, tag=f"{_MAIN}si", resolve_entities=False, no_network=True, load_dtd=False
        ):
            strings.append(_text(item))
            item.clear()
    return strings


def _text(item) -> str:
    """A string item: plain <t>, or rich-text runs <r><t>; phonetic hints <rPh> skipped."""
    parts = []
    for child in item:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            run = child.find(f"{_MAIN}t")
            parts.append(run.text or "" if run is not None else "")
    return "".join(parts)


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles whose number format shows a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    styles = _xml(archive, "xl/styles.xml")
    formats = dict(BUILTIN_FORMATS)
    for fmt in styles.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt"):
        formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or ""
    dates = set()
    for index, xf in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        number_format = formats.get(int(xf.get("numFmtId") or 0), "")
        if number_format and is_date_format(number_format):
            dates.add(index)
    return dates


def _sheet_rows(source, shared, date_styles, date1904, max_columns):
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    cell_tag, value_tag, inline_tag = f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is"
    previous = 0
    for _event, row in etree.iterparse(
        source, tag=f"{_MAIN}row", resolve_entities=False, no_network=True, load_dtd=False
    ):
        number = int(row.get("r") or previous + 1)
        previous = number
        values: list = []
        for cell in row.iterchildren(cell_tag):
            ref = cell.get("r")
            column = column_index_from_string(ref.rstrip("0123456789")) if ref else len(values) + 1
            if column > max_columns:
                break
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                inline = cell.find(inline_tag)
                value = _text(inline) if inline is not None else None
            else:
                raw = cell.findtext(value_tag)
                if raw is None:
                    value = None
                elif kind == "s":
                    value = shared[int(raw)]
                elif kind == "b":
                    value = raw.strip() in ("1", "true")
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "d":
                    value = datetime.fromisoformat(raw)
                else:
                    value = float(raw) if any(c in raw for c in ".eE") else int(raw)
                    if int(cell.get("s") or 0) in date_styles:
                        value = from_excel(value, epoch)
            values.extend([None] * (column - 1 - len(values)))
            values.append(value)
        # Free what has been read: a long sheet must not build up in memory.
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        if any(v is not None and v != "" for v in values):
            yield number, values
