"""Read a roadmap (план мероприятий) from a Word or Excel file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

from .columns import (
    Header,
    distinct_texts,
    find_header,
    header_names,
    is_column_numbers,
    is_repeated_header,
    normalize,
)
from .container import detect_format
from .grid import Cell, Table, docx_tables, xlsx_tables
from .parsed import (
    DEFAULT_SECTION_TITLE,
    ParsedActivity,
    ParsedRoadmap,
    ParsedSection,
    RoadmapFileError,
    render,
)
from .period import order_in, period_in
from .subitems import split_children

__all__ = ["read_roadmap"]

MAX_WARNINGS = 100
NUMBER_LIKE = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?)$")
TITLE_HINT = re.compile(r"дорожн|\bплан\b", re.IGNORECASE)
# A section of every organisation one level down: «на уровне ОО» in a municipal
# roadmap; in a regional one also «на уровне муниципалитетов / районов / ИМЦ» (plural
# only: a municipal roadmap's own «на уровне муниципалитета» is not such a section).
EVERY_SCHOOL = re.compile(
    r"\bуровн\w*\s+(?:(?:всех|каждой|каждого|отдельных)\s+)?"
    r"(?:оо|оу|гоу|моу|мбоу|школ|образовательн|общеобразовательн"
    r"|муниципалитетов|муниципальных\s+(?:образований|районов|округов)|районов|имц)"
)
NO_ROADMAP_TABLE = _(
    "В файле нет таблицы дорожной карты: не найдены столбцы «Мероприятие», «Ответственные», "
    "«Сроки» (или похожие: «Наименование мероприятия», «Ответственные исполнители», "
    "«Сроки исполнения»)."
)


def read_roadmap(data: bytes, filename: str) -> ParsedRoadmap:
    """Parse an uploaded roadmap; raise RoadmapFileError with a Russian message if it is not one."""
    kind = detect_format(data)
    try:
        tables = docx_tables(data) if kind == "docx" else xlsx_tables(data)
    except RoadmapFileError:
        raise
    except Exception as exc:  # a damaged or unusual file: python-docx / openpyxl refused it
        raise RoadmapFileError(
            _(
                "Не удалось прочитать файл: он повреждён или сохранён в неподдерживаемом "
                "варианте формата. Откройте его в Word или Excel, сохраните как "
                "{ext} и загрузите снова."
            ),
            ext=".docx" if kind == "docx" else ".xlsx",
        ) from exc
    return _Reader(tables, filename, kind).read()


@dataclass
class _Draft:
    table: Table
    row_number: int
    values: dict[str, str]


@dataclass
class _SectionDraft:
    title: str
    drafts: list[_Draft] = field(default_factory=list)


class _Reader:
    def __init__(self, tables: list[Table], filename: str, kind: str) -> None:
        self.tables = tables
        self.filename = filename
        self.kind = kind
        self.sections: list[_SectionDraft] = []
        self.current: _SectionDraft | None = None
        self.default_title: str = render(DEFAULT_SECTION_TITLE)
        self.last: _Draft | None = None
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ the document

    def read(self) -> ParsedRoadmap:
        if not self.tables:
            raise RoadmapFileError(
                _(
                    "В файле нет таблицы дорожной карты: в документе нет ни одной таблицы. "
                    "Мероприятия должны быть в таблице со столбцами «Мероприятие», "
                    "«Ответственные», «Сроки»."
                )
            )
        title_lines: list[str] = []
        previous: Header | None = None
        skipped: list[Table] = []
        for table in self.tables:
            header = find_header(table.rows)
            if header is None and previous is not None and not table.before:
                # a table broken in two at a page, the second part without its header
                header = Header(first_row=0, rows=previous.rows, columns=previous.columns, end=0)
            if header is None:
                skipped.append(table)
                if previous is None:
                    title_lines += table.before
                continue
            if previous is None:
                title_lines += table.before
                title_lines += [" ".join(distinct_texts(r)) for r in table.rows[: header.first_row]]
            elif table.before:
                self.current = None  # a new table under its own heading
                heading = " ".join(table.before[-1].split())
                self.default_title = (
                    heading if len(heading) <= 200 else render(DEFAULT_SECTION_TITLE)
                )
            self._read_table(table, header)
            previous = header
        if previous is None:
            raise RoadmapFileError(
                _("{message} Найдены столбцы: {names}."),
                message=render(NO_ROADMAP_TABLE),
                names=header_names(self.tables[0].rows) or "—",
            )
        for table in skipped:
            self._warn(
                _("{where} пропущена: в ней нет столбцов дорожной карты (столбцы: {names})."),
                where=self._table_name(table),
                names=header_names(table.rows) or "—",
            )
        sections = [self._section(s) for s in self.sections if s.drafts]
        if not sections:
            raise RoadmapFileError(
                _("Таблица дорожной карты найдена, но в ней нет ни одного мероприятия.")
            )
        lines = [line for line in title_lines if line.strip()]
        title, first, last = self._title([" ".join(line.split()) for line in lines])
        return ParsedRoadmap(
            title=title,
            sections=sections,
            warnings=self.warnings,
            period=period_in(title, after=lines[last:], before=lines[:first]),
            order=order_in(lines),
        )

    def _title(self, lines: list[str]) -> tuple[str, int, int]:
        """The title, and the lines it spans: (title, first, last + 1).

        A title typed as several paragraphs («Дорожная карта» / «внедрения целевой
        модели …» / «в МБОУ …» / «на 2023/2024 учебный год») is kept whole.
        """
        for index, line in enumerate(lines):
            if TITLE_HINT.search(line) and len(line) <= 500:
                end = index + 1
                while end < len(lines) and _continues_title(line, lines[end]):
                    line = f"{line} {lines[end]}"
                    end += 1
                return line, index, end
        short = [i for i, line in enumerate(lines) if len(line) <= 300]
        if short:
            return lines[short[-1]], short[-1], short[-1] + 1
        return PurePath(self.filename).stem or render(DEFAULT_SECTION_TITLE), len(lines), len(lines)

    # ------------------------------------------------------------------ one table

    def _read_table(self, table: Table, header: Header) -> None:
        for index in range(header.end, len(table.rows)):
            row = table.rows[index]
            if not any(cell.text for cell in row):
                continue
            if is_repeated_header(row, header) or is_column_numbers(row):
                continue
            section_title = _section_title(row, header.columns)
            if section_title is not None:
                self.current = _SectionDraft(section_title)
                self.sections.append(self.current)
                continue
            values, fresh = _values(row, header.columns)
            if not any(fresh.values()):
                continue  # only the lower part of cells merged from the row above
            if self._is_continuation(fresh, header):
                self._continue(table, index + 1, fresh)
            else:
                self._activity(table, index + 1, values)

    def _is_continuation(self, fresh: dict[str, str], header: Header) -> bool:
        """A row broken by a page: no number, and a title that only goes on (or none)."""
        if self.last is None or fresh.get("number"):
            return False
        title = fresh.get("title", "")
        if not title or title[0].islower():
            return True
        return (
            "number" in header.columns
            and bool(self.last.values.get("number"))
            and not fresh.get("deadline")
        )

    def _continue(self, table: Table, row_number: int, fresh: dict[str, str]) -> None:
        assert self.last is not None
        for name, text in fresh.items():
            if text:
                before = self.last.values.get(name, "")
                self.last.values[name] = f"{before}\n{text}" if before else text
        self._warn(
            _(
                "{where}: строка без номера продолжает мероприятие «{title}» (перенос на "
                "следующую страницу) — её текст присоединён к этому мероприятию."
            ),
            where=self._where(table, row_number),
            title=_short(self.last.values.get("title", "")),
        )

    def _activity(self, table: Table, row_number: int, values: dict[str, str]) -> None:
        if self.current is None:
            self.current = _SectionDraft(self.default_title)
            self.sections.append(self.current)
        self.last = _Draft(table, row_number, values)
        self.current.drafts.append(self.last)

    # ------------------------------------------------------------------ results

    def _section(self, draft: _SectionDraft) -> ParsedSection:
        title = draft.title
        return ParsedSection(
            title=title,
            for_every_school=bool(EVERY_SCHOOL.search(normalize(title))),
            activities=[self._parsed(d) for d in draft.drafts],
        )

    def _parsed(self, draft: _Draft) -> ParsedActivity:
        values = draft.values
        activity = split_children(
            ParsedActivity(
                number=values.get("number", ""),
                title=values.get("title", ""),
                content=values.get("content", ""),
                responsible=values.get("responsible", ""),
                deadline_text=values.get("deadline", ""),
                expected_result=values.get("expected_result", ""),
                document_kind=values.get("document_kind", ""),
                row_number=draft.row_number,
            )
        )
        where = self._where(draft.table, draft.row_number)
        if not activity.title and not activity.content:
            self._warn(_("{where}: у мероприятия нет названия."), where=where)
        elif not activity.responsible and not activity.deadline_text:
            self._warn(
                _("{where}: у мероприятия «{title}» не указаны ни ответственные, ни сроки."),
                where=where,
                title=_short(activity.title or activity.content),
            )
        return activity

    # ------------------------------------------------------------------ messages

    def _warn(self, message, **params) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(render(message, **params))
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append(render(_("Остальные предупреждения не показаны.")))

    def _table_name(self, table: Table) -> str:
        if table.sheet:
            return render(_("Лист «{sheet}»"), sheet=table.sheet)
        return render(_("Таблица {number}"), number=table.index)

    def _where(self, table: Table, row_number: int) -> str:
        if len(self.tables) == 1:
            return render(_("Строка {row}"), row=row_number)
        return render(_("{table}, строка {row}"), table=self._table_name(table), row=row_number)


def _values(row: list[Cell], columns: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    """Text per field, and the part that is new in this row (not merged from above)."""
    values: dict[str, str] = {}
    fresh: dict[str, str] = {}
    used: list[object] = []
    for name, column in columns.items():
        cell = row[column]
        if any(cell.key is key for key in used):  # one merged cell across two fields
            values[name] = fresh[name] = ""
            continue
        used.append(cell.key)
        values[name] = cell.text
        fresh[name] = "" if cell.continued else cell.text
    return values, fresh


def _section_title(row: list[Cell], columns: dict[str, int]) -> str | None:
    """A row that opens a section: one cell across the row, or text in the first cell only."""
    cells: list[Cell] = []
    for cell in row:
        if cell.text and not cell.continued and not any(cell is c for c in cells):
            cells.append(cell)
    if len(cells) == 1:
        cell = cells[0]
        if NUMBER_LIKE.match(cell.text) or cell.text[0].islower():
            return None
        if row[0] is cell or all(c.key is cell.key for c in row):
            return cell.text
        return None
    number_column = columns.get("number")
    if len(cells) == 2 and number_column is not None:
        number, other = row[number_column], cells[1] if cells[0] is row[number_column] else None
        others = [row[c] for c in columns.values() if c != number_column]
        if (
            other is not None
            and NUMBER_LIKE.match(number.text)
            and all(c.key is other.key for c in others)
        ):
            return f"{number.text} {other.text}"  # "I. | Организационный этап" across the row
    return None


# A paragraph that goes on with the title: it starts with a preposition, a word in the
# genitive («внедрения», «реализации»), the school's name or the period; or the title so
# far is only a few words («Дорожная карта», «ПЛАН МЕРОПРИЯТИЙ»).
TITLE_GOES_ON = re.compile(
    r"^(?:(?:по|в|во|на|для|о|об|при|с|со|к|из|между|среди|и)\s"
    r"|(?:внедрения|реализации|развития|организации|формирования|обеспечения"
    r"|совершенствования|сопровождения|муниципальн|образовательн|общеобразовательн|целев"
    r"|системы|модели|программы|наставничества|мбоу|маоу|моу|мкоу|гбоу|гоу|мадоу|мбдоу"
    r"|мбудо|школ|гимнази|лице)"
    r"|[«(\"]|[0-9]{4})",
    re.IGNORECASE,
)
TITLE_ENDS = re.compile(r"^\W*(?:цел[ьи]|задач|приложение|утвержд|раздел|подраздел|[0-9]+[.)]\s)")
TITLE_LIMIT = 500


def _continues_title(title: str, line: str) -> bool:
    if TITLE_ENDS.match(line.lower()) or len(title) + len(line) >= TITLE_LIMIT:
        return False
    return bool(TITLE_GOES_ON.match(line)) or len(title.split()) <= 3


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
