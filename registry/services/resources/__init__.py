"""The registry as a spreadsheet: its columns (`columns`) and the participants' resource
(`participants`), shared by the import, the export and the template."""

from registry.services.resources.columns import (
    CATEGORY_NAMES,
    COLUMN_BY_FIELD,
    COLUMNS,
    CONSENT_HEADER,
    HEADER_LOOKUP,
    HEADERS,
    PERSON_COLUMNS,
    PURPOSE_NAMES,
    TEMPLATE_HEADERS,
    VISIBLE_WITHOUT_CONSENT,
    Column,
    normalize_header,
)
from registry.services.resources.participants import ParticipantResource, SavedRow

__all__ = [
    "CATEGORY_NAMES",
    "COLUMN_BY_FIELD",
    "COLUMNS",
    "CONSENT_HEADER",
    "HEADER_LOOKUP",
    "HEADERS",
    "PERSON_COLUMNS",
    "PURPOSE_NAMES",
    "TEMPLATE_HEADERS",
    "VISIBLE_WITHOUT_CONSENT",
    "Column",
    "ParticipantResource",
    "SavedRow",
    "normalize_header",
]
