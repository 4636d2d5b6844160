"""A municipal roadmap's new version, approved: the schools' copies follow it over.

Each school holds one copy roadmap per municipal roadmap, with a copy of every school
duty and the school's progress on it. When a new version is approved (and the previous
one archived), the copies are re-linked to the new version rather than left on the
archived one, which would leave the progress matrix of the new version empty and make
the next cascade copy every duty a second time:

- each copied duty follows its successor (`previous_version` links them): the fields the
  school has not changed take the new version's text, the ones it changed stay its own
  (as with later edits of the origin, `propagate_to_copies`); status, comment and
  evidence stay;
- a duty the new version dropped is removed from the school if the school never touched
  it (no change, no progress); otherwise it is kept, still linked to the old version;
- the school's copy roadmap takes the new title and period; the deadlines are re-read
  against it; duties new in this version are copied in as the cascade copies them.
"""

from __future__ import annotations

from django.db import transaction

from mentorship import audit
from mentorship.models import Organization, User
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import PROPAGATED_FIELDS, Activity, ActivityStatus, Roadmap, Section
from roadmaps.selectors import cascaded_activities
from roadmaps.services.cascade import cascade_into
from roadmaps.services.scheduling import replace_due_dates, schedule

__all__ = ["relink_school_copies"]


def _untouched(copy: Activity) -> bool:
    return (
        not copy.locally_changed
        and copy.status == ActivityStatus.NOT_STARTED
        and not (copy.comment or copy.evidence_file or copy.evidence_url)
    )


@transaction.atomic
def relink_school_copies(*, actor: User | None, roadmap: Roadmap) -> int:
    """Move the school copies of the previous version over to `roadmap`; returns how many
    duties were re-linked."""
    old = roadmap.previous_version
    if old is None:
        return 0
    with unscoped_reads():  # which schools hold copies: ids only, to scope the writes
        school_ids = list(
            Roadmap.objects.filter(origin=old)
            .exclude(organization__in=Roadmap.objects.filter(origin=roadmap).values("organization"))
            .values_list("organization_id", flat=True)
        )
    if not school_ids:
        return 0
    schools = list(Organization.objects.filter(pk__in=school_ids))
    with tenant_scope(roadmap.organization, *schools):
        relinked, dropped = _relink(old, roadmap)
        cascade_into(roadmap, cascaded_activities(roadmap), schools)
    audit.record(
        actor=actor,
        organization=roadmap.organization,
        action="roadmap.relink_copies",
        obj=roadmap,
        previous=old.pk,
        schools=len(schools),
        relinked=relinked,
        dropped=dropped,
    )
    return relinked


def _relink(old: Roadmap, new: Roadmap) -> tuple[int, int]:
    copies = list(Roadmap.objects.filter(origin=old))
    for copy in copies:
        copy.origin, copy.title = new, new.title
        copy.period_start, copy.period_end = new.period_start, new.period_end
    Roadmap.objects.bulk_update(copies, ["origin", "title", "period_start", "period_end"])
    by_school = {c.organization_id: c for c in copies}

    new_sections = {
        s.previous_version_id: s for s in new.sections.filter(previous_version__isnull=False)
    }
    sections = list(Section.objects.filter(roadmap__in=copies, origin__roadmap=old))
    for section in sections:
        successor = new_sections.get(section.origin_id)
        if successor is not None:
            section.origin, section.title = successor, successor.title
            section.position = successor.position
    Section.objects.bulk_update(sections, ["origin", "title", "position"])
    school_section = {(s.organization_id, s.origin_id): s for s in sections}

    duties = {a.pk for a in cascaded_activities(new)}
    successors = {
        a.previous_version_id: a
        for a in new.activities.filter(previous_version__isnull=False)
        if a.pk in duties
    }
    relinked: list[Activity] = []
    dropped: list[int] = []
    for copy in Activity.objects.filter(roadmap__in=copies, origin__roadmap=old):
        successor = successors.get(copy.origin_id)
        if successor is None:
            if _untouched(copy):
                dropped.append(copy.pk)
            continue
        copy.origin = successor
        for field in PROPAGATED_FIELDS:
            if field not in copy.locally_changed:
                setattr(copy, field, getattr(successor, field))
        section = school_section.get((copy.organization_id, successor.section_id))
        if section is not None:
            copy.section = section
        relinked.append(copy)
    Activity.objects.filter(pk__in=dropped).delete()
    pairs = [(copy, schedule(copy, by_school[copy.organization_id])) for copy in relinked]
    Activity.objects.bulk_update(
        relinked,
        [
            "origin",
            "section",
            *PROPAGATED_FIELDS,
            "deadline",
            "deadline_kind",
            "deadline_unclear",
            "due_date",
        ],
        batch_size=1000,
    )
    replace_due_dates(pairs)
    return len(relinked), len(dropped)
