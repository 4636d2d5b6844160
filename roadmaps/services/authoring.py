"""Roadmaps, sections and activities: create, edit, reorder, number, approve, version."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from mentorship import audit, events
from mentorship.conflicts import Conflict, conflicts
from mentorship.models import Organization, OrganizationKind, User
from roadmaps import access
from roadmaps.models import Activity, Roadmap, RoadmapStatus, Section
from roadmaps.services import standard
from roadmaps.services.autotick import guess_event
from roadmaps.services.scheduling import replace_due_dates, schedule
from roadmaps.services.versions import relink_school_copies

EDITABLE_ACTIVITY_FIELDS = (
    "number",
    "title",
    "content",
    "responsible_text",
    "deadline_text",
    "expected_result",
    "document_kind",
    "for_every_school",
    "auto_event",
)


def lock(roadmap: Roadmap) -> Roadmap:
    """Lock the roadmap's row until the transaction ends and bring `roadmap` up to date.

    Every change of a roadmap's state or content takes this lock first, so two requests
    at once run one after the other and the second sees what the first did (an approval,
    a new draft) instead of acting on what it read before.
    """
    current = Roadmap.objects.select_for_update(no_key=True).get(pk=roadmap.pk)
    for field in ("status", "order_number", "order_date", "version", "updated_at"):
        setattr(roadmap, field, getattr(current, field))
    return roadmap


def _ensure_editable(roadmap: Roadmap) -> None:
    lock(roadmap)
    if not roadmap.is_editable:
        raise ValidationError(
            _("Дорожная карта утверждена и не редактируется. Создайте новую редакцию.")
        )


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise ValidationError(_("Окончание периода раньше его начала."))


@transaction.atomic
def roadmap_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    period_start: date,
    period_end: date,
    from_standard: bool = False,
) -> Roadmap:
    _check_period(period_start, period_end)
    roadmap = Roadmap.objects.create(
        organization=organization,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    if from_standard:
        # A region starts from the municipal areas too: its «на уровне ОО» sections
        # then reach every municipality, which passes them on to its schools.
        template = (
            standard.MUNICIPAL_AREAS
            if organization.kind in (OrganizationKind.MUNICIPALITY, OrganizationKind.REGION)
            else standard.SCHOOL_STAGES
        )
        _fill_from_template(roadmap, template)
    audit.record(actor=actor, organization=organization, action="roadmap.create", obj=roadmap)
    return roadmap


def _fill_from_template(roadmap: Roadmap, template: standard.Template) -> None:
    years = {"y": roadmap.period_start.year, "y1": roadmap.period_start.year + 1}
    for s_pos, (section_title, every_school, activities) in enumerate(template, start=1):
        section = Section.objects.create(
            organization=roadmap.organization,
            roadmap=roadmap,
            position=s_pos,
            title=section_title,
            for_every_school=every_school,
        )
        for a_pos, (title, responsible, deadline, result, document) in enumerate(activities, 1):
            _create_activity(
                roadmap,
                section,
                position=a_pos,
                title=title,
                responsible_text=responsible,
                deadline_text=deadline.format(**years),
                expected_result=result,
                document_kind=document,
                for_every_school=every_school,
                auto_event=guess_event(title),
            )
    renumber(roadmap)


def _create_activity(roadmap: Roadmap, section: Section, **fields: Any) -> Activity:
    activity = Activity(
        organization=roadmap.organization, roadmap=roadmap, section=section, **fields
    )
    dates = schedule(activity, roadmap)
    activity.save()
    replace_due_dates([(activity, dates)])
    return activity


@transaction.atomic
def roadmap_copy(
    *, actor: User, source: Roadmap, title: str, period_start: date, period_end: date
) -> Roadmap:
    """Start this year's roadmap from last year's: the same sections and activities, no progress.

    Deadlines are re-read against the new period; a phrase naming last year's month
    simply falls outside it and shows no due date until someone updates it.
    """
    _check_period(period_start, period_end)
    roadmap = Roadmap.objects.create(
        organization=source.organization,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    _copy_content(source, roadmap)
    audit.record(
        actor=actor,
        organization=roadmap.organization,
        action="roadmap.copy",
        obj=roadmap,
        source=source.pk,
    )
    return roadmap


def _copy_content(source: Roadmap, target: Roadmap, *, as_version: bool = False) -> None:
    """Copy sections and activities; `as_version` links each to the one it was copied
    from, so that the school copies of a municipal roadmap can follow the new version."""
    activities = list(source.activities.order_by("parent_id", "position", "pk"))
    new_by_old: dict[int, Activity] = {}
    for section in source.sections.all():
        new_section = Section.objects.create(
            organization=target.organization,
            roadmap=target,
            position=section.position,
            title=section.title,
            for_every_school=section.for_every_school,
            previous_version=section if as_version else None,
        )
        # Parents first (parent_id NULL sorts first), so children find their new parent.
        for old in (a for a in activities if a.section_id == section.pk):
            fields = {f: getattr(old, f) for f in EDITABLE_ACTIVITY_FIELDS}
            new_by_old[old.pk] = _create_activity(
                target,
                new_section,
                position=old.position,
                parent=new_by_old.get(old.parent_id) if old.parent_id else None,
                previous_version=old if as_version else None,
                **fields,
            )


@transaction.atomic
def roadmap_update(
    *, actor: User, roadmap: Roadmap, title: str, period_start: date, period_end: date
) -> Roadmap:
    _ensure_editable(roadmap)
    _check_period(period_start, period_end)
    period_changed = (period_start, period_end) != (roadmap.period_start, roadmap.period_end)
    roadmap.title, roadmap.period_start, roadmap.period_end = title, period_start, period_end
    roadmap.save(update_fields=["title", "period_start", "period_end", "updated_at"])
    if period_changed:
        reschedule(roadmap)
    audit.record(
        actor=actor, organization=roadmap.organization, action="roadmap.update", obj=roadmap
    )
    return roadmap


def reschedule(roadmap: Roadmap) -> None:
    """Re-read every deadline of the roadmap against its period."""
    activities = list(roadmap.activities.all())
    children = Counter(a.parent_id for a in activities)
    pairs = [
        (a, schedule(a, roadmap, has_sub_items=a.pk in children, sub_items=children[a.pk]))
        for a in activities
    ]
    Activity.objects.bulk_update(
        activities, ["deadline", "deadline_kind", "deadline_unclear", "due_date"], batch_size=1000
    )
    replace_due_dates(pairs)


@transaction.atomic
def section_create(
    *, actor: User, roadmap: Roadmap, title: str, for_every_school: bool = False
) -> Section:
    _ensure_editable(roadmap)
    last = roadmap.sections.aggregate(m=Max("position"))["m"] or 0
    section = Section.objects.create(
        organization=roadmap.organization,
        roadmap=roadmap,
        position=last + 1,
        title=title,
        for_every_school=for_every_school,
    )
    renumber(roadmap)
    return section


@transaction.atomic
def section_update(*, actor: User, section: Section, title: str, for_every_school: bool) -> Section:
    _ensure_editable(section.roadmap)
    section.title, section.for_every_school = title, for_every_school
    section.save(update_fields=["title", "for_every_school"])
    return section


@transaction.atomic
def section_delete(*, actor: User, section: Section) -> None:
    roadmap = section.roadmap
    _ensure_editable(roadmap)
    section.delete()
    renumber(roadmap)


@transaction.atomic
def activity_create(
    *, actor: User, section: Section, parent: Activity | None = None, **fields: Any
) -> Activity:
    roadmap = section.roadmap
    _ensure_editable(roadmap)
    siblings = Activity.objects.filter(section=section, parent=parent)
    last = siblings.aggregate(m=Max("position"))["m"] or 0
    clean = {k: v for k, v in fields.items() if k in EDITABLE_ACTIVITY_FIELDS}
    if not (clean.get("title") or "").strip():
        raise ValidationError({"title": _("Укажите наименование мероприятия.")})
    clean.setdefault("for_every_school", section.for_every_school)
    activity = _create_activity(roadmap, section, parent=parent, position=last + 1, **clean)
    if not clean.get("number"):
        renumber(roadmap)
        activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, **fields: Any) -> Activity:
    """Edit an activity. A school editing its copy marks those fields as its own."""
    _ensure_editable(activity.roadmap)
    changed = [
        name
        for name, value in fields.items()
        if name in EDITABLE_ACTIVITY_FIELDS and getattr(activity, name) != value
    ]
    if "title" in changed and not (fields["title"] or "").strip():
        raise ValidationError({"title": _("Укажите наименование мероприятия.")})
    for name in changed:
        setattr(activity, name, fields[name])
    if activity.origin_id:
        activity.locally_changed = sorted(set(activity.locally_changed) | set(changed))
    dates = schedule(activity, activity.roadmap)
    activity.save()
    replace_due_dates([(activity, dates)])
    if changed and not activity.origin_id:
        from roadmaps.services.cascade import propagate_to_copies

        propagate_to_copies(activity, changed)
    if "responsible_users" in fields:
        activity.responsible_users.set(fields["responsible_users"])
    if "responsible_organizations" in fields:
        activity.responsible_organizations.set(fields["responsible_organizations"])
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    roadmap = activity.roadmap
    _ensure_editable(roadmap)
    activity.delete()
    renumber(roadmap)


@transaction.atomic
def activity_move(*, actor: User, activity: Activity, offset: int) -> None:
    """Move an activity up (-1) or down (+1) among its siblings and renumber."""
    roadmap = activity.roadmap
    _ensure_editable(roadmap)
    siblings = list(
        Activity.objects.filter(section=activity.section, parent=activity.parent).order_by(
            "position", "pk"
        )
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == activity.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    Activity.objects.bulk_update(siblings, ["position"])
    renumber(roadmap)


@transaction.atomic
def section_move(*, actor: User, section: Section, offset: int) -> None:
    roadmap = section.roadmap
    _ensure_editable(roadmap)
    sections = list(roadmap.sections.order_by("position", "pk"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    target = index + offset
    if not 0 <= target < len(sections):
        return
    sections.insert(target, sections.pop(index))
    for position, s in enumerate(sections, start=1):
        s.position = position
    Section.objects.bulk_update(sections, ["position"])
    renumber(roadmap)


def renumber(roadmap: Roadmap) -> None:
    """Number activities "1", "2", … through the roadmap, sub-activities "1.1", "1.2"."""
    activities = list(
        roadmap.activities.select_related("section").order_by(
            "section__position", "section_id", "position", "pk"
        )
    )
    child_counters: dict[int, int] = {}
    top = (a for a in activities if a.parent_id is None)
    numbers: dict[int, str] = {a.pk: str(i) for i, a in enumerate(top, start=1)}
    for a in (a for a in activities if a.parent_id is not None):
        child_counters[a.parent_id] = child_counters.get(a.parent_id, 0) + 1
        numbers[a.pk] = f"{numbers.get(a.parent_id, '?')}.{child_counters[a.parent_id]}"
    changed = [a for a in activities if a.number != numbers[a.pk]]
    for a in changed:
        a.number = numbers[a.pk]
    Activity.objects.bulk_update(changed, ["number"], batch_size=1000)


@transaction.atomic
def roadmap_approve(
    *, actor: User, roadmap: Roadmap, order_number: str, order_date: date
) -> Roadmap:
    """Approve by an order: the roadmap is frozen as this version; earlier ones are archived.

    Two approvals at once (with different order numbers): the row lock makes the second
    wait, see the roadmap approved and refuse with 409, naming the order that won."""
    if not order_number.strip():
        raise ValidationError({"order_number": _("Укажите номер приказа.")})
    lock(roadmap)
    if roadmap.status == RoadmapStatus.APPROVED:
        raise Conflict(
            _("Дорожная карта уже утверждена приказом № %(n)s от %(d)s.")
            % {"n": roadmap.order_number, "d": _date(roadmap.order_date)}
        )
    if roadmap.status != RoadmapStatus.DRAFT:
        raise Conflict(_("Утвердить можно только черновик дорожной карты."))
    roadmap.status = RoadmapStatus.APPROVED
    roadmap.order_number, roadmap.order_date = order_number.strip(), order_date
    roadmap.save(update_fields=["status", "order_number", "order_date", "updated_at"])
    if roadmap.previous_version_id:
        Roadmap.objects.filter(pk=roadmap.previous_version_id).update(status=RoadmapStatus.ARCHIVED)
        # The schools' copies of the version it replaces now follow this one.
        relink_school_copies(actor=actor, roadmap=roadmap)
    audit.record(
        actor=actor,
        organization=roadmap.organization,
        action="roadmap.approve",
        obj=roadmap,
        order_number=roadmap.order_number,
        order_date=order_date.isoformat(),
    )
    events.emit(
        events.Event.ROADMAP_APPROVED,
        roadmap.organization,
        evidence=events.Evidence(
            note=_("дорожная карта утверждена приказом № %(n)s от %(d)s")
            % {"n": roadmap.order_number, "d": _date(order_date)},
            on=order_date,
            url=reverse(
                "roadmaps:roadmap_detail",
                kwargs={"org_slug": roadmap.organization.slug, "roadmap_id": roadmap.pk},
            ),
            rule=access.READ.name,
            subject=roadmap,
        ),
    )
    return roadmap


@transaction.atomic
def roadmap_new_draft(*, actor: User, roadmap: Roadmap) -> Roadmap:
    """Edits to an approved roadmap go into a new draft version; the approved one stays.

    Idempotent under a double click: the approved roadmap's row is locked, so a second
    request waits and then finds the draft the first one made and returns it. The
    database holds the rule too: a version has at most one next version."""
    lock(roadmap)
    existing = Roadmap.objects.filter(previous_version=roadmap).first()
    if existing and existing.status == RoadmapStatus.DRAFT:
        return existing
    if roadmap.status != RoadmapStatus.APPROVED or existing:
        raise Conflict(_("Новая редакция создаётся из утверждённой дорожной карты."))
    with conflicts():
        draft = Roadmap.objects.create(
            organization=roadmap.organization,
            title=roadmap.title,
            period_start=roadmap.period_start,
            period_end=roadmap.period_end,
            version=roadmap.version + 1,
            previous_version=roadmap,
            created_by=actor,
        )
    _copy_content(roadmap, draft, as_version=True)
    audit.record(
        actor=actor, organization=draft.organization, action="roadmap.new_draft", obj=draft
    )
    return draft
