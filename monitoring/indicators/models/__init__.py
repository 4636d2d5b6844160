"""The indicators' own rows: what organisations enter (contingents and targets per year),
the figures a municipality submits to the region (frozen) and the region's review threads.

Everything else the indicators show is computed live from the registry, the pairs and
the monitoring answers (selectors/)."""

from monitoring.indicators.models.inputs import Contingent, Target
from monitoring.indicators.models.oversight import (
    Review,
    ReviewComment,
    SubmissionStatus,
    YearSubmission,
)

__all__ = ["Contingent", "Review", "ReviewComment", "SubmissionStatus", "Target", "YearSubmission"]
