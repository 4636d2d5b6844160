"""A published figure: numerator, denominator, share, and whether any of it is hidden.

Rules every page and report follows:
- a share needs an entered, non-zero denominator; otherwise the figure says so and no
  percentage is printed (never 0 % or 100 % for "we do not know");
- above the school's own staff, a count of people under 5 is published as «<5» with
  its share hidden (a share over a shown denominator gives the count back);
- where a total is published, one hidden cell would be recoverable by subtraction, so a
  second cell is hidden with it (`secondary`); see `protect_total`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from monitoring.indicators.definitions import SUPPRESSION_THRESHOLD

OK = "ok"
NO_DENOMINATOR = "no_denominator"
ZERO_DENOMINATOR = "zero_denominator"
NO_DATA = "no_data"  # survey indicators before any answer
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Figure:
    numerator: int | None
    denominator: int | None
    # Hidden: a small count («<5»), or hidden with it so a total cannot give it back.
    suppressed: bool = False
    secondary: bool = False
    applicable: bool = True
    # The denominator is a count of answers (satisfaction), not a contingent.
    survey: bool = False

    @property
    def hidden(self) -> bool:
        return self.suppressed or self.secondary

    @property
    def state(self) -> str:
        if not self.applicable:
            return NOT_APPLICABLE
        if self.denominator is None:
            return NO_DATA if self.survey else NO_DENOMINATOR
        if self.denominator == 0:
            return NO_DATA if self.survey else ZERO_DENOMINATOR
        return OK

    @property
    def share(self) -> Decimal | None:
        """The share in %, one decimal; None when it cannot be or may not be shown."""
        if self.state != OK or self.hidden or self.numerator is None:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def over_denominator(self) -> bool:
        """More people in pairs than the contingent: the contingent is likely wrong."""
        return (
            self.state == OK
            and not self.hidden
            and not self.survey
            and self.numerator is not None
            and self.numerator > (self.denominator or 0)
        )

    @property
    def numerator_display(self) -> str:
        if self.survey and self.state == NO_DATA:
            return "—"
        if self.secondary:
            return _("скрыто")
        if self.suppressed:
            return f"<{SUPPRESSION_THRESHOLD}"
        return "—" if self.numerator is None else str(self.numerator)

    @property
    def denominator_display(self) -> str:
        return "—" if self.denominator is None else str(self.denominator)

    @property
    def brief_display(self) -> str:
        """The figure in a word, as shown small beside another: its share where there is
        one, else its count (or what its cell would say)."""
        if self.state == NO_DATA or (self.state == OK and not self.hidden):
            return self.share_display
        return self.numerator_display

    @property
    def share_display(self) -> str:
        state = self.state
        if state == NOT_APPLICABLE:
            return "—"
        if state == NO_DENOMINATOR:
            return _("нет знаменателя — внесите контингент")
        if state == ZERO_DENOMINATOR:
            return _("знаменатель равен 0 — проверьте контингент")
        if state == NO_DATA:
            return _("нет ответов")
        share = self.share
        if share is None:
            return _("скрыто")
        return format_percent(share)


def format_percent(value: Decimal | float | int) -> str:
    return f"{number_format(value, decimal_pos=1)}\u00a0%"


def count_figure(
    numerator: int, denominator: int | None, *, suppress: bool, people: bool = True
) -> Figure:
    """A figure of a count; small counts of people hidden when `suppress`."""
    hidden = suppress and people and numerator < SUPPRESSION_THRESHOLD
    return Figure(
        numerator=None if hidden else numerator, denominator=denominator, suppressed=hidden
    )


def protect_total(cells: Sequence[tuple[Figure, int]]) -> list[Figure]:
    """Hide a second cell where a published total would give back a single hidden one.

    `cells` are the figures that add up to the total, each with its true count (the
    figure itself no longer holds a hidden count). If exactly one of them is hidden, the
    smallest shown one is hidden too: the total then gives only the sum of two cells.
    """
    figures = [f for f, _true in cells]
    hidden = [i for i, f in enumerate(figures) if f.hidden]
    if len(hidden) != 1:
        return figures
    shown = [i for i, f in enumerate(figures) if not f.hidden]
    if not shown:
        return figures
    smallest = min(shown, key=lambda i: (cells[i][1], i))
    figures[smallest] = replace(figures[smallest], numerator=None, secondary=True)
    return figures
