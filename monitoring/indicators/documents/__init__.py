"""Document kinds the indicators contribute: the school's and the municipal report.

mentorship/documents/kinds.py discovers `<app>.documents`; importing the package
registers its kinds, so it imports every kind module here."""

from monitoring.indicators.documents import reports  # noqa: F401 - registers the kinds
