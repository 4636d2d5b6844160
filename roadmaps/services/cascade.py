"""A municipal roadmap's duties of every school, copied into each school's own roadmap.

Each school gets one roadmap per municipal roadmap (`origin` points back), holding a copy
of every section and activity marked "for every educational organisation". Copies
follow later edits of their origin, except the fields the school changed itself.
"""

from __future__ import annotations

from django.db import transaction

from mentorship import audit
from mentorship.conflicts import conflicts, lock
from mentorship.models import Organization, OrganizationKind, User
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import PROPAGATED_FIELDS, Activity, ActivityDueDate, Roadmap, Section
from roadmaps.selectors import cascaded_activities, units_below
from roadmaps.services.scheduling import replace_due_dates, schedule


@transaction.atomic
def roadmap_cascade(
    *, actor: User | None, roadmap: Roadmap, schools: list[Organization] | None = None
) -> int:
    """Copy the school duties into every school (or the given ones); returns copies made.

    A regional roadmap cascades the same way one level down: its sections and activities
    marked «for every organisation below» go into a roadmap of every municipality of
    the region, which the municipality then carries out (and the region reads in its
    matrix of municipalities × activities).

    Safe to run again: existing copies are kept (with their progress) and brought up to
    date; only missing ones are created. Runs in an explicit scope of the municipality
    and its schools, as it writes into each of them. The municipal roadmap's row is
    locked first, so two cascades at once (a double click, a school added meanwhile) run
    one after the other and the second finds the copies made; the unique constraints on
    copies are the net under that.
    """
    municipality = roadmap.organization
    schools = schools if schools is not None else units_below(municipality)
    if not schools:
        return 0
    with tenant_scope(municipality, *schools):
        lock(roadmap)
        with conflicts():
            created = cascade_into(roadmap, cascaded_activities(roadmap), schools)
    audit.record(
        actor=actor,
        organization=municipality,
        action="roadmap.cascade",
        obj=roadmap,
        schools=len(schools),
        created=created,
    )
    return created


def cascade_into(roadmap: Roadmap, sources: list[Activity], schools: list[Organization]) -> int:
    """Create what is missing in every school in a handful of bulk queries.

    A copy's deadline reads the same as its origin's over the same period, so each
    source is parsed once and its parsed fields are shared by all of its copies.
    """
    school_roadmaps = {r.organization_id: r for r in Roadmap.objects.filter(origin=roadmap)}
    missing = [s for s in schools if s.pk not in school_roadmaps]
    Roadmap.objects.bulk_create(
        [
            Roadmap(
                organization=s,
                origin=roadmap,
                title=roadmap.title,
                period_start=roadmap.period_start,
                period_end=roadmap.period_end,
            )
            for s in missing
        ]
    )
    school_roadmaps = {r.organization_id: r for r in Roadmap.objects.filter(origin=roadmap)}
    sections = {
        (sec.organization_id, sec.origin_id): sec
        for sec in Section.objects.filter(roadmap__origin=roadmap)
    }
    existing = set(
        Activity.objects.filter(roadmap__origin=roadmap).values_list("organization_id", "origin_id")
    )
    source_sections = {a.section_id: a.section for a in sources}
    Section.objects.bulk_create(
        [
            Section(
                organization=school,
                roadmap=school_roadmaps[school.pk],
                position=section.position,
                title=section.title,
                origin=section,
            )
            for school in schools
            for section in source_sections.values()
            if (school.pk, section.pk) not in sections
        ]
    )
    sections = {
        (sec.organization_id, sec.origin_id): sec
        for sec in Section.objects.filter(roadmap__origin=roadmap)
    }
    dates = {a.pk: schedule(a, roadmap) for a in sources}
    copies = [
        Activity(
            organization=school,
            roadmap=school_roadmaps[school.pk],
            section=sections[(school.pk, source.section_id)],
            origin=source,
            for_every_school=False,
            deadline=source.deadline,
            deadline_kind=source.deadline_kind,
            deadline_unclear=source.deadline_unclear,
            due_date=source.due_date,
            **{f: getattr(source, f) for f in PROPAGATED_FIELDS},
        )
        for school in schools
        for source in sources
        if (school.pk, source.pk) not in existing
    ]
    Activity.objects.bulk_create(copies, batch_size=2000)
    ActivityDueDate.objects.bulk_create(
        [
            ActivityDueDate(organization_id=c.organization_id, activity=c, due_on=d)
            for c in copies
            for d in dates[c.origin_id]
        ],
        batch_size=5000,
    )
    return len(copies)


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
    """A school added later receives the duties of every roadmap already cascaded; so
    does a municipality added to a region later, from the region's roadmaps."""
    below_region = school.kind == OrganizationKind.MUNICIPALITY
    if not (school.is_educational or below_region) or school.parent_id is None:
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
