"""Roadmap deadlines as calendar events: each unfinished activity's due dates."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from mentorship.calendar import CalendarEvent, CalendarQuery
from roadmaps import access
from roadmaps.models import ActivityDueDate

SOURCE = "roadmaps.deadlines"


def deadlines_source(query: CalendarQuery) -> list[CalendarEvent]:
    """The organisation's own roadmap duties due between the two days (one query).

    Not personal: a participant's calendar has none. On the staff page only for those who
    read the activities; the organisation's private feed shows them (its curator's view).
    """
    if query.personal:
        return []
    if query.tenant is not None and not access.READ_ACTIVITIES.permits(query.tenant):
        return []
    dues = (
        ActivityDueDate.objects.filter(
            due_on__gte=query.start,
            due_on__lte=query.end,
            activity__organization=query.organization,
            activity__roadmap__status__in=["draft", "approved"],
        )
        .exclude(activity__status="done")
        .select_related("activity", "activity__roadmap")
        .order_by("due_on", "activity_id")
    )
    slug = query.organization.slug
    return [
        CalendarEvent(
            uid=f"deadline-{due.activity_id}-{due.due_on:%Y%m%d}@{slug}",
            source=SOURCE,
            title=_("Срок: %(t)s") % {"t": due.activity.title[:200]},
            start=due.due_on,
            description="\n".join(
                p for p in (due.activity.roadmap.title, due.activity.deadline_text) if p
            ),
            url=reverse(
                "roadmaps:roadmap_detail",
                kwargs={"org_slug": slug, "roadmap_id": due.activity.roadmap_id},
            ),
        )
        for due in dues
    ]
