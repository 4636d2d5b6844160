"""The indicators' own rows: what organisations enter (contingents and targets per year),
the figures a municipality submits to the region (frozen) and the region's review threads.

Everything else the indicators show is computed from the registry, the pairs and the
monitoring answers (selectors/); the per-school, per-year counts behind them are kept in
`SchoolYearCounts` between requests (selectors/stored.py)."""

from monitoring.indicators.models.inputs import Contingent, Target
from monitoring.indicators.models.oversight import (
    Review,
    ReviewComment,
    SubmissionStatus,
    YearSubmission,
)
from monitoring.indicators.models.stored import SchoolYearCounts

__all__ = [
    "Contingent",
    "Review",
    "ReviewComment",
    "SchoolYearCounts",
    "SubmissionStatus",
    "Target",
    "YearSubmission",
]
