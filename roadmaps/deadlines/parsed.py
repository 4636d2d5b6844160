"""What a deadline phrase means: its kind and dates, and the due dates within a period."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = ["DeadlineKind", "ParsedDeadline"]


class DeadlineKind(StrEnum):
    DATE = "date"  # 16 сентября 2021, до 15 октября 2021
    MONTH = "month"  # Март 2022, май 2022г.
    RANGE = "range"  # Март – апрель 2022, в течение первого полугодия 2022
    YEARS = "years"  # 2023, 2023-2024
    PERIODS = "periods"  # ноябрь-декабрь 2021, январь-май 2022
    YEARLY = "yearly"  # ежегодно (май, ноябрь); до 21 октября 2021, далее – ежегодно
    QUARTERLY = "quarterly"  # 1 раз в квартал
    CONTINUOUS = "continuous"  # постоянно, в течение года, с сентября 2021 года
    ON_REQUEST = "on_request"  # по запросу
    BY_PLAN = "by_plan"  # По плану, По графику
    AFTER_STAGE = "after_stage"  # В течении года, после этапа 5 (...)
    END_OF_PERIOD = "end_of_period"  # В конце отчетного периода
    BY_ITEMS = "by_items"  # "1. сентябрь 2021\n2. постоянно": one deadline per sub-item
    UNREADABLE = "unreadable"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamped(year: int, month: int, day: int | None) -> date | None:
    """The given day of a month (last day if none), clamped so 29 Feb works every year."""
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or last, last))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ParsedDeadline:
    text: str  # the original text, verbatim
    kind: DeadlineKind
    start: date | None = None  # earliest date the phrase covers, when known
    end: date | None = None  # due date / end of the covered span, when known
    periods: tuple[tuple[date, date], ...] = ()  # PERIODS / RANGE spans
    months: tuple[int, ...] = ()  # YEARLY recurrence months
    day: int | None = None  # YEARLY day of month ("до 21 октября …, далее ежегодно")
    stage: int | None = None  # AFTER_STAGE
    first_due: date | None = None  # "… далее ежегодно": the first explicit date

    @property
    def is_readable(self) -> bool:
        return self.kind is not DeadlineKind.UNREADABLE

    def due_dates(self, period_start: date, period_end: date) -> list[date]:
        """Dates on which the activity is due within the reporting period, sorted, unique."""
        if period_start > period_end:
            return []
        candidates = self._candidates(period_start, period_end)
        return sorted({d for d in candidates if d is not None and period_start <= d <= period_end})

    def _candidates(self, ps: date, pe: date) -> Iterable[date | None]:
        kind = self.kind
        if kind in (DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.RANGE):
            return [self.end]
        if kind is DeadlineKind.PERIODS:
            return [end for _, end in self.periods]
        if kind is DeadlineKind.YEARS:
            return self._year_ends(ps, pe)
        if kind is DeadlineKind.QUARTERLY:
            return [month_end(y, m) for y in range(ps.year, pe.year + 1) for m in (3, 6, 9, 12)]
        if kind in (
            DeadlineKind.CONTINUOUS,
            DeadlineKind.AFTER_STAGE,
            DeadlineKind.END_OF_PERIOD,
        ):
            # Ongoing work is reported once, at the end of the reporting period; work that
            # only starts later ("с сентября 2021") is not due in an earlier period.
            return [] if self.start and pe < self.start else [pe]
        if kind is DeadlineKind.YEARLY:
            return self._yearly(ps, pe)
        # ON_REQUEST, BY_PLAN, UNREADABLE: no computable date; BY_ITEMS: the
        # sub-items carry the dates.
        return []

    def _year_ends(self, ps: date, pe: date) -> list[date]:
        if self.start is None or self.end is None:
            return []
        first, last = max(ps.year, self.start.year), min(pe.year, self.end.year)
        return [date(y, 12, 31) for y in range(first, last + 1)]

    def _yearly(self, ps: date, pe: date) -> list[date | None]:
        if self.months:
            out: list[date | None] = [self.first_due]
            for year in range(ps.year, pe.year + 1):
                for month in self.months:
                    due = _clamped(year, month, self.day)
                    # "далее ежегодно" only recurs from the first date on; explicit years
                    # ("2023-2024 …") bound the recurrence on both sides.
                    if (
                        due
                        and (self.start is None or due >= self.start)
                        and (self.end is None or due <= self.end)
                    ):
                        out.append(due)
            return out
        if self.start and self.end:
            # "2023-2024 ежегодное обновление": once in each named year, at its end.
            return list(self._year_ends(ps, pe))
        # Bare "ежегодно": once per reporting period, at its end.
        return [pe]

    def to_dict(self) -> dict[str, Any]:
        return {
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
        )
