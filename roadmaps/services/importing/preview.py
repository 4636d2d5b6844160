"""The preview of an imported roadmap: what the portal understood, before anything is saved.

`preview_import` reads the file and computes every deadline against the roadmap's period:
the one the methodist typed, else the one the document states (title or heading), else
the span of the document's own dates. A deadline whose dates all fall outside that period
is flagged «вне периода дорожной карты» and counted, never silently left without a date.
`preview_with_period` recomputes a preview for a period corrected on the preview page.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, TypedDict

from django.utils import timezone

from roadmaps.deadlines import ParsedDeadline, parse_deadline
from roadmaps.deadlines.describe import describe
from roadmaps.importing import ParsedActivity, read_roadmap
from roadmaps.importing.period import period_of_dates
from roadmaps.services.scheduling import needs_clarification

__all__ = [
    "DeadlineInfo",
    "ImportPreview",
    "PreviewActivity",
    "deadline_info",
    "preview_import",
    "preview_with_period",
    "school_year",
    "walk",
]


class PreviewSplit(TypedDict):
    """A list in the activity's cell with one shared deadline, which may become sub-items."""

    cell: str  # "content" or "title"
    lead: str  # the cell's text before the list
    items: list[list[str]]  # [number as written, text]


class PreviewActivity(TypedDict):
    key: str  # "s0-a3", "s0-a3-c1": how the preview form names a correction
    number: str
    title: str
    content: str
    responsible: str
    deadline_text: str
    expected_result: str
    document_kind: str
    deadline_kind: str
    meaning: str  # the parsed deadline in Russian words, as the roadmap page tells it
    due_dates: list[str]  # ISO dates within the period
    unclear: bool  # «срок требует уточнения»
    out_of_period: bool  # «вне периода дорожной карты»: dated, but not within the period
    split: PreviewSplit | None
    children: list[PreviewActivity]


class PreviewSection(TypedDict):
    key: str
    title: str
    for_every_school: bool
    activities: list[PreviewActivity]


class PreviewCounts(TypedDict):
    sections: int
    activities: int  # sub-activities included
    unclear: int
    out_of_period: int


class PreviewPeriod(TypedDict):
    start: str
    end: str
    source: str  # "title", "heading", "dates"
    text: str  # the words it was read from


class ImportPreview(TypedDict):
    title: str
    filename: str
    period_start: str
    period_end: str
    period_source: str  # "form", "title", "heading", "dates" or "school_year"
    document_period: PreviewPeriod | None  # what the document itself says or implies
    order: dict[str, str] | None  # {"number", "date"} of «к приказу … от … № …»
    sections: list[PreviewSection]
    counts: PreviewCounts
    warnings: list[str]


class DeadlineInfo(TypedDict):
    deadline_kind: str
    meaning: str
    due_dates: list[str]
    unclear: bool
    out_of_period: bool


def school_year(today: date | None = None) -> tuple[date, date]:
    """1 September of the current school year → 31 August of the next calendar year."""
    today = today or timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def deadline_info(
    text: str,
    period_start: date,
    period_end: date,
    *,
    has_sub_items: bool | None = None,
    sub_items: int | None = None,
) -> DeadlineInfo:
    """Parse one deadline phrase for display (also used by the preview's correction field).

    Flagged as `schedule` flags it: unreadable, or a per-item list that no sub-items (or
    not as many) carry; and «вне периода» when it has dates but none in the period."""
    parsed = parse_deadline(text)
    due = parsed.due_dates(period_start, period_end)
    unclear = needs_clarification(parsed, has_sub_items=has_sub_items, sub_items=sub_items)
    return {
        "deadline_kind": parsed.kind.value,
        "meaning": describe(parsed),
        "due_dates": [d.isoformat() for d in due],
        "unclear": unclear,
        "out_of_period": not unclear and parsed.is_dated and not due,
    }


def walk(activities: list[PreviewActivity]):
    """Every activity of a preview list, each parent before its children."""
    for activity in activities:
        yield activity
        yield from walk(activity["children"])


def _preview_activity(item: ParsedActivity, key: str, period: tuple[date, date]) -> PreviewActivity:
    listed = item.listed
    return {
        "key": key,
        "number": item.number,
        "title": item.title,
        "content": item.content,
        "responsible": item.responsible,
        "deadline_text": item.deadline_text,
        "expected_result": item.expected_result,
        "document_kind": item.document_kind,
        **deadline_info(  # type: ignore[typeddict-item]
            item.deadline_text,
            *period,
            has_sub_items=bool(item.children),
            sub_items=len(item.children),
        ),
        "split": (
            {"cell": listed.cell, "lead": listed.lead, "items": [list(i) for i in listed.items]}
            if listed
            else None
        ),
        "children": [
            _preview_activity(child, f"{key}-c{i}", period) for i, child in enumerate(item.children)
        ],
    }


def _spans(parsed: ParsedDeadline) -> list[tuple[date, date]]:
    """The days a deadline names, for the span of a document's dates."""
    spans = list(parsed.periods)
    if parsed.start or parsed.end:
        spans.append((parsed.start or parsed.end, parsed.end or parsed.start))
    if parsed.first_due:
        spans.append((parsed.first_due, parsed.first_due))
    return spans


def _all_activities(items: list[ParsedActivity]):
    for item in items:
        yield item
        yield from _all_activities(item.children)


def _counts(sections: list[PreviewSection]) -> PreviewCounts:
    everything = [a for s in sections for a in walk(s["activities"])]
    return {
        "sections": len(sections),
        "activities": len(everything),
        "unclear": sum(a["unclear"] for a in everything),
        "out_of_period": sum(a["out_of_period"] for a in everything),
    }


def preview_import(
    data: bytes,
    filename: str,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
) -> ImportPreview:
    """Read the file and compute every deadline; raises RoadmapFileError for a non-roadmap.

    Without a period given, the roadmap's own is used: stated in the document, else the
    span of its dates, else the current school year."""
    parsed = read_roadmap(data, filename)
    document = parsed.period
    if document is None:
        everything = [a for s in parsed.sections for a in _all_activities(s.activities)]
        spans = [span for a in everything for span in _spans(parse_deadline(a.deadline_text))]
        document = period_of_dates(spans)
    if period_start and period_end:
        period, source = (period_start, period_end), "form"
    elif document is not None:
        period, source = (document.start, document.end), document.source
    else:
        period, source = school_year(), "school_year"
    sections: list[PreviewSection] = [
        {
            "key": f"s{i}",
            "title": section.title,
            "for_every_school": section.for_every_school,
            "activities": [
                _preview_activity(item, f"s{i}-a{j}", period)
                for j, item in enumerate(section.activities)
            ],
        }
        for i, section in enumerate(parsed.sections)
    ]
    order = parsed.order
    return {
        "title": parsed.title,
        "filename": filename,
        "period_start": period[0].isoformat(),
        "period_end": period[1].isoformat(),
        "period_source": source,
        "document_period": (
            {
                "start": document.start.isoformat(),
                "end": document.end.isoformat(),
                "source": document.source,
                "text": document.text,
            }
            if document
            else None
        ),
        "order": (
            {"number": order.number, "date": order.date.isoformat() if order.date else ""}
            if order
            else None
        ),
        "sections": sections,
        "counts": _counts(sections),
        "warnings": list(parsed.warnings),
    }


def preview_with_period(
    preview: ImportPreview | dict[str, Any], period_start: date, period_end: date
) -> ImportPreview:
    """The same preview with every deadline read against another period."""
    out = copy.deepcopy(preview)
    for section in out["sections"]:
        for activity in walk(section["activities"]):
            children = len(activity["children"])
            activity.update(  # type: ignore[typeddict-item]
                deadline_info(
                    activity["deadline_text"],
                    period_start,
                    period_end,
                    has_sub_items=bool(children),
                    sub_items=children,
                )
            )
    out["period_start"], out["period_end"] = period_start.isoformat(), period_end.isoformat()
    out["period_source"] = "form"
    out["counts"] = _counts(out["sections"])
    return out  # type: ignore[return-value]
