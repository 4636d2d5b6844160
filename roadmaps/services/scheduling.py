"""From the deadline as written to due dates the reminders and the matrix can use."""

from __future__ import annotations

from collections.abc import Iterable

from roadmaps.deadlines import DeadlineKind, ParsedDeadline, parse_deadline
from roadmaps.models import Activity, ActivityDueDate, Roadmap

# No fixed date, by design: not "unclear", but nothing to remind about either. BY_ITEMS:
# the parent of sub-items, each of which carries its own deadline and due dates.
UNDATED_KINDS = {DeadlineKind.ON_REQUEST, DeadlineKind.BY_PLAN, DeadlineKind.BY_ITEMS}


def needs_clarification(parsed: ParsedDeadline, *, has_sub_items: bool | None) -> bool:
    """«Срок требует уточнения»: unreadable, or a list of per-item deadlines on an
    activity known to have no sub-items (nothing would carry its dates)."""
    orphan_list = parsed.kind is DeadlineKind.BY_ITEMS and has_sub_items is False
    return not parsed.is_readable or orphan_list


def schedule(activity: Activity, roadmap: Roadmap, *, has_sub_items: bool | None = None) -> list:
    """Parse the activity's deadline text and set its parsed fields; returns its due dates.

    An unreadable phrase is kept verbatim and flagged «срок требует уточнения» for a
    person; it is never dropped or guessed; see `needs_clarification`. Callers that do
    not know whether the activity has sub-items pass None.
    """
    parsed = parse_deadline(activity.deadline_text)
    activity.deadline = parsed.to_dict()
    activity.deadline_kind = parsed.kind.value
    activity.deadline_unclear = needs_clarification(parsed, has_sub_items=has_sub_items)
    dates = parsed.due_dates(roadmap.period_start, roadmap.period_end)
    activity.due_date = dates[0] if dates else None
    return dates


def replace_due_dates(pairs: Iterable[tuple[Activity, list]]) -> None:
    """Rewrite the due-date rows of these (saved) activities in two queries."""
    pairs = list(pairs)
    ActivityDueDate.objects.filter(activity__in=[a.pk for a, _ in pairs]).delete()
    ActivityDueDate.objects.bulk_create(
        [
            ActivityDueDate(organization_id=a.organization_id, activity=a, due_on=d)
            for a, dates in pairs
            for d in dates
        ],
        batch_size=2000,
    )
