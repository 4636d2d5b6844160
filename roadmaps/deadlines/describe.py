"""A parsed deadline told back in Russian, so a person can check the machine's reading."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .parsed import DeadlineKind, ParsedDeadline

K = DeadlineKind

MONTHS = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
WEEKDAYS = ["", "понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам"]


def _d(value) -> str:
    return date_format(value, "d.m.Y") if value else "?"


def _frequency(parsed: ParsedDeadline) -> str:
    kind = parsed.kind
    if kind is K.TIMES_A_YEAR:  # 3 or 6: 1, 2, 4 and 12 times a year have kinds of their own
        return _("3 раза в год") if parsed.times == 3 else _("6 раз в год")
    if kind is K.TERMLY and parsed.months:  # trimesters, or terms of the school's own
        return _("по итогам каждого учебного периода")
    return {
        K.YEARLY: _("ежегодно"),
        K.QUARTERLY: _("ежеквартально"),
        K.MONTHLY: _("ежемесячно"),
        K.WEEKLY: _("еженедельно"),
        K.HALF_YEARLY: _("раз в полугодие"),
        K.TERMLY: _("по итогам каждой четверти"),
    }[kind]


def _recurrence(parsed: ParsedDeadline) -> str:
    if parsed.kind is K.QUARTERLY and not (parsed.months or parsed.day or parsed.start):
        return _("ежеквартально (до конца квартала)")
    text = _frequency(parsed)
    if parsed.months:
        text += ": " + ", ".join(MONTHS[m] for m in parsed.months)
    if parsed.kind is K.WEEKLY:
        if parsed.day and parsed.day < len(WEEKDAYS):
            text += _(", по %(day)s") % {"day": WEEKDAYS[parsed.day]}
    elif parsed.day:
        text += _(", до %(day)s числа") % {"day": parsed.day}
    if parsed.first_due:
        return _("до %(d)s, далее %(rest)s") % {"d": _d(parsed.first_due), "rest": text}
    if parsed.start and parsed.end:
        text += _(" (с %(a)s по %(b)s)") % {"a": _d(parsed.start), "b": _d(parsed.end)}
    elif parsed.start:
        text += _(" (с %(a)s)") % {"a": _d(parsed.start)}
    return text


def describe(parsed: ParsedDeadline | dict | None) -> str:
    if not parsed:
        return _("срок не указан")
    if isinstance(parsed, dict):
        parsed = ParsedDeadline.from_dict(parsed)
    kind = parsed.kind
    if kind == K.UNREADABLE:
        return _("срок требует уточнения")
    if kind in (K.DATE, K.MONTH):
        return _("до %(d)s") % {"d": _d(parsed.end)}
    if kind in (K.RANGE, K.YEARS):
        return _("с %(a)s по %(b)s") % {"a": _d(parsed.start), "b": _d(parsed.end)}
    if kind == K.PERIODS:
        spans = "; ".join(f"{_d(a)}–{_d(b)}" for a, b in parsed.periods)
        return _("периоды: %(p)s") % {"p": spans}
    if kind in (
        K.YEARLY,
        K.QUARTERLY,
        K.MONTHLY,
        K.WEEKLY,
        K.HALF_YEARLY,
        K.TERMLY,
        K.TIMES_A_YEAR,
    ):
        if kind is K.YEARLY and parsed.start and parsed.end and not parsed.months:
            return _("ежегодно, в конце каждого года с %(a)s по %(b)s") % {
                "a": parsed.start.year,
                "b": parsed.end.year,
            }
        return _recurrence(parsed)
    if kind == K.CONTINUOUS:
        if parsed.start:
            return _("постоянно, с %(d)s (до конца периода)") % {"d": _d(parsed.start)}
        return _("постоянно (до конца периода)")
    if kind == K.ON_REQUEST:
        return _("по запросу (без даты)")
    if kind == K.BY_PLAN:
        return _("по плану или графику (без даты)")
    if kind == K.BY_ITEMS:
        return _("по подпунктам (у каждого свой срок)")
    if kind == K.AFTER_STAGE:
        return _("после этапа %(n)s, до конца отчётного периода") % {"n": parsed.stage}
    if kind == K.END_OF_PERIOD:
        return _("в конце отчётного периода")
    return str(kind)
