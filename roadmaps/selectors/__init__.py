"""Reads of roadmaps that span relations; each in a fixed number of queries.

roadmaps:   a roadmap's content in order, its school copies, the duties it cascades,
            the roadmaps an imported one would repeat;
activities: a school's activities across its current roadmaps;
matrix:     schools × a municipal roadmap's school duties, municipalities × a regional
            roadmap's municipal duties (a named cross-tenant read).
"""

from .activities import school_activities
from .matrix import MatrixColumn, MatrixRow, ProgressMatrix, unscoped_progress_matrix
from .roadmaps import (
    cascaded_activities,
    matching_roadmaps,
    roadmap_with_content,
    schools_of,
    units_below,
    unscoped_school_copy_count,
)

__all__ = [
    "MatrixColumn",
    "MatrixRow",
    "ProgressMatrix",
    "cascaded_activities",
    "matching_roadmaps",
    "roadmap_with_content",
    "school_activities",
    "schools_of",
    "units_below",
    "unscoped_progress_matrix",
    "unscoped_school_copy_count",
]
