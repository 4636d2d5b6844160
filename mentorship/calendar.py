"""One calendar per organisation and per person, fed by the apps, without the core
importing them.

An app registers a source in its AppConfig.ready()::

    register_calendar_source("registry.meetings", planned_meetings)

A source is a callable ``source(query) -> Iterable[CalendarEvent]``. `query` says whose
calendar is asked for and which days (`CalendarQuery`): the organisation's (every event
the role may see) or one participant's (only the events that person takes part in; a
source with nothing personal returns nothing then). A source checks its own named rules
against `query.tenant` when one is given (the staff page, the API: `rule.permits(
query.tenant)`) and answers a fixed number of queries whatever the number of events.

The core merges the sources' events in time order (`calendar_events`) for the calendar
page, the API and the ICS feeds (`ics_calendar`); group meetings (intake) and
school-of-mentors sessions (school) plug in the same way as planned pair meetings and
roadmap deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from mentorship.models import Organization
    from mentorship.tenancy.resolution import TenantContext

__all__ = [
    "CalendarEvent",
    "CalendarQuery",
    "CalendarSource",
    "calendar_events",
    "calendar_sources",
    "ics_calendar",
    "register_calendar_source",
]


@dataclass(frozen=True)
class CalendarQuery:
    """Whose calendar, for which days (both ends included).

    `participant_id` set: one person's calendar (their page, their feed); then `tenant`
    is None and the source answers for that person only. `tenant` set: a staff member's
    view of the organisation; the source returns nothing their roles may not see.
    Neither: the organisation's private feed, opened by its token (what the curator sees).
    """

    organization: Organization
    start: dt.date
    end: dt.date
    participant_id: int | None = None
    tenant: TenantContext | None = None

    @property
    def personal(self) -> bool:
        return self.participant_id is not None


@dataclass(frozen=True)
class CalendarEvent:
    """One entry of a calendar.

    `start` is a date for an all-day entry (a deadline) or an aware datetime; `end`
    likewise, or None (a one-day entry, or an hour for a timed one). `uid` is stable
    across feeds and edits (``meeting-42@<org slug>``): a calendar app updates the entry
    it already has instead of adding a second one. `sequence` grows when the event moves.
    `url` is a path inside the portal for staff (empty on personal calendars).
    """

    uid: str
    source: str
    title: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    # Free-form facts for the page (e.g. {"pair": 3, "format": "Очно"}).
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def day(self) -> dt.date:
        if isinstance(self.start, dt.datetime):
            return timezone.localtime(self.start).date()
        return self.start

    def sort_key(self) -> tuple:
        if isinstance(self.start, dt.datetime):
            return (self.day, 1, timezone.localtime(self.start).time(), self.title)
        # An all-day entry first on its day: deadlines head the day's list.
        return (self.start, 0, dt.time.min, self.title)


CalendarSource = Callable[[CalendarQuery], Iterable[CalendarEvent]]

_sources: dict[str, CalendarSource] = {}


def register_calendar_source(key: str, source: CalendarSource) -> None:
    """Add `source` under `key` ("<app>.<what>"); registering the same key again replaces
    it (the dev server reloads apps), so one source never feeds a calendar twice."""
    if "." not in key:
        raise ValueError(f"A calendar source key is '<app>.<what>', got {key!r}")
    _sources[key] = source


def calendar_sources() -> tuple[str, ...]:
    return tuple(_sources)


def calendar_events(
    query: CalendarQuery, *, sources: Iterable[str] | None = None
) -> list[CalendarEvent]:
    """Every registered source's events for `query`, in time order."""
    if query.end < query.start:
        raise ValueError("The calendar's end is before its start")
    wanted = set(sources) if sources is not None else None
    events: list[CalendarEvent] = []
    for key, source in _sources.items():
        if wanted is None or key in wanted:
            events.extend(source(query))
    events.sort(key=CalendarEvent.sort_key)
    return events


def ics_calendar(events: Iterable[CalendarEvent], *, name: str, base_url: str = "") -> bytes:
    """The events as an iCalendar file (RFC 5545) built with `icalendar`.

    Timed events go out in UTC (no VTIMEZONE needed); all-day ones as DATE values with
    an exclusive end, as RFC 5545 wants. `base_url` turns portal paths into links.
    """
    import icalendar  # imported here: only the feeds need it

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mentorship portal//calendar//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    for event in events:
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("summary", event.title)
        vevent.add("sequence", event.sequence)
        if isinstance(event.start, dt.datetime):
            vevent.add("dtstart", event.start.astimezone(dt.UTC))
            end = event.end or event.start + dt.timedelta(hours=1)
            vevent.add("dtend", end.astimezone(dt.UTC))  # type: ignore[union-attr]
        else:
            vevent.add("dtstart", event.start)
            end_day = event.end if isinstance(event.end, dt.date) else event.start
            vevent.add("dtend", end_day + dt.timedelta(days=1))
        if event.location:
            vevent.add("location", event.location)
        if event.description:
            vevent.add("description", event.description)
        if event.url and base_url:
            vevent.add("url", base_url.rstrip("/") + event.url)
        vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        calendar.add_component(vevent)
    return calendar.to_ical()
