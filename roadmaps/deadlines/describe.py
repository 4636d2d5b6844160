"""A parsed deadline told back in Russian, so a person can check the machine's reading."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .parsed import DeadlineKind, ParsedDeadline

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


def _d(value) -> str:
    return date_format(value, "d.m.Y") if value else "?"


def describe(parsed: ParsedDeadline | dict | None) -> str:
    if not parsed:
        return _("срок не указан")
    if isinstance(parsed, dict):
        parsed = ParsedDeadline.from_dict(parsed)
    kind = parsed.kind
    if kind == DeadlineKind.UNREADABLE:
        return _("срок требует уточнения")
    if kind in (DeadlineKind.DATE, DeadlineKind.MONTH):
        return _("до %(d)s") % {"d": _d(parsed.end)}
    if kind in (DeadlineKind.RANGE, DeadlineKind.YEARS):
        return _("с %(a)s по %(b)s") % {"a": _d(parsed.start), "b": _d(parsed.end)}
    if kind == DeadlineKind.PERIODS:
        spans = "; ".join(f"{_d(a)}–{_d(b)}" for a, b in parsed.periods)
        return _("периоды: %(p)s") % {"p": spans}
    if kind == DeadlineKind.YEARLY:
        months = ", ".join(MONTHS[m] for m in parsed.months)
        text = _("ежегодно")
        if months:
            text += f": {months}"
        if parsed.day:
            text += _(", до %(day)s числа") % {"day": parsed.day}
        if parsed.first_due:
            text = _("до %(d)s, далее %(rest)s") % {"d": _d(parsed.first_due), "rest": text}
        return text
    if kind == DeadlineKind.QUARTERLY:
        return _("ежеквартально (до конца квартала)")
    if kind == DeadlineKind.CONTINUOUS:
        return _("постоянно (до конца периода)")
    if kind == DeadlineKind.ON_REQUEST:
        return _("по запросу (без даты)")
    if kind == DeadlineKind.BY_PLAN:
        return _("по плану или графику (без даты)")
    if kind == DeadlineKind.BY_ITEMS:
        return _("по подпунктам (у каждого свой срок)")
    if kind == DeadlineKind.AFTER_STAGE:
        return _("после этапа %(n)s, до конца отчётного периода") % {"n": parsed.stage}
    if kind == DeadlineKind.END_OF_PERIOD:
        return _("в конце отчётного периода")
    return str(kind)
