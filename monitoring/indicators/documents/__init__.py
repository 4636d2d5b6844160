"""Document kinds the indicators contribute: the school's, the municipal and the regional
report.

mentorship/documents/kinds.py discovers `<app>.documents`; importing the package
registers its kinds, so it imports every kind module here."""

from monitoring.indicators.documents import (
    regional,  # noqa: F401 - registers the kind
    reports,  # noqa: F401 - registers the kinds
)
