"""Structured content (content.py) → an editable Word file (.docx) with python-docx.

Departments edit orders, regulations and letters before signing them, so those kinds come
as Word too. The layout follows the PDF's (documents.css, after GOST R 7.0.97-2016): A4,
margins 20/10/20/20 mm, a serif face at 12 pt, justified text with a 1.25 cm indent, the
page number in the footer. Times New Roman, not PT Serif: it is on every office computer
that will open the file.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from mentorship.documents import content as c

FONT = "Times New Roman"
SIZE = Pt(12)
INDENT = Mm(12.5)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "right": Mm(10), "bottom": Mm(20), "left": Mm(20)}


def _set_font(style, size=SIZE) -> None:
    style.font.name = FONT
    style.font.size = size
    # Cyrillic text is laid out with the «east Asian»/complex font slots too: name all.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word fills it in when it lays the pages out."""
    run = paragraph.add_run()
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _bottom_border(cell: _Cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def _paragraph(container, text: str = "", *, align=None, bold=False, indent=None, size=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = indent
    fmt.space_after = Pt(4)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = size
    return paragraph


def _widths(block: c.Table, text_width: int) -> list[int]:
    count = len(block.headers)
    percents = list(block.widths) or [100 // count] * count
    return [int(text_width * p / 100) for p in percents]


def _table(doc, block: c.Table, text_width: int) -> None:
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _widths(block, text_width)
    for row_index, cells in enumerate((block.headers, *block.rows)):
        row = table.rows[row_index]
        for col, text in enumerate(cells):
            cell = row.cells[col]
            cell.width = widths[col]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(11)
            if row_index == 0:
                run.bold = True
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The header row repeats on every page, as <thead> does in the PDF.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    doc.add_paragraph()


def _pair_line(doc, left: str, right: str, *, text_width: int, signature: bool = False) -> None:
    """Two (three, for a signature) borderless columns: date | number, position | line | name."""
    columns = (45, 25, 30) if signature else (50, 50)
    table = doc.add_table(rows=1, cols=len(columns))
    _no_borders(table)
    texts = (left, "", right) if signature else (left, right)
    for col, (percent, text) in enumerate(zip(columns, texts, strict=True)):
        cell = table.rows[0].cells[col]
        cell.width = int(text_width * percent / 100)
        paragraph = cell.paragraphs[0]
        if text:
            paragraph.add_run(text)
        if col == len(columns) - 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if signature:
        _bottom_border(table.rows[0].cells[1])
    doc.add_paragraph()


def content_to_docx(
    document_content: c.DocumentContent, *, title: str = "", landscape: bool = False
) -> bytes:
    doc = new_docx()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    text_width = section.page_width - MARGINS["left"] - MARGINS["right"]
    section.top_margin, section.right_margin = MARGINS["top"], MARGINS["right"]
    section.bottom_margin, section.left_margin = MARGINS["bottom"], MARGINS["left"]
    _set_font(doc.styles["Normal"])
    doc.core_properties.title = title
    doc.core_properties.author = ""

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Стр. ")
    _field(footer, "PAGE")
    footer.add_run(" из ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)

    for block in document_content.blocks:
        _block(doc, block, text_width)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _block(doc, block: c.Block, text_width: int) -> None:  # noqa: C901 - one branch per block kind
    center = WD_ALIGN_PARAGRAPH.CENTER
    if isinstance(block, c.Letterhead):
        if block.parent:
            _paragraph(doc, block.parent, align=center)
        _paragraph(doc, block.issuer, align=center, bold=True).paragraph_format.space_after = Pt(14)
    elif isinstance(block, c.DocType):
        _paragraph(doc, block.text, align=center, bold=True, size=Pt(14))
    elif isinstance(block, c.RegLine):
        _pair_line(doc, block.date, block.number_text, text_width=text_width)
    elif isinstance(block, c.Title):
        _paragraph(doc, block.text, align=center, bold=True).paragraph_format.space_after = Pt(12)
    elif isinstance(block, c.Heading):
        paragraph = _paragraph(doc, block.text, align=center, bold=True)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(10)
    elif isinstance(block, c.Para):
        _para(doc, block)
    elif isinstance(block, c.Stamp):
        paragraph = _paragraph(doc)
        paragraph.paragraph_format.left_indent = int(text_width * 0.55)
        paragraph.paragraph_format.space_after = Pt(14)
        for index, line in enumerate(block.lines):
            run = paragraph.add_run(line)
            if index < len(block.lines) - 1:
                run.add_break()
    elif isinstance(block, c.Table):
        _table(doc, block, text_width)
    elif isinstance(block, c.Signature):
        doc.add_paragraph()
        _pair_line(doc, block.position, block.name, signature=True, text_width=text_width)
    elif isinstance(block, c.PageBreak):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:  # pragma: no cover - a new block kind must be taught to both writers
        raise TypeError(f"No Word layout for {type(block).__name__}")


def _para(doc, block: c.Para) -> None:
    if block.style == c.CENTER:
        _paragraph(doc, block.text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=block.bold)
    elif block.style == c.BIG:
        _paragraph(
            doc, block.text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=block.bold, size=Pt(16)
        ).paragraph_format.space_after = Pt(12)
    elif block.style == c.VERB:
        paragraph = _paragraph(doc, block.text, bold=True)
        paragraph.paragraph_format.space_before = Pt(8)
    elif block.style == c.PLAIN:
        _paragraph(doc, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=block.bold)
    else:  # BODY, ITEM
        _paragraph(
            doc, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=block.bold, indent=INDENT
        )
