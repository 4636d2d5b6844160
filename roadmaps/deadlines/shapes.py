"""What each shape of the grammar means: a builder of the ParsedDeadline it reads as.

The grammar's readings are values of these builders, not deadlines yet: only the first
reading that uses the whole phrase is built, so an impossible date inside it
(«31 февраля 2022», «ноябрь-февраль 2022») makes the phrase unreadable rather than being
re-read as something else. Builders raise ValueError for such phrases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .items import Edge, Item, Ref, Stretch, Years, day_before, span, writes_year
from .parsed import DEFAULT_MONTHS, DeadlineKind, ParsedDeadline

K = DeadlineKind
Build = Callable[[str], ParsedDeadline]

# A frequency as the grammar reads it: a unit (y, q, m, w, h, t, tri) and how many times
# in `per` of those units. "1 раз в квартал" is Freq("q"), "3 раза в год" Freq("y", 3),
# "1 раз в 2 месяца" Freq("m", per=2).
UNIT_KIND = {
    "y": K.YEARLY,
    "q": K.QUARTERLY,
    "m": K.MONTHLY,
    "w": K.WEEKLY,
    "h": K.HALF_YEARLY,
    "t": K.TERMLY,
    "tri": K.TERMLY,
}
UNIT_MONTHS = {"y": 12, "h": 6, "q": 3, "m": 1}
TRIMESTER_ENDS = (2, 5, 11)
TIMES_A_YEAR_KIND = {1: K.YEARLY, 2: K.HALF_YEARLY, 4: K.QUARTERLY, 12: K.MONTHLY}


@dataclass(frozen=True)
class Freq:
    unit: str
    times: int = 1
    per: int = 1


@dataclass(frozen=True)
class Anchor:
    """When in its cycle a recurrence falls due: months, a day, a weekday."""

    months: tuple[int, ...] = ()
    day: int | None = None
    next_month: bool = False  # "до 10 числа месяца, следующего за отчетным"
    weekday: int | None = None


NO_ANCHOR = Anchor()


def constant(kind: DeadlineKind) -> Build:
    return lambda text: ParsedDeadline(text, kind)


def after_stage(stage: int) -> Build:
    def build(text: str) -> ParsedDeadline:
        if stage < 1:
            raise ValueError("no stage 0")
        return ParsedDeadline(text, K.AFTER_STAGE, stage=stage)

    return build


def since(item: Item) -> Build:
    """«с сентября 2021 года»: ongoing from a day, a month or a year on."""
    return lambda text: ParsedDeadline(text, K.CONTINUOUS, start=span(item)[0])


def _range(text: str, start: date, end: date) -> ParsedDeadline:
    return ParsedDeadline(text, K.RANGE, start=start, end=end, periods=((start, end),))


def point(item: Item, *, by: bool = False) -> Build:
    """One day, month, stretch, part of a year, or years; `by`: «до …» fixes only the end."""

    def build(text: str) -> ParsedDeadline:
        start, end = span(item)
        if isinstance(item, Edge):
            if not by:
                return ParsedDeadline(text, K.MONTH, start=start, end=end)
            # «до начала 2023/2024 учебного года» is due the day before it begins.
            end = day_before(start) if item.which == "begin" else end
            return ParsedDeadline(text, K.DATE, end=end)
        if isinstance(item, Ref) and item.day is not None:
            # «до 15 октября 2021» only fixes the due date, not when work starts.
            return ParsedDeadline(text, K.DATE, start=None if by else start, end=end)
        if by:
            raise ValueError("«до мая» is ambiguous: by the start or by the end of May?")
        if isinstance(item, Ref):
            return ParsedDeadline(text, K.MONTH, start=start, end=end)
        if isinstance(item, Years):
            return ParsedDeadline(text, K.YEARS, start=start, end=end)
        return _range(text, start, end)

    return build


def periods(items: list[Item]) -> Build:
    """A list of spans («ноябрь-декабрь 2021, январь-май 2022»), years from the right."""

    def build(text: str) -> ParsedDeadline:
        spans: list[tuple[date, date]] = []
        carry: int | None = None
        # Right to left, so that "май, июнь 2022" gives May the year written after it.
        for item in reversed(items):
            start, end = span(item, carry)
            if not writes_year(item) and spans and start > spans[-1][0]:
                raise ValueError("a borrowed year puts the list out of order")
            carry = end.year
            spans.append((start, end))
        spans.reverse()
        return ParsedDeadline(
            text,
            K.PERIODS,
            start=min(s for s, _ in spans),
            end=max(e for _, e in spans),
            periods=tuple(spans),
        )

    return build


def _kind(freq: Freq) -> tuple[DeadlineKind, int | None]:
    """The kind of a frequency, and the times a year for TIMES_A_YEAR."""
    if freq.unit in UNIT_MONTHS:
        per_year, rest = divmod(freq.times * 12, UNIT_MONTHS[freq.unit] * freq.per)
        if rest or not per_year or 12 % per_year:  # "2 раза в месяц", "раз в 2 года"
            raise ValueError(f"{freq} does not divide a year")
        kind = TIMES_A_YEAR_KIND.get(per_year, K.TIMES_A_YEAR)
        return kind, (per_year if kind is K.TIMES_A_YEAR else None)
    if freq.times != 1 or freq.per != 1:
        raise ValueError(f"{freq}: no such recurrence")
    return UNIT_KIND[freq.unit], None


def _step(kind: DeadlineKind, times: int | None) -> int | None:
    """Months between two due dates of a kind, if it is that regular."""
    steps = {K.YEARLY: 12, K.HALF_YEARLY: 6, K.QUARTERLY: 3, K.MONTHLY: 1}
    return 12 // times if kind is K.TIMES_A_YEAR and times else steps.get(kind)


def _cycle(month: int, step: int) -> tuple[int, ...]:
    return tuple(sorted({(month - 1 + k * step) % 12 + 1 for k in range(12 // step)}))


def recurrence(
    freq: Freq,
    anchor: Anchor = NO_ANCHOR,
    *,
    bounds: Item | None = None,
    open_bounds: Item | None = None,
    first: Item | None = None,
) -> Build:
    """A recurring deadline: its frequency, when in the cycle, between which dates.

    `bounds` («в 2023-2024 гг.») limit it on both sides, `open_bounds` («с сентября
    2023») from a date on; `first` («до 21 октября 2021, далее – ежегодно») is its first
    due date, from which it recurs.
    """

    def build(text: str) -> ParsedDeadline:
        kind, times = _kind(freq)
        months, day = anchor.months, anchor.day
        if anchor.weekday is not None:
            if kind is not K.WEEKLY:
                raise ValueError("a weekday for a recurrence that is not weekly")
            day = anchor.weekday
        elif day is not None:
            if kind is K.WEEKLY or not 1 <= day <= 31:
                raise ValueError("no such day")
            for month in months:
                date(2000, month, day)  # a leap year, so that 29 February is allowed
        if freq.unit == "tri" and not months:
            months = TRIMESTER_ENDS
        if anchor.next_month:
            base = DEFAULT_MONTHS.get(kind, (12,))
            months = tuple(sorted(m % 12 + 1 for m in base))
        if kind is K.TIMES_A_YEAR and months and len(months) != times:
            raise ValueError("the months named do not match the times a year")
        start = end = first_due = None
        if bounds is not None:
            start, end = span(bounds)
        if open_bounds is not None:
            start = span(open_bounds)[0]
        if first is not None:
            start, first_due = _first(first, kind, times)
            if kind is K.WEEKLY and isinstance(first, Ref) and first.day is not None:
                day = first_due.isoweekday()
            elif isinstance(first, Ref) and first.day is not None:
                day = first_due.day
            step = _step(kind, times)
            if step is None:
                raise ValueError("no first date for this recurrence")
            months = _cycle(first_due.month, step)
        if months == DEFAULT_MONTHS.get(kind, ()):
            months = ()  # as it would be without them: «ежемесячно» names all twelve
        return ParsedDeadline(
            text,
            kind,
            start=start,
            end=end,
            months=tuple(months),
            day=day,
            first_due=first_due,
            times=times,
        )

    return build


def _first(item: Item, kind: DeadlineKind, times: int | None) -> tuple[date, date]:
    """(start, first due date) of «<date or month>, далее …»."""
    if not isinstance(item, Ref | Stretch) or not writes_year(item):
        raise ValueError("a first date needs a day or a month with its year")
    start, end = span(item)
    return start, end


def school_year_start(*, by: bool) -> Build:
    """«в начале учебного года» (September), «к началу учебного года» (by 31 August)."""
    month = 8 if by else 9
    return lambda text: ParsedDeadline(text, K.YEARLY, months=(month,))
