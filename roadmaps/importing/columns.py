"""Find a roadmap's header row(s) and which column holds which field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grid import Cell

__all__ = [
    "Header",
    "distinct_texts",
    "find_header",
    "is_column_numbers",
    "is_repeated_header",
    "normalize",
]

HEADER_SEARCH_ROWS = 15

# Checked in this order: the first field whose pattern matches a header line wins, so
# "Форма представления результата" is a document kind before it is a result, and
# "Ответственные исполнители" is a responsible party, not a title.
FIELD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(?:номер|n|no|nn)(?: п ?п)?$|^п ?п$|^номер пункта$")),
    (
        "document_kind",
        re.compile(
            r"вид\w* документ|форм\w* (?:представлени|предоставлени)\w* результат"
            r"|форм\w* отчетност|отчетн\w* документ|подтверждающ\w* документ|локальн\w* акт"
        ),
    ),
    ("expected_result", re.compile(r"результат|критери\w* (?:выполнени|оценк)|показател")),
    (
        "deadline",
        re.compile(r"\bсрок|\bдата\b|\bдаты\b|\bпериод\w*|\bвремя (?:проведени|исполнени)"),
    ),
    ("responsible", re.compile(r"ответствен|исполнител|\bкто отвечает")),
    ("content", re.compile(r"содержани|описани|механизм\w* реализации")),
    (
        "title",
        re.compile(
            r"мероприят|наименование (?:работ|этап|действи|задач)|\bэтап\w*$"
            r"|\bдействи|\bвид\w* деятельности|\bзадач[аи]$"
        ),
    ),
]
FIELD_ORDER = [name for name, _ in FIELD_PATTERNS]
HEADER_COLUMNS = {
    "number": "№",
    "title": "Мероприятие",
    "content": "Содержание",
    "responsible": "Ответственные",
    "deadline": "Сроки",
    "expected_result": "Результат",
    "document_kind": "Вид документа",
}


def normalize(text: str) -> str:
    """Lower case, ё→е, № spelled out, punctuation to spaces, spaces collapsed."""
    text = text.lower().replace("ё", "е").replace("№", " номер ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.replace("_", " ").split())


def match_field(text: str) -> str | None:
    """The field a header cell names, judged line by line, then as a whole."""
    lines = [line for line in text.split("\n") if line.strip()]
    for candidate in [*lines, " ".join(lines)]:
        normalized = normalize(candidate)
        if not normalized or len(normalized) > 80:
            continue
        for name, pattern in FIELD_PATTERNS:
            if pattern.search(normalized):
                return name
    return None


@dataclass
class Header:
    first_row: int  # 0-based index of the first header row
    rows: list[list[Cell]]  # the header rows (one or two)
    columns: dict[str, int]  # field -> column index
    end: int = -1  # index of the first row after the header

    def __post_init__(self) -> None:
        if self.end < 0:
            self.end = self.first_row + len(self.rows)


def is_roadmap_columns(columns: dict[str, int]) -> bool:
    return ("title" in columns or "content" in columns) and (
        "responsible" in columns or "deadline" in columns
    )


def map_columns(header_rows: list[list[Cell]]) -> dict[str, int]:
    """Field per column; in a two-row header the lower, more specific cell decides."""
    columns: dict[str, int] = {}
    used: list[object] = []
    width = len(header_rows[0])
    for column in range(width):
        for row in reversed(header_rows):
            cell = row[column]
            if not cell.text or any(cell.key is key for key in used):
                continue
            name = match_field(cell.text)
            if name is None:
                continue
            used.append(cell.key)
            if name not in columns:
                columns[name] = column
            elif name == "title" and "content" not in columns:
                columns["content"] = column  # "Наименование этапа" … "Мероприятие"
            break
    if "title" not in columns and "content" in columns:
        columns["title"] = columns.pop("content")
    return dict(sorted(columns.items(), key=lambda item: item[1]))


def _is_header_continuation(row: list[Cell], above: list[Cell]) -> bool:
    """Second header row: only field names under (or merged with) the first one."""
    named = 0
    for cell, top in zip(row, above, strict=False):
        if cell.key is top.key or not cell.text:
            continue
        if match_field(cell.text) is None:
            return False
        named += 1
    return named > 0


def find_header(rows: list[list[Cell]]) -> Header | None:
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        row = rows[index]
        if len(distinct_texts(row)) < 2:  # a title merged across the table is no header
            continue
        if not any(match_field(cell.text) for cell in row if cell.text):
            continue
        header_rows = [row]
        if index + 1 < len(rows) and _is_header_continuation(rows[index + 1], row):
            header_rows.append(rows[index + 1])
        columns = map_columns(header_rows)
        if is_roadmap_columns(columns):
            return Header(first_row=index, rows=header_rows, columns=columns)
    return None


def is_repeated_header(row: list[Cell], header: Header) -> bool:
    """A header row repeated on a later page (exported documents repeat it physically)."""
    texts = [normalize(cell.text) for cell in row]
    if not any(texts):
        return False
    return any(texts == [normalize(cell.text) for cell in hr] for hr in header.rows)


def is_column_numbers(row: list[Cell]) -> bool:
    """The "1 2 3 4 5" row printed under a header."""
    texts = []
    for i, cell in enumerate(row):
        if cell.text and not (i and row[i - 1].key is cell.key):
            texts.append(cell.text.rstrip("."))
    return len(texts) >= 2 and texts == [str(n) for n in range(1, len(texts) + 1)]


def distinct_texts(row: list[Cell]) -> list[str]:
    """Texts of the row's non-empty cells, each merged cell once."""
    texts: list[str] = []
    seen: list[object] = []
    for cell in row:
        if cell.text and not any(cell.key is key for key in seen):
            seen.append(cell.key)
            texts.append(cell.text)
    return texts


def header_names(rows: list[list[Cell]], limit: int = 6) -> str:
    """The first row with several cells (else the first non-empty one), for messages."""
    candidates = [texts for row in rows[:HEADER_SEARCH_ROWS] if (texts := distinct_texts(row))]
    if not candidates:
        return ""
    texts = next((t for t in candidates if len(t) > 1), candidates[0])
    names = []
    for text in texts[:limit]:
        text = " ".join(text.split())
        names.append(f"«{text[:40]}…»" if len(text) > 40 else f"«{text}»")
    return ", ".join(names)
