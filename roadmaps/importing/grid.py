"""Word and Excel tables as plain grids of cells.

Both formats become the same thing: a list of ``Table``s, each a list of rows of ``Cell``s
on the layout grid. A merged cell appears in every grid position it covers, as the same
``Cell`` (same ``key``); the positions below its first row are marked ``continued``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

__all__ = ["Cell", "Table", "clean_text", "docx_tables", "xlsx_tables"]

MAX_ROWS = 5000
MAX_COLUMNS = 40


@dataclass(eq=False)
class Cell:
    key: object  # identity of the underlying cell: merged positions share it
    text: str
    continued: bool = False  # a lower row of a vertically merged cell

    def below(self) -> Cell:
        """The same merged cell as seen from the next row down."""
        return Cell(self.key, self.text, continued=True)


@dataclass
class Table:
    index: int  # 1-based, in document order (sheets count as tables)
    rows: list[list[Cell]]
    before: list[str] = field(default_factory=list)  # paragraphs since the previous table
    sheet: str = ""  # Excel sheet name


def clean_text(raw: str) -> str:
    """Cell text as written: lines stripped of surrounding spaces, empty lines dropped."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return "\n".join(line.strip() for line in raw.split("\n") if line.strip())


def _square(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend(Cell(object(), "") for _ in range(width - len(row)))
    return rows


# --------------------------------------------------------------------------- Word


def docx_tables(data: bytes) -> list[Table]:
    import docx  # python-docx
    from docx.table import Table as DocxTable

    document = docx.Document(io.BytesIO(data))
    tables: list[Table] = []
    before: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            rows = _docx_rows(block)
            tables.append(Table(index=len(tables) + 1, rows=rows, before=before))
            before = []
        else:
            text = clean_text(block.text)
            if text:
                before.append(text)
    return tables


def _docx_rows(table) -> list[list[Cell]]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    def text_of(tc) -> str:
        return clean_text("\n".join(Paragraph(p, table).text for p in tc.iter(qn("w:p"))))

    rows: list[list[Cell]] = []
    previous: list[Cell] = []
    for tr in table._tbl.tr_lst[:MAX_ROWS]:
        row: list[Cell] = [Cell(object(), "") for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            column = len(row)
            if tc.vMerge == "continue" and column < len(previous):
                cell = previous[column].below()
            else:
                cell = Cell(tc, text_of(tc))
            row.extend([cell] * span)
            if len(row) >= MAX_COLUMNS:
                break
        rows.append(row[:MAX_COLUMNS])
        previous = row
    return _square(rows)


# --------------------------------------------------------------------------- Excel


def xlsx_tables(data: bytes) -> list[Table]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    tables: list[Table] = []
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = _xlsx_rows(sheet)
            if rows:
                tables.append(Table(index=len(tables) + 1, rows=rows, sheet=sheet.title))
    finally:
        workbook.close()
    return tables


def _xlsx_rows(sheet) -> list[list[Cell]]:
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLUMNS)
    merged: dict[tuple[int, int], Cell] = {}
    for area in sheet.merged_cells.ranges:
        top = Cell(("merged", area.min_row, area.min_col), "")
        top.text = _value_text(sheet.cell(area.min_row, area.min_col).value)
        for r in range(area.min_row, min(area.max_row, max_row) + 1):
            for c in range(area.min_col, min(area.max_col, max_col) + 1):
                merged[(r, c)] = top if r == area.min_row else top.below()
    rows: list[list[Cell]] = []
    for r, values in enumerate(
        sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True), 1
    ):
        row = []
        for c, value in enumerate(values, 1):
            cell = merged.get((r, c))
            row.append(cell if cell is not None else Cell((r, c), _value_text(value)))
        rows.append(row)
    while rows and not any(cell.text for cell in rows[-1]):
        rows.pop()
    return _square(rows)


def _value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return clean_text(str(value))
