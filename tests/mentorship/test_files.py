"""Uploads are opened, not only sniffed; damaged archives are refused, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mentorship.files import ArchiveUnreadable, SuspiciousArchive, check_evidence, xlsx_rows
from tests.factories import MINIMAL_PDF
from tests.fuzz import docx, mutations, png


def _upload(data: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Фамилия", "Имя", "Дата рождения"])
    for n in range(30):
        sheet.append([f"Иванов{n}", "Пётр", "01.02.2012"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_real_scans_pass():
    assert check_evidence(_upload(MINIMAL_PDF)) == "pdf"
    assert check_evidence(_upload(png(), "scan.png")) == "png"
    assert check_evidence(_upload(docx(), "order.docx")) == "docx"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "PDF повреждён"),
        (b"\x89PNG\r\n\x1a\n<html><body>not an image</body></html>", "Изображение повреждено"),
        (png()[:60], "Изображение повреждено"),
        (MINIMAL_PDF[:40], "PDF повреждён"),
    ],
    ids=["pdf-then-html", "png-then-html", "truncated-png", "truncated-pdf"],
)
def test_a_file_that_only_starts_like_a_scan_is_refused(data, reason):
    """Issue 11: `%PDF-` or a PNG signature continuing as HTML was accepted."""
    with pytest.raises(ValidationError) as info:
        check_evidence(_upload(data))
    assert reason in str(info.value)


def test_a_docx_with_a_bad_crc_is_refused():
    data = bytearray(docx())
    # Flip a byte inside the compressed body of word/document.xml.
    at = data.index(b"word/document.xml") + 60
    data[at] ^= 0xFF
    with pytest.raises(ValidationError) as info:
        check_evidence(_upload(bytes(data), "order.docx"))
    assert "Word" in str(info.value)


def test_damaged_workbooks_raise_only_the_refusals_the_apps_translate():
    """A fuzz of byte flips, truncation and CRC damage: every outcome is rows or one of
    our two refusals, never BadZipFile, zlib.error or EOFError escaping (a 500)."""
    original = _xlsx()
    outcomes = {"rows": 0, "refused": 0}
    for data in mutations(original, 300, seed=11):
        try:
            list(xlsx_rows(data))
            outcomes["rows"] += 1
        except (ArchiveUnreadable, SuspiciousArchive):
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100


def test_damaged_scans_are_refused_in_russian_never_raised_otherwise():
    for original, name in ((MINIMAL_PDF, "s.pdf"), (png(), "s.png"), (docx(), "s.docx")):
        for data in mutations(original, 120, seed=5):
            try:
                check_evidence(_upload(data, name))
            except ValidationError as exc:
                assert exc.message_dict["evidence_file"]
