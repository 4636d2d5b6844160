"""The calendar things a deadline names, as written, and the dates they cover.

A day («16 сентября 2021»), a month («май»), a stretch between two of them («март –
апрель 2022», «с 1 по 15 сентября 2023», «01.09.2023–31.05.2024»), years («2023-2024»),
school years («2023/2024 учебный год»), parts of a year («II квартал 2023», «первое
полугодие 2023/2024 учебного года», «I четверть»), and the beginning or end of one of
those («в конце 2023 года», «до начала 2023/2024 учебного года»).

The grammar builds these without judging them; `span` turns one into its first and last
day and raises ValueError for what cannot be («31 февраля», «ноябрь-февраль 2022»).
A year left out is borrowed from the right («май, июнь 2022»): the `carry`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Edge",
    "Item",
    "Part",
    "Ref",
    "SchoolYears",
    "Stretch",
    "Years",
    "month_end",
    "span",
    "year",
]


def month_end(y: int, month: int) -> date:
    return date(y, month, calendar.monthrange(y, month)[1])


def year(value: int | None) -> int | None:
    if value is not None and not 1900 <= value <= 2199:
        raise ValueError(f"implausible year {value}")
    return value


@dataclass(frozen=True)
class Ref:
    """A day or a month, its year when written."""

    day: int | None = None
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Stretch:
    first: Ref
    last: Ref


@dataclass(frozen=True)
class Years:
    first: int
    last: int


@dataclass(frozen=True)
class SchoolYears:
    first: int  # «2023/2024» is 2023
    last: int  # ... and 2024
    several: bool = False  # «учебные годы»: more than one may be named


@dataclass(frozen=True)
class Part:
    """Parts `first`..`last` of a year: unit q (quarter), h (half), t (term), tri."""

    unit: str
    first: int
    last: int
    of: Years | SchoolYears | None = None


@dataclass(frozen=True)
class Edge:
    """The beginning or the end of something: its first or last month."""

    which: str  # "begin" | "end"
    of: Item


Item = Ref | Stretch | Years | SchoolYears | Part | Edge

# Months of each part, as (first month, last month); a school year's second calendar
# year is marked by a month past 12 (13 = January of the next year).
_CALENDAR_PARTS = {"q": 3, "h": 6}
_SCHOOL_PARTS = {
    "h": [(9, 12), (13, 17)],
    "t": [(9, 10), (11, 12), (13, 15), (16, 17)],
    "tri": [(9, 11), (12, 14), (15, 17)],
}


def _school_year(item: SchoolYears) -> tuple[int, int]:
    first, last = year(item.first) or 0, year(item.last) or 0
    if last < first + 1 or (not item.several and last != first + 1):
        raise ValueError("a school year spans two consecutive years")
    return first, last


def _months(y: int, first: int, last: int) -> tuple[date, date]:
    """From the first day of month `first` to the end of `last` (13 = next January)."""
    start = date(y + (first - 1) // 12, (first - 1) % 12 + 1, 1)
    return start, month_end(y + (last - 1) // 12, (last - 1) % 12 + 1)


def _part(item: Part, carry: int | None) -> tuple[date, date]:
    if item.first > item.last:
        raise ValueError("parts in reverse order")
    if isinstance(item.of, SchoolYears):
        first_year, _ = _school_year(item.of)
        parts = _SCHOOL_PARTS.get(item.unit)
        if parts is None or item.last > len(parts):
            raise ValueError("no such part of a school year")
        return _months(first_year, parts[item.first - 1][0], parts[item.last - 1][1])
    if isinstance(item.of, Years) and item.of.first != item.of.last:
        raise ValueError("a part of which year?")
    y = year(item.of.first if item.of else carry)
    if y is None:
        raise ValueError("no year")
    if item.unit in _CALENDAR_PARTS:
        size = _CALENDAR_PARTS[item.unit]
        if item.last > 12 // size:
            raise ValueError("no such part of a year")
        return _months(y, (item.first - 1) * size + 1, item.last * size)
    # A school term or trimester named with a calendar year: the one in that year
    # («I четверть 2023» is September-October 2023, «III четверть 2024» January-March).
    parts = _SCHOOL_PARTS[item.unit]
    if item.last > len(parts):
        raise ValueError("no such part of a school year")
    first, last = parts[item.first - 1][0], parts[item.last - 1][1]
    if first <= 12 < last:
        raise ValueError("this part spans two calendar years: which ones?")
    shift = 12 if first > 12 else 0
    return _months(y, first - shift, last - shift)


def _ref(ref: Ref, carry: int | None) -> tuple[date, date]:
    y = year(ref.year) or carry
    if y is None or ref.month is None:
        raise ValueError("no year or no month")
    if ref.day is None:
        return date(y, ref.month, 1), month_end(y, ref.month)
    day = date(y, ref.month, ref.day)
    return day, day


def _stretch(item: Stretch, carry: int | None) -> tuple[date, date]:
    last = item.last
    _, end = _ref(last, carry)
    first = item.first
    # «15-30 сентября 2023», «Март – апрель 2022»: the first end borrows what it lacks.
    first = Ref(first.day, first.month or last.month, first.year or end.year)
    if first.month is None:
        raise ValueError("no month")
    start, _ = _ref(first, None)
    if start > end:  # "ноябрь-февраль 2022" could mean either winter: do not guess
        raise ValueError("span ends before it starts")
    return start, end


def span(item: Item, carry: int | None = None) -> tuple[date, date]:
    """First and last day of the item; ValueError if it names no real stretch of days."""
    if isinstance(item, Ref):
        return _ref(item, carry)
    if isinstance(item, Stretch):
        return _stretch(item, carry)
    if isinstance(item, Years):
        first, last = year(item.first) or 0, year(item.last) or 0
        if last < first:
            raise ValueError("years reversed")
        return date(first, 1, 1), date(last, 12, 31)
    if isinstance(item, SchoolYears):
        first, last = _school_year(item)
        return date(first, 9, 1), date(last, 8, 31)
    if isinstance(item, Part):
        return _part(item, carry)
    if item.which == "end" and isinstance(item.of, SchoolYears):
        # The end of a school year, for a deadline, is its last month of lessons: May.
        last = _school_year(item.of)[1]
        return date(last, 5, 1), date(last, 5, 31)
    start, end = span(item.of, carry)
    if item.which == "begin":
        return start, month_end(start.year, start.month)
    return date(end.year, end.month, 1), end


def writes_year(item: Item) -> bool:
    """Whether the item names its own year (else it borrows one from the right)."""
    if isinstance(item, Ref):
        return item.year is not None
    if isinstance(item, Stretch):
        return writes_year(item.last)
    if isinstance(item, Part):
        return item.of is not None
    if isinstance(item, Edge):
        return writes_year(item.of)
    return True


def day_before(value: date) -> date:
    return value - timedelta(days=1)
