"""Read a deadline phrase: normalise it, then match the whole of it against known shapes.

Design rule: the *whole* normalised phrase must match one known shape. A phrase that is
only partly understood is UNREADABLE, so that a person is asked to clarify it instead of
the system silently guessing a wrong date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from roadmaps.itemlists import parse_list

from .parsed import DeadlineKind, ParsedDeadline, month_end

__all__ = ["parse_deadline"]


def _range(text: str, start: date, end: date) -> ParsedDeadline:
    return ParsedDeadline(text, DeadlineKind.RANGE, start=start, end=end, periods=((start, end),))


# --- Normalisation -------------------------------------------------------------------

# Every dash-like character people (and Word's autocorrect) type between months.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TRANSLATE = str.maketrans({**dict.fromkeys(_DASHES, "-"), "ё": "е"})
# "2022г.", "2023-2024г.г.", "2020-2024 гг.", "2021 года" -> a bare year.
_YEAR_SUFFIX = re.compile(
    r"([0-9]{4})\s*(?:г\s*\.?\s*г|гг|годы|годов|года|году|год|г)(?![а-яa-z])\.?"
)


def _normalise(text: str) -> str:
    s = text.lower().translate(_TRANSLATE)
    s = re.sub(r"\s+", " ", s)  # also joins cells split over lines ("Май –\nиюнь\n2022")
    s = _YEAR_SUFFIX.sub(r"\1", s)
    s = re.sub(r" ?- ?", "-", s)
    s = re.sub(r" ?([,;]) ?", r"\1 ", s)
    s = re.sub(r"\( ?", "(", s)
    s = re.sub(r" ?\)", ")", s)
    return s.strip(" .,;")


# --- Vocabulary ----------------------------------------------------------------------

# Nominative, genitive ("16 сентября") and prepositional ("в мае") forms plus the usual
# abbreviations; the form carries no meaning for a deadline, so all map to the number.
_MONTH_FORMS = {
    1: "январь января январе янв",
    2: "февраль февраля феврале февр фев",
    3: "март марта марте мар",
    4: "апрель апреля апреле апр",
    5: "май мая мае",
    6: "июнь июня июне июн",
    7: "июль июля июле июл",
    8: "август августа августе авг",
    9: "сентябрь сентября сентябре сент сен",
    10: "октябрь октября октябре окт",
    11: "ноябрь ноября ноябре нояб ноя",
    12: "декабрь декабря декабре дек",
}
_MONTHS = {word: n for n, words in _MONTH_FORMS.items() for word in words.split()}
# Longest first so that "марта" is not read as "мар" + garbage.
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ORDINAL_FORMS = {
    1: "i 1 1-й 1-го 1-м 1-ом 1-е первый первого первом первое первая первой",
    2: "ii 2 2-й 2-го 2-м 2-ом 2-е второй второго втором второе вторая",
    3: "iii 3 3-й 3-го 3-м 3-ем 3-е третий третьего третьем третье",
    4: "iv 4 4-й 4-го 4-м 4-ом 4-е четвертый четвертого четвертом четвертое",
}
_ORDINALS = {word: n for n, words in _ORDINAL_FORMS.items() for word in words.split()}


def _m(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_ALT})(?![а-я])\.?"


def _d(name: str) -> str:
    return rf"(?P<{name}>[0-9]{{1,2}})(?![0-9])"


def _y(name: str) -> str:
    return rf"(?P<{name}>[0-9]{{4}})(?![0-9])"


# "в течение", and the typos seen in the seeds: "течении", "течеие", "теч."
_TECH = r"в ?теч(?:е?ни[еия]|еи[еия]|\.)?"
_CONT = (
    rf"постоянно|на постоянной основе"
    rf"|{_TECH} (?:всего |текущего |учебного |отчетного )?(?:года|периода)"
)
_YR = r"(?:ежегодно|каждый год|(?:(?:1|один) )?раз в год)"
_BY = r"(?:до|не позднее|не позже|к)"
# A month, a month range or a day, each optionally with a year:
# "май 2022", "март-апрель 2022", "ноябрь 2021-февраль 2022", "16 сентября 2021".
_SPAN = (
    rf"(?:{_d('d1')} )?{_m('m1')}(?: {_y('y1')})?"
    rf"(?:-(?:{_d('d2')} )?{_m('m2')})?(?: {_y('y2')})?"
)
_SPAN_RE = re.compile(rf"(?:в )?{_SPAN}")
_MONTH_ITEM_RE = re.compile(rf"(?:в )?{_m('a')}(?:-{_m('b')})?")
_LIST_SEP = re.compile(r", |; | и ")


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _year(value: str | None) -> int | None:
    year = _int(value)
    if year is not None and not 1900 <= year <= 2199:
        raise ValueError(f"implausible year {year}")
    return year


def _span(m: re.Match[str], carry: int | None = None) -> tuple[date, date]:
    """Resolve a _SPAN match to (start, end); a missing year comes from `carry`."""
    y1, y2 = _year(m["y1"]), _year(m["y2"])
    d1, m1 = _int(m["d1"]), _MONTHS[m["m1"]]
    if m["m2"] is None:
        if y1 and y2:
            raise ValueError("two years for one month")
        year = y1 or y2 or carry
        if year is None:
            raise ValueError("no year")
        start = date(year, m1, 1 if d1 is None else d1)
        return start, (month_end(year, m1) if d1 is None else start)
    # "Март – апрель 2022": the first half takes the year of the second.
    end_year = y2 or carry
    if end_year is None:
        raise ValueError("no year")
    d2, m2 = _int(m["d2"]), _MONTHS[m["m2"]]
    start = date(y1 or end_year, m1, 1 if d1 is None else d1)
    end = month_end(end_year, m2) if d2 is None else date(end_year, m2, d2)
    if start > end:  # "ноябрь-февраль 2022" could mean either winter: do not guess
        raise ValueError("span ends before it starts")
    return start, end


# --- Shapes --------------------------------------------------------------------------

_Handler = Callable[[re.Match[str], str], ParsedDeadline]
_SHAPES: list[tuple[re.Pattern[str], _Handler]] = []


def _shape(pattern: str) -> Callable[[_Handler], _Handler]:
    def register(handler: _Handler) -> _Handler:
        _SHAPES.append((re.compile(pattern), handler))
        return handler

    return register


def _simple(pattern: str, kind: DeadlineKind) -> None:
    _SHAPES.append((re.compile(pattern), lambda _m, text: ParsedDeadline(text, kind)))


_simple(_CONT, DeadlineKind.CONTINUOUS)


@_shape(
    rf"(?:(?:{_CONT}),? )?после (?:окончания |завершения )?этапа (?:№ ?)?{_d('n')}"
    r"(?: ?\(до (?:завершения|окончания|конца) (?:отчетного периода|учебного года|года)\))?"
)
def _after_stage(m: re.Match[str], text: str) -> ParsedDeadline:
    stage = int(m["n"])
    if stage < 1:
        raise ValueError("no stage 0")
    return ParsedDeadline(text, DeadlineKind.AFTER_STAGE, stage=stage)


_simple(
    r"(?:в|к|до) конц[уеа] (?:отчетного периода|учебного года|года)"
    r"|по (?:окончании|завершении|итогам) (?:отчетного периода|учебного года|года)",
    DeadlineKind.END_OF_PERIOD,
)
_simple(r"по (?:запросу|запросам|требованию|мере необходимости)", DeadlineKind.ON_REQUEST)
_simple(
    r"(?:по|согласно) (?:плану|графику)(?: работы)?|в соответствии с (?:планом|графиком)",
    DeadlineKind.BY_PLAN,
)
_simple(r"(?:(?:1|один) )?раз в квартал|ежеквартально|каждый квартал", DeadlineKind.QUARTERLY)


@_shape(
    rf"(?:{_BY} )?{_d('d')} {_m('m')} {_y('y')},? (?:(?:и )?далее|затем|в дальнейшем)[- ]?{_YR}"
)
def _then_yearly(m: re.Match[str], text: str) -> ParsedDeadline:
    first = date(_year(m["y"]) or 0, _MONTHS[m["m"]], int(m["d"]))
    return ParsedDeadline(
        text,
        DeadlineKind.YEARLY,
        start=first,
        months=(first.month,),
        day=first.day,
        first_due=first,
    )


@_shape(rf"{_YR},? {_BY} {_d('d')} {_m('m')}")
def _yearly_by_day(m: re.Match[str], text: str) -> ParsedDeadline:
    month, day = _MONTHS[m["m"]], int(m["d"])
    date(2000, month, day)  # validate against a leap year, so 29 February is allowed
    return ParsedDeadline(text, DeadlineKind.YEARLY, months=(month,), day=day)


@_shape(rf"{_YR}(?: ?\((?P<a>[^()]+)\)|,? (?P<b>[^()]+))")
def _yearly_months(m: re.Match[str], text: str) -> ParsedDeadline:
    months: set[int] = set()
    for item in _LIST_SEP.split(m["a"] or m["b"]):
        found = _MONTH_ITEM_RE.fullmatch(item)
        if not found:
            raise ValueError(f"not a month: {item!r}")
        # A yearly span ("ежегодно, сентябрь-октябрь") is due when it ends.
        months.add(_MONTHS[found["b"] or found["a"]])
    return ParsedDeadline(text, DeadlineKind.YEARLY, months=tuple(sorted(months)))


_simple(_YR, DeadlineKind.YEARLY)


def _year_bounds(m: re.Match[str]) -> tuple[date, date]:
    first = _year(m["y1"]) or 0
    last = _year(m["y2"]) or first
    if last < first:
        raise ValueError("years reversed")
    return date(first, 1, 1), date(last, 12, 31)


@_shape(rf"{_y('y1')}(?:-{_y('y2')})?,? (?:ежегодное обновление|обновление ежегодно|ежегодно)")
def _yearly_in_years(m: re.Match[str], text: str) -> ParsedDeadline:
    start, end = _year_bounds(m)
    return ParsedDeadline(text, DeadlineKind.YEARLY, start=start, end=end)


@_shape(rf"(?:начиная )?с (?:{_d('d')} )?{_m('m')} {_y('y')}")
def _since(m: re.Match[str], text: str) -> ParsedDeadline:
    start = date(_year(m["y"]) or 0, _MONTHS[m["m"]], int(m["d"] or 1))
    return ParsedDeadline(text, DeadlineKind.CONTINUOUS, start=start)


@_shape(rf"(?:{_TECH} |во? )?(?P<n>[0-9a-zа-я-]+) (?P<unit>полугоди[еяи]|квартал[еа]?) {_y('y')}")
def _part_of_year(m: re.Match[str], text: str) -> ParsedDeadline:
    year, n = _year(m["y"]) or 0, _ORDINALS.get(m["n"], 0)
    size = 6 if m["unit"].startswith("полугод") else 3
    if not 1 <= n <= 12 // size:
        raise ValueError(f"no such part of a year: {m['n']!r}")
    start = date(year, (n - 1) * size + 1, 1)
    end = month_end(year, n * size)
    return _range(text, start, end)


@_shape(rf"(?:{_TECH} |в )?{_y('y1')}(?:-{_y('y2')})?")
def _years(m: re.Match[str], text: str) -> ParsedDeadline:
    start, end = _year_bounds(m)
    return ParsedDeadline(text, DeadlineKind.YEARS, start=start, end=end)


@_shape(rf"{_y('y1')}[-/]{_y('y2')} (?:учебн(?:ый|ого|ом) год[ау]?|уч\. ?год)")
def _school_year(m: re.Match[str], text: str) -> ParsedDeadline:
    first, last = _year(m["y1"]) or 0, _year(m["y2"]) or 0
    if last != first + 1:
        raise ValueError("a school year spans two consecutive years")
    start, end = date(first, 9, 1), date(last, 8, 31)
    return _range(text, start, end)


@_shape(rf"(?P<by>{_BY} )?{_d('d')}\.{_d('mo')}\.{_y('y')}")
def _numeric_date(m: re.Match[str], text: str) -> ParsedDeadline:
    due = date(_year(m["y"]) or 0, int(m["mo"]), int(m["d"]))
    return ParsedDeadline(text, DeadlineKind.DATE, start=None if m["by"] else due, end=due)


@_shape(rf"(?:в |(?P<by>{_BY} ))?{_SPAN}")
def _single_span(m: re.Match[str], text: str) -> ParsedDeadline:
    start, end = _span(m)
    if m["d1"] and not m["m2"]:
        # "до 15 октября 2021" only fixes the due date, not when work starts.
        return ParsedDeadline(text, DeadlineKind.DATE, start=None if m["by"] else start, end=end)
    if m["by"]:
        raise ValueError("'до мая' is ambiguous: by the start or by the end of May?")
    if m["m2"]:
        return _range(text, start, end)
    return ParsedDeadline(text, DeadlineKind.MONTH, start=start, end=end)


def _periods(normalised: str, text: str) -> ParsedDeadline | None:
    """A list of spans ("ноябрь-декабрь 2021, январь-май 2022"); None if not a list."""
    items = _LIST_SEP.split(normalised)
    if len(items) < 2:
        return None
    matches = [_SPAN_RE.fullmatch(item) for item in items]
    if not all(matches):
        return None
    spans: list[tuple[date, date]] = []
    carry: int | None = None
    # Right to left, so that "май, июнь 2022" gives May the year written after it.
    for found in reversed(matches):
        assert found is not None
        own_year = found["y1"] or found["y2"]
        start, end = _span(found, carry)
        if not own_year and spans and start > spans[-1][0]:
            raise ValueError("a borrowed year puts the list out of order")
        carry = end.year
        spans.append((start, end))
    spans.reverse()
    return ParsedDeadline(
        text,
        DeadlineKind.PERIODS,
        start=min(s for s, _ in spans),
        end=max(e for _, e in spans),
        periods=tuple(spans),
    )


def _numbered_items(text: str) -> list[str] | None:
    """The items of a numbered list of two or more, nothing before the first; else None."""
    listed = parse_list("\n".join(text.strip().splitlines()))
    if listed is None or listed.lead or not listed.items[0][0]:  # bullets have no number
        return None
    return [item for _, item in listed.items]


def _parse_phrase(original: str) -> ParsedDeadline:
    unreadable = ParsedDeadline(original, DeadlineKind.UNREADABLE)
    normalised = _normalise(original)
    if not normalised:
        return unreadable
    try:
        for pattern, handler in _SHAPES:
            found = pattern.fullmatch(normalised)
            if found:
                # The first shape that matches decides: an impossible date inside a known
                # shape ("31 февраля 2022") is unreadable, not re-read as something else.
                return handler(found, original)
        return _periods(normalised, original) or unreadable
    except (ValueError, OverflowError):
        return unreadable


def parse_deadline(text: str | None) -> ParsedDeadline:
    """Read a roadmap deadline phrase; never raises, keeps `text` verbatim."""
    original = text if isinstance(text, str) else ""
    items = _numbered_items(original)
    if items is None:
        return _parse_phrase(original)
    # One deadline per sub-item: the importer gives each child its own line, so the
    # parent is readable (and undated) only if every line is.
    readable = all(_parse_phrase(item).is_readable for item in items)
    return ParsedDeadline(original, DeadlineKind.BY_ITEMS if readable else DeadlineKind.UNREADABLE)
