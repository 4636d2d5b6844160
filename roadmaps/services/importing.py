"""Import a roadmap from the file a methodist already has: preview first, then save.

`preview_import` reads the file and shows what the portal understood, writing nothing;
`roadmap_import` writes a (possibly corrected) preview as a draft roadmap in one
transaction. The web flow and the `import_roadmap` command call the same two functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import get_scope

from mentorship import audit
from mentorship.models import Organization, User
from mentorship.tenancy.scoping import DIMENSION
from roadmaps.deadlines import parse_deadline
from roadmaps.deadlines.describe import describe
from roadmaps.importing import ParsedActivity, read_roadmap
from roadmaps.models import Activity, Roadmap, Section
from roadmaps.services.scheduling import needs_clarification, replace_due_dates, schedule


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


class ImportPreview(TypedDict):
    title: str
    filename: str
    period_start: str
    period_end: str
    sections: list[PreviewSection]
    counts: PreviewCounts
    warnings: list[str]


class DeadlineInfo(TypedDict):
    deadline_kind: str
    meaning: str
    due_dates: list[str]
    unclear: bool


def school_year(today: date | None = None) -> tuple[date, date]:
    """1 September of the current school year → 31 August of the next calendar year."""
    today = today or timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def deadline_info(
    text: str, period_start: date, period_end: date, *, has_sub_items: bool | None = None
) -> DeadlineInfo:
    """Parse one deadline phrase for display (also used by the preview's correction field).

    Flagged as `schedule` flags it: unreadable, or a per-item list with no sub-items."""
    parsed = parse_deadline(text)
    return {
        "deadline_kind": parsed.kind.value,
        "meaning": describe(parsed),
        "due_dates": [d.isoformat() for d in parsed.due_dates(period_start, period_end)],
        "unclear": needs_clarification(parsed, has_sub_items=has_sub_items),
    }


# --- Preview: read and understand, write nothing -------------------------------------


def _preview_activity(item: ParsedActivity, key: str, period: tuple[date, date]) -> PreviewActivity:
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
            item.deadline_text, *period, has_sub_items=bool(item.children)
        ),
        "children": [
            _preview_activity(child, f"{key}-c{i}", period) for i, child in enumerate(item.children)
        ],
    }


def walk(activities: list[PreviewActivity]):
    """Every activity of a preview list, each parent before its children."""
    for activity in activities:
        yield activity
        yield from walk(activity["children"])


def preview_import(
    data: bytes, filename: str, *, period_start: date, period_end: date
) -> ImportPreview:
    """Read the file and compute every deadline; raises RoadmapFileError for a non-roadmap."""
    parsed = read_roadmap(data, filename)
    period = (period_start, period_end)
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
    everything = [a for s in sections for a in walk(s["activities"])]
    return {
        "title": parsed.title,
        "filename": filename,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "sections": sections,
        "counts": {
            "sections": len(sections),
            "activities": len(everything),
            "unclear": sum(a["unclear"] for a in everything),
        },
        "warnings": list(parsed.warnings),
    }


# --- Save ------------------------------------------------------------------------------


def _fit(model: type, field: str, value: str) -> str:
    """Clip to the column's length: a runaway cell must not fail the whole import."""
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def _require_scope(organization: Organization) -> None:
    active = get_scope()
    if not active.get("_enabled") or organization.pk not in (active.get(DIMENSION) or ()):
        raise RuntimeError("roadmap_import() must run inside tenant_scope(organization)")


def _new_activity(
    roadmap: Roadmap,
    section: Section,
    item: PreviewActivity,
    position: int,
    deadline_text: str,
    parent: Activity | None,
) -> Activity:
    return Activity(
        organization=roadmap.organization,
        roadmap=roadmap,
        section=section,
        parent=parent,
        position=position,
        number=_fit(Activity, "number", item["number"]),
        title=item["title"],
        content=item["content"],
        responsible_text=item["responsible"],
        deadline_text=_fit(Activity, "deadline_text", deadline_text),
        expected_result=item["expected_result"],
        document_kind=_fit(Activity, "document_kind", item["document_kind"]),
        for_every_school=section.for_every_school,
    )


@transaction.atomic
def roadmap_import(
    *,
    actor: User | None,
    organization: Organization,
    preview: ImportPreview | dict[str, Any],
    title: str,
    period_start: date,
    period_end: date,
    deadline_overrides: dict[str, str] | None = None,
) -> Roadmap:
    """Write a previewed roadmap as a draft: sections, activities, children, due dates.

    Numbers stay as written (no renumbering: they are what the order and the people
    refer to). A deadline in `deadline_overrides` replaces the text read from the file;
    one accepted as is and still unreadable stays flagged «срок требует уточнения».
    """
    _require_scope(organization)
    if period_end < period_start:
        raise ValidationError(_("Окончание периода раньше его начала."))
    sections_in: list[PreviewSection] = preview["sections"]
    known = {a["key"]: a for s in sections_in for a in walk(s["activities"])}
    overrides = {k: v.strip() for k, v in (deadline_overrides or {}).items() if v and v.strip()}
    if unknown := sorted(set(overrides) - set(known)):
        raise ValidationError(
            _("Неизвестные мероприятия: %(keys)s.") % {"keys": ", ".join(unknown)}
        )

    roadmap = Roadmap.objects.create(
        organization=organization,
        title=_fit(Roadmap, "title", title.strip() or preview["title"] or preview["filename"]),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    sections = Section.objects.bulk_create(
        Section(
            organization=organization,
            roadmap=roadmap,
            position=position,
            title=_fit(Section, "title", s["title"]),
            for_every_school=s["for_every_school"],
        )
        for position, s in enumerate(sections_in, start=1)
    )
    # One bulk insert per nesting level: parents get their keys before their children.
    level = [
        (section, item, position, None)
        for section, s in zip(sections, sections_in, strict=True)
        for position, item in enumerate(s["activities"], start=1)
    ]
    pairs: list[tuple[Activity, list]] = []
    while level:
        rows: list[tuple[Activity, PreviewActivity]] = []
        for section, item, position, parent in level:
            text = overrides.get(item["key"], item["deadline_text"])
            activity = _new_activity(roadmap, section, item, position, text, parent)
            pairs.append(
                (activity, schedule(activity, roadmap, has_sub_items=bool(item["children"])))
            )
            rows.append((activity, item))
        Activity.objects.bulk_create([a for a, _ in rows], batch_size=500)
        level = [
            (activity.section, child, position, activity)
            for activity, item in rows
            for position, child in enumerate(item["children"], start=1)
        ]
    replace_due_dates(pairs)
    audit.record(
        actor=actor,
        organization=organization,
        action="roadmap.import",
        obj=roadmap,
        filename=preview.get("filename", ""),
        sections=len(sections),
        activities=len(pairs),
        unclear=sum(a.deadline_unclear for a, _ in pairs),
        corrected=len(overrides),
    )
    return roadmap
