"""The bulk start: a municipality's list of schools with their curators, from Excel.

Read (`read_rows`) → check row by row against the portal (`bulk_start_check`, nothing
written) → apply, all or nothing (`bulk_start_apply`): each school is created, or matched
by its INN when the municipality already has it, and its curator is invited. The apply
checks everything again inside its transaction: the portal may have changed since the
preview. One module per step: columns, reading, checking, applying, and the template.
"""

from .applying import BulkStartRefused, BulkStartResult, bulk_start_apply, pending_uploads_sweep
from .checking import bulk_start_check
from .columns import COLUMNS, KEYS, MAX_ROWS
from .reading import BulkFileError, read_rows
from .template import template_workbook

__all__ = [
    "COLUMNS",
    "KEYS",
    "MAX_ROWS",
    "BulkFileError",
    "BulkStartRefused",
    "BulkStartResult",
    "bulk_start_apply",
    "bulk_start_check",
    "pending_uploads_sweep",
    "read_rows",
    "template_workbook",
]
