"""From the deadline as written to due dates the reminders and the matrix can use."""

from __future__ import annotations

from collections.abc import Iterable

from roadmaps.deadlines import DeadlineKind, ParsedDeadline, item_deadlines, parse_deadline
from roadmaps.models import Activity, ActivityDueDate, Roadmap


def needs_clarification(
    parsed: ParsedDeadline, *, has_sub_items: bool | None, sub_items: int | None = None
) -> bool:
    """«Срок требует уточнения»: unreadable, or a list of per-item deadlines that nothing
    carries: the activity is known to have no sub-items, or (when their number is known)
    not as many sub-items as the list has lines."""
    if not parsed.is_readable:
        return True
    if parsed.kind is not DeadlineKind.BY_ITEMS:
        return False
    if has_sub_items is False:
        return True
    if sub_items is not None:
        items = item_deadlines(parsed.text)
        return items is None or len(items) != sub_items
    return False


def schedule(
    activity: Activity,
    roadmap: Roadmap,
    *,
    has_sub_items: bool | None = None,
    sub_items: int | None = None,
) -> list:
    """Parse the activity's deadline text and set its parsed fields; returns its due dates.

    An unreadable phrase is kept verbatim and flagged «срок требует уточнения» for a
    person; it is never dropped or guessed; see `needs_clarification`. Callers that do
    not know whether the activity has sub-items pass None.
    """
    parsed = parse_deadline(activity.deadline_text)
    activity.deadline = parsed.to_dict()
    activity.deadline_kind = parsed.kind.value
    activity.deadline_unclear = needs_clarification(
        parsed, has_sub_items=has_sub_items, sub_items=sub_items
    )
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
