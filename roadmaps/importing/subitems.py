"""Sub-items listed inside one cell, each with its own responsible party and deadline.

The "Khabarovsk" layout: an activity's content (or title) cell holds "1. …", "2. …" (or
"- …" lines), and the responsible / deadline cells hold one line per item. Only when the
counts agree are the items split into children; otherwise the text stays as written.
"""

from __future__ import annotations

from roadmaps.itemlists import ItemList, parse_list

from .parsed import ListedItems, ParsedActivity

__all__ = ["ItemList", "parse_list", "split_children", "split_listed"]


def _per_item(text: str, count: int, *, by_lines: bool) -> list[str] | None:
    """The cell's value for each of ``count`` items, or None if it does not list them."""
    listed = parse_list(text)
    if listed and not listed.lead and len(listed.items) == count:
        return [item for _, item in listed.items]
    if by_lines and text:
        lines = text.split("\n")
        if len(lines) == count:
            return lines
    return None


def split_children(activity: ParsedActivity) -> ParsedActivity:
    """Move a per-item list out of the content or title cell into ``children``."""
    for cell in ("content", "title"):
        listed = parse_list(getattr(activity, cell))
        if listed is None:
            continue
        count = len(listed.items)
        responsible = _per_item(activity.responsible, count, by_lines=True)
        deadlines = _per_item(activity.deadline_text, count, by_lines=True)
        if responsible is None and deadlines is None:
            # One responsible party and one deadline for the whole list: left as written,
            # and the methodist may split it in the preview.
            if activity.listed is None:
                activity.listed = ListedItems(cell, "\n".join(listed.lead), listed.items)
            continue
        results = _per_item(activity.expected_result, count, by_lines=False)
        kinds = _per_item(activity.document_kind, count, by_lines=False)
        activity.children = [
            ParsedActivity(
                number=number,
                title=text,
                responsible=responsible[i] if responsible else activity.responsible,
                deadline_text=deadlines[i] if deadlines else activity.deadline_text,
                expected_result=results[i] if results else "",
                document_kind=kinds[i] if kinds else "",
                row_number=activity.row_number,
            )
            for i, (number, text) in enumerate(listed.items)
        ]
        lead = "\n".join(listed.lead)
        if lead or cell == "content":  # a title made only of items stays as written
            setattr(activity, cell, lead)
        activity.listed = None
        break
    return activity


def split_listed(activity: ParsedActivity) -> ParsedActivity:
    """Make sub-items of a list that shares its parent's responsible party and deadline."""
    listed = activity.listed
    if listed is None or activity.children:
        return activity
    activity.children = [
        ParsedActivity(
            number=number,
            title=text,
            responsible=activity.responsible,
            deadline_text=activity.deadline_text,
            row_number=activity.row_number,
        )
        for number, text in listed.items
    ]
    if listed.lead or listed.cell == "content":
        setattr(activity, listed.cell, listed.lead)
    activity.listed = None
    return activity
