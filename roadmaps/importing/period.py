"""The period a roadmap covers, as its document states it, and the order approving it.

A roadmap says its period in its title or a heading: «на 2022–2024 годы», «на 2023/2024
учебный год», «(2020-2024 гг.)», «2023-2024г.г.». Failing that, its period is the span of
its own dates, widened to the school year (or the calendar years) it falls in.

The paragraph «Приложение к Программе … на 2022-2027 годы» names the period of another
document, so appendix and approval marks are not read for the period; they are read for
the order that approves the roadmap («к приказу … от 12.05.2022 № 243»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from roadmaps.deadlines import DeadlineKind, parse_deadline

__all__ = ["DocumentOrder", "DocumentPeriod", "order_in", "period_in", "period_of_dates"]


@dataclass(frozen=True)
class DocumentPeriod:
    start: date
    end: date
    source: str  # "title", "heading" or "dates"
    text: str = ""  # the words it was read from, as written


@dataclass(frozen=True)
class DocumentOrder:
    number: str
    date: date | None


_YEAR = r"(?:19|20|21)[0-9]{2}"
_CANDIDATE = re.compile(
    rf"(?<![0-9.])(?P<on>(?:на|в)\s+)?(?P<years>{_YEAR}(?:\s*(?P<sep>[-–—/])\s*(?:{_YEAR}|[0-9]{{2}}))?)"
    r"(?![0-9])(?P<suffix>\s*(?:г\.?\s*г\.?|гг\.?|годы|годов|года|году|год|г\.)?"
    r"(?:\s*(?:учебн\w*|уч\.?)\s*(?:год\w*|гг?\.?))?)",
    re.IGNORECASE,
)
# Marks of another document or of the approval: not the roadmap's own period.
_NOT_THE_PERIOD = re.compile(
    r"^\W*(?:приложение|утвержд|утверждаю|согласован|принят|к приказу|к постановлению"
    r"|к распоряжению|к решению|от\s+[0-9])",
    re.IGNORECASE,
)
# «на 2021-2022 год» (one year, two calendar years): a school year.
_ONE_YEAR = re.compile(r"^(?:года|году|год|г\.)$", re.IGNORECASE)
_ORDER_LINE = re.compile(r"приказ|постановлени|распоряжени", re.IGNORECASE)
_ORDER_NUMBER = re.compile(r"№\s*([0-9][0-9A-Za-zА-Яа-я/\-–.]*[0-9A-Za-zА-Яа-я])", re.IGNORECASE)
_ORDER_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})\.([0-9]{1,2})\.((?:19|20)[0-9]{2})(?![0-9])")


def _period(line: str) -> tuple[date, date, str] | None:
    """The first stated period in a line: years, or a school year."""
    for m in _CANDIDATE.finditer(line):
        suffix = m["suffix"].strip()
        wrapped = line[: m.start()].rstrip().endswith("(") and line[m.end() :].lstrip()[:1] == ")"
        alone = not line.replace(m[0], "").strip(" .,;:()\n")
        on = (m["on"] or "").strip().lower() == "на"
        if not (on or suffix or m["sep"] == "/" or wrapped or alone):
            continue  # a bare year inside a sentence: not a statement of the period
        if m["sep"] and _ONE_YEAR.match(suffix):
            suffix = "учебный год"
        parsed = parse_deadline(f"{m['years']} {suffix}".strip())
        school_year = parsed.kind is DeadlineKind.RANGE
        if parsed.start and parsed.end and (parsed.kind is DeadlineKind.YEARS or school_year):
            return parsed.start, parsed.end, " ".join(m[0].split())
    return None


def period_in(
    title: str, after: Iterable[str] = (), before: Iterable[str] = ()
) -> DocumentPeriod | None:
    """The period stated by the title, else by the headings after it, else before it."""
    found = _period(title)
    if found:
        return DocumentPeriod(*found[:2], source="title", text=found[2])
    for line in [*after, *before]:
        if _NOT_THE_PERIOD.match(line):
            continue
        found = _period(line)
        if found:
            return DocumentPeriod(*found[:2], source="heading", text=found[2])
    return None


def period_of_dates(spans: Iterable[tuple[date, date]]) -> DocumentPeriod | None:
    """The school year the dates fall in, else the calendar years they span."""
    spans = list(spans)
    if not spans:
        return None
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    school = first.year if first.month >= 9 else first.year - 1
    if last <= date(school + 1, 8, 31):
        return DocumentPeriod(date(school, 9, 1), date(school + 1, 8, 31), source="dates")
    return DocumentPeriod(date(first.year, 1, 1), date(last.year, 12, 31), source="dates")


def order_in(lines: Iterable[str]) -> DocumentOrder | None:
    """The approving order's number and date from «к приказу … от 12.05.2022 № 243»."""
    for line in lines:
        flat = " ".join(line.split())
        if not _ORDER_LINE.search(flat):
            continue
        number = _ORDER_NUMBER.search(flat)
        if number is None:
            continue
        found = _ORDER_DATE.search(flat)
        when = None
        if found:
            try:
                when = date(int(found[3]), int(found[2]), int(found[1]))
            except ValueError:
                when = None
        return DocumentOrder(number[1], when)
    return None
