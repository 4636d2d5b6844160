"""Reads of a school's activities across its roadmaps."""

from __future__ import annotations

from django.db.models import F, QuerySet

from mentorship.models import Organization
from roadmaps.models import Activity


def school_activities(school: Organization) -> QuerySet[Activity]:
    """A school's activities across its current roadmaps, due soonest first."""
    return (
        Activity.objects.filter(roadmap__status__in=["draft", "approved"])
        .select_related("roadmap", "section")
        .order_by(F("due_date").asc(nulls_last=True), "roadmap_id", "position", "pk")
    )
