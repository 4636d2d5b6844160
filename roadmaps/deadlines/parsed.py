"""What a deadline phrase means: its kind and dates, and the due dates within a period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from .items import month_end

__all__ = ["RECURRING_KINDS", "UNDATED_KINDS", "DeadlineKind", "ParsedDeadline", "month_end"]


class DeadlineKind(StrEnum):
    DATE = "date"  # 16 сентября 2021, до 15 октября 2021, до 15.10.2021
    MONTH = "month"  # Март 2022, май 2022г., в конце 2023 года
    RANGE = "range"  # Март – апрель 2022, в течение первого полугодия 2022, 2023/2024 уч. год
    YEARS = "years"  # 2023, 2023-2024
    PERIODS = "periods"  # ноябрь-декабрь 2021, январь-май 2022
    YEARLY = "yearly"  # ежегодно (май, ноябрь); до 21 октября 2021, далее – ежегодно
    QUARTERLY = "quarterly"  # 1 раз в квартал
    MONTHLY = "monthly"  # ежемесячно, до 5 числа
    WEEKLY = "weekly"  # еженедельно (по пятницам)
    HALF_YEARLY = "half_yearly"  # 1 раз в полугодие, 2 раза в год
    TERMLY = "termly"  # по итогам каждой четверти
    TIMES_A_YEAR = "times_a_year"  # 3 раза в год
    CONTINUOUS = "continuous"  # постоянно, в течение года, весь период, с сентября 2021 года
    ON_REQUEST = "on_request"  # по запросу (ОО)
    BY_PLAN = "by_plan"  # По плану, По графику
    AFTER_STAGE = "after_stage"  # В течении года, после этапа 5 (...)
    END_OF_PERIOD = "end_of_period"  # В конце отчетного периода
    BY_ITEMS = "by_items"  # "1. сентябрь 2021\n2. постоянно": one deadline per sub-item
    UNREADABLE = "unreadable"


K = DeadlineKind
# No fixed date, by design: not "unclear", but nothing to remind about either. BY_ITEMS:
# the parent of sub-items, each of which carries its own deadline and due dates.
UNDATED_KINDS = frozenset({K.ON_REQUEST, K.BY_PLAN, K.BY_ITEMS, K.UNREADABLE})
RECURRING_KINDS = frozenset(
    {K.YEARLY, K.QUARTERLY, K.MONTHLY, K.WEEKLY, K.HALF_YEARLY, K.TERMLY, K.TIMES_A_YEAR}
)
# The months a recurrence falls due in when the phrase names none: the end of each
# quarter, half-year, school term (I–IV end in October, December, March and May).
DEFAULT_MONTHS = {
    K.QUARTERLY: (3, 6, 9, 12),
    K.MONTHLY: tuple(range(1, 13)),
    K.HALF_YEARLY: (6, 12),
    K.TERMLY: (3, 5, 10, 12),
}
SUNDAY = 7


def _clamped(year: int, month: int, day: int | None) -> date | None:
    """The given day of a month (last day if none), clamped so 29 Feb works every year."""
    if not 1 <= month <= 12:
        return None
    last = month_end(year, month)
    return last if day is None or day >= last.day else date(year, month, day)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ParsedDeadline:
    text: str  # the original text, verbatim
    kind: DeadlineKind
    start: date | None = None  # earliest date the phrase covers (a recurrence: from when)
    end: date | None = None  # due date / end of the covered span (a recurrence: until)
    periods: tuple[tuple[date, date], ...] = ()  # PERIODS / RANGE spans
    months: tuple[int, ...] = ()  # recurrence months, when the phrase names them
    day: int | None = None  # recurrence day of the month; for WEEKLY the ISO weekday
    stage: int | None = None  # AFTER_STAGE
    first_due: date | None = None  # "… далее ежегодно": the first explicit date
    times: int | None = None  # TIMES_A_YEAR: how many times

    @property
    def is_readable(self) -> bool:
        return self.kind is not DeadlineKind.UNREADABLE

    @property
    def is_dated(self) -> bool:
        """Whether the phrase gives dates at all (readable, and not "по запросу")."""
        return self.kind not in UNDATED_KINDS

    def due_dates(self, period_start: date, period_end: date) -> list[date]:
        """Dates on which the activity is due within the reporting period, sorted, unique."""
        if period_start > period_end:
            return []
        candidates = self._candidates(period_start, period_end)
        return sorted({d for d in candidates if d is not None and period_start <= d <= period_end})

    def _candidates(self, ps: date, pe: date) -> Iterable[date | None]:
        kind = self.kind
        if kind in (K.DATE, K.MONTH, K.RANGE):
            return [self.end]
        if kind is K.PERIODS:
            return [end for _, end in self.periods]
        if kind is K.YEARS:
            return self._year_ends(ps, pe)
        if kind in (K.CONTINUOUS, K.AFTER_STAGE, K.END_OF_PERIOD):
            # Ongoing work is reported once, at the end of the reporting period; work that
            # only starts later ("с сентября 2021") is not due in an earlier period.
            return [] if self.start and pe < self.start else [pe]
        if kind is K.YEARLY:
            return self._yearly(ps, pe)
        if kind is K.WEEKLY:
            return self._weekly(ps, pe)
        if kind in RECURRING_KINDS:
            return self._monthly(ps, pe, self.months or self._default_months())
        # ON_REQUEST, BY_PLAN, UNREADABLE: no computable date; BY_ITEMS: the
        # sub-items carry the dates.
        return []

    def _default_months(self) -> tuple[int, ...]:
        if self.kind is K.TIMES_A_YEAR:
            step = 12 // (self.times or 1)
            return tuple(range(step, 13, step))
        return DEFAULT_MONTHS[self.kind]

    def _within(self, due: date | None) -> bool:
        return (
            due is not None
            and (self.start is None or due >= self.start)
            and (self.end is None or due <= self.end)
        )

    def _monthly(self, ps: date, pe: date, months: Iterable[int]) -> list[date | None]:
        """The recurrence's day (or the month's end) in each of `months`, every year."""
        out: list[date | None] = [self.first_due]
        months = tuple(months)
        for year in range(ps.year, pe.year + 1):
            for month in months:
                due = _clamped(year, month, self.day)
                # "далее ежегодно" only recurs from the first date on; explicit years
                # ("2023-2024 …") bound the recurrence on both sides.
                if self._within(due):
                    out.append(due)
        return out

    def _weekly(self, ps: date, pe: date) -> list[date | None]:
        first = max(ps, self.start) if self.start else ps
        last = min(pe, self.end) if self.end else pe
        weekday = self.day or SUNDAY
        day = first + timedelta(days=(weekday - first.isoweekday()) % 7)
        out: list[date | None] = [self.first_due]
        while day <= last:
            out.append(day)
            day += timedelta(days=7)
        return out

    def _year_ends(self, ps: date, pe: date) -> list[date]:
        if self.start is None or self.end is None:
            return []
        first, last = max(ps.year, self.start.year), min(pe.year, self.end.year)
        return [date(y, 12, 31) for y in range(first, last + 1)]

    def _yearly(self, ps: date, pe: date) -> list[date | None]:
        if self.months:
            return self._monthly(ps, pe, self.months)
        if self.start and self.end:
            # "2023-2024 ежегодное обновление": once in each named year, at its end.
            return list(self._year_ends(ps, pe))
        # Bare "ежегодно": once per reporting period, at its end.
        return [pe] if self._within(pe) else []

    def to_dict(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "kind": self.kind.value,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "periods": [[a.isoformat(), b.isoformat()] for a, b in self.periods],
            "months": list(self.months),
            "day": self.day,
            "stage": self.stage,
            "first_due": _iso(self.first_due),
        }
        if self.times is not None:  # only "N раз в год" has it: older rows stay as they are
            data["times"] = self.times
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedDeadline:
        return cls(
            text=data["text"],
            kind=DeadlineKind(data["kind"]),
            start=_from_iso(data.get("start")),
            end=_from_iso(data.get("end")),
            periods=tuple(
                (date.fromisoformat(a), date.fromisoformat(b)) for a, b in data.get("periods") or ()
            ),
            months=tuple(int(m) for m in data.get("months") or ()),
            day=data.get("day"),
            stage=data.get("stage"),
            first_due=_from_iso(data.get("first_due")),
            times=data.get("times"),
        )
