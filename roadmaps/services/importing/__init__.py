"""Import a roadmap from the file a methodist already has: preview first, then save.

preview: `preview_import` reads the file and shows what the portal understood, writing
         nothing, against the roadmap's own period; `preview_with_period` re-reads it for
         another period;
save:    `roadmap_import` writes a (possibly corrected) preview as a draft roadmap in one
         transaction.
The web flow and the `import_roadmap` command call the same functions.
"""

from .preview import (
    DeadlineInfo,
    ImportPreview,
    PreviewActivity,
    deadline_info,
    preview_import,
    preview_with_period,
    school_year,
    walk,
)
from .save import DUPLICATE, roadmap_import, split_into_children

__all__ = [
    "DUPLICATE",
    "DeadlineInfo",
    "ImportPreview",
    "PreviewActivity",
    "deadline_info",
    "preview_import",
    "preview_with_period",
    "roadmap_import",
    "school_year",
    "split_into_children",
    "walk",
]
