"""A municipal roadmap's duties of every school, copied into each school's own roadmap.

Each school gets one roadmap per municipal roadmap (`origin` points back), holding a copy
of every section and activity marked "for every educational organisation". Copies
follow later edits of their origin, except the fields the school changed itself.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from mentorship import audit
from mentorship.models import EDUCATIONAL_KINDS, Organization, User
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import PROPAGATED_FIELDS, Activity, Roadmap, Section
from roadmaps.services.scheduling import replace_due_dates, schedule


def cascaded_activities(roadmap: Roadmap) -> list[Activity]:
    """The municipal activities that every school must carry out, in roadmap order."""
    return list(
        roadmap.activities.filter(Q(for_every_school=True) | Q(section__for_every_school=True))
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )


def schools_of(municipality: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(parent=municipality, kind__in=EDUCATIONAL_KINDS).order_by("pk")
    )


@transaction.atomic
def roadmap_cascade(
    *, actor: User | None, roadmap: Roadmap, schools: list[Organization] | None = None
) -> int:
    """Copy the school duties into every school (or the given ones); returns copies made.

    Safe to run again: existing copies are kept (with their progress) and brought up to
    date; only missing ones are created. Runs in an explicit scope of the municipality
    and its schools, as it writes into each of them.
    """
    municipality = roadmap.organization
    schools = schools if schools is not None else schools_of(municipality)
    if not schools:
        return 0
    with tenant_scope(municipality, *schools):
        sources = cascaded_activities(roadmap)
        created = 0
        for school in schools:
            created += _cascade_into(roadmap, sources, school)
    audit.record(
        actor=actor,
        organization=municipality,
        action="roadmap.cascade",
        obj=roadmap,
        schools=len(schools),
        created=created,
    )
    return created


def _cascade_into(roadmap: Roadmap, sources: list[Activity], school: Organization) -> int:
    school_roadmap, _ = Roadmap.objects.get_or_create(
        organization=school,
        origin=roadmap,
        defaults={
            "title": roadmap.title,
            "period_start": roadmap.period_start,
            "period_end": roadmap.period_end,
        },
    )
    sections = {s.origin_id: s for s in school_roadmap.sections.all()}
    existing = set(school_roadmap.activities.values_list("origin_id", flat=True))
    new_copies: list[Activity] = []
    for source in sources:
        if source.pk in existing:
            continue
        section = sections.get(source.section_id)
        if section is None:
            section = Section.objects.create(
                organization=school,
                roadmap=school_roadmap,
                position=source.section.position,
                title=source.section.title,
                origin=source.section,
            )
            sections[source.section_id] = section
        copy = Activity(
            organization=school,
            roadmap=school_roadmap,
            section=section,
            origin=source,
            for_every_school=False,
            **{f: getattr(source, f) for f in PROPAGATED_FIELDS},
        )
        new_copies.append(copy)
    if not new_copies:
        return 0
    pairs = [(copy, schedule(copy, school_roadmap)) for copy in new_copies]
    Activity.objects.bulk_create(new_copies, batch_size=1000)
    replace_due_dates(pairs)
    return len(new_copies)


def propagate_to_copies(origin: Activity, changed: list[str]) -> int:
    """Carry the origin's edited fields into the copies the school has not changed itself."""
    fields = [f for f in changed if f in PROPAGATED_FIELDS]
    if not fields:
        return 0
    with unscoped_reads():  # which schools hold copies: ids only, to scope the write
        school_ids = list(
            Activity.objects.filter(origin=origin).values_list("organization_id", flat=True)
        )
    if not school_ids:
        return 0
    schools = list(Organization.objects.filter(pk__in=school_ids))
    updated = []
    with tenant_scope(origin.organization, *schools):
        copies = list(Activity.objects.filter(origin=origin).select_related("roadmap"))
        pairs = []
        for copy in copies:
            own = set(copy.locally_changed)
            touched = [f for f in fields if f not in own]
            if not touched:
                continue
            for f in touched:
                setattr(copy, f, getattr(origin, f))
            pairs.append((copy, schedule(copy, copy.roadmap)))
            updated.append(copy)
        Activity.objects.bulk_update(
            updated,
            [*PROPAGATED_FIELDS, "deadline", "deadline_kind", "deadline_unclear", "due_date"],
            batch_size=1000,
        )
        replace_due_dates(pairs)
    return len(updated)


def cascade_to_new_school(school: Organization) -> None:
    """A school added later receives the duties of every roadmap already cascaded."""
    if not school.is_educational or school.parent_id is None:
        return
    municipality = school.parent
    with unscoped_reads():  # the municipality's roadmaps that already have school copies
        roadmaps = list(
            Roadmap.objects.filter(
                organization=municipality, origin__isnull=True, school_copies__isnull=False
            ).distinct()
        )
    for roadmap in roadmaps:
        roadmap_cascade(actor=None, roadmap=roadmap, schools=[school])
