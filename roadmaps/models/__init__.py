"""Roadmaps: municipal and school plans → ordered sections → activities (and sub-activities).

A municipal activity marked "for every educational organisation" has a copy in each
school's own roadmap (`origin` points back), so every school ticks off its own duty and
the municipality sees, school by school, who has done it.

roadmaps:   Roadmap (versions, approval, a school's copy of a municipal plan), Section;
activities: Activity (the deadline as written and as parsed, progress, evidence),
            ActivityDueDate (each date an activity is due, for the reminder scan).
"""

from .activities import (
    PROPAGATED_FIELDS,
    STORED_STATUSES,
    Activity,
    ActivityDueDate,
    ActivityStatus,
)
from .roadmaps import Roadmap, RoadmapStatus, Section

__all__ = [
    "PROPAGATED_FIELDS",
    "STORED_STATUSES",
    "Activity",
    "ActivityDueDate",
    "ActivityStatus",
    "Roadmap",
    "RoadmapStatus",
    "Section",
]
