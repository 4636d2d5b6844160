"""Save a previewed roadmap as a draft, with the methodist's corrections.

Corrections: deadline texts typed over unreadable ones, lists split into sub-items (a
list in the activity's cell with one shared deadline, off unless asked), the title and
the period. A roadmap like one the organisation already has (same title and period, and
no different order number) is saved only when the methodist confirms it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import get_scope

from mentorship import audit
from mentorship.models import Organization, User
from mentorship.tenancy.scoping import DIMENSION
from roadmaps.models import Activity, Roadmap, Section
from roadmaps.selectors import matching_roadmaps
from roadmaps.services.autotick import guess_event
from roadmaps.services.scheduling import replace_due_dates, schedule

from .preview import ImportPreview, PreviewActivity, PreviewSection, walk

__all__ = ["DUPLICATE", "roadmap_import", "split_into_children"]

DUPLICATE = "duplicate"  # the ValidationError code of a roadmap saved before


def _fit(model: type, field: str, value: str) -> str:
    """Clip to the column's length: a runaway cell must not fail the whole import."""
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def _require_scope(organization: Organization) -> None:
    active = get_scope()
    if not active.get("_enabled") or organization.pk not in (active.get(DIMENSION) or ()):
        raise RuntimeError("roadmap_import() must run inside tenant_scope(organization)")


def split_into_children(item: PreviewActivity) -> PreviewActivity:
    """The activity with its cell's list made into sub-items sharing its deadline."""
    split = item.get("split")
    if not split or item["children"]:
        return item
    children: list[PreviewActivity] = [
        {
            **item,  # type: ignore[typeddict-item]
            "key": f"{item['key']}-c{i}",
            "number": number,
            "title": text,
            "content": "",
            "expected_result": "",
            "document_kind": "",
            "split": None,
            "children": [],
        }
        for i, (number, text) in enumerate(split["items"])
    ]
    out: PreviewActivity = {**item, "split": None, "children": children}  # type: ignore
    if split["lead"] or split["cell"] == "content":  # a title made only of items stays
        out[split["cell"]] = split["lead"]  # type: ignore[literal-required]
    return out


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
        # A title that clearly names a portal event is linked to it (services/autotick.py).
        auto_event=guess_event(item["title"]),
    )


def _check_duplicate(
    organization: Organization, preview: ImportPreview | dict, title: str, period: tuple
) -> None:
    order = (preview.get("order") or {}).get("number", "")
    same = matching_roadmaps(
        organization, title=title, period_start=period[0], period_end=period[1], order_number=order
    )
    if same:
        raise ValidationError(
            _(
                "Такая дорожная карта уже есть: «%(title)s» на тот же период (черновик или "
                "утверждённая). Подтвердите, что нужна ещё одна."
            )
            % {"title": same[0].title},
            code=DUPLICATE,
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
    split_keys: set[str] | frozenset[str] = frozenset(),
    confirm_duplicate: bool = False,
) -> Roadmap:
    """Write a previewed roadmap as a draft: sections, activities, children, due dates.

    Numbers stay as written (no renumbering: they are what the order and the people
    refer to). A deadline in `deadline_overrides` replaces the text read from the file;
    one accepted as is and still unreadable stays flagged «срок требует уточнения».
    The activities named in `split_keys` have their cell's list made into sub-items.
    """
    _require_scope(organization)
    if period_end < period_start:
        raise ValidationError(_("Окончание периода раньше его начала."))
    title = _fit(Roadmap, "title", title.strip() or preview["title"] or preview["filename"])
    if not confirm_duplicate:
        _check_duplicate(organization, preview, title, (period_start, period_end))
    sections_in: list[PreviewSection] = [
        {
            **s,  # type: ignore[typeddict-item]
            "activities": [
                split_into_children(a) if a["key"] in split_keys else a for a in s["activities"]
            ],
        }
        for s in preview["sections"]
    ]
    known = {a["key"]: a for s in sections_in for a in walk(s["activities"])}
    overrides = {k: v.strip() for k, v in (deadline_overrides or {}).items() if v and v.strip()}
    if unknown := sorted((set(overrides) | set(split_keys)) - set(known)):
        raise ValidationError(
            _("Неизвестные мероприятия: %(keys)s.") % {"keys": ", ".join(unknown)}
        )

    roadmap = Roadmap.objects.create(
        organization=organization,
        title=title,
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
            children = len(item["children"])
            dates = schedule(activity, roadmap, has_sub_items=bool(children), sub_items=children)
            pairs.append((activity, dates))
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
        split=len(split_keys),
    )
    return roadmap
