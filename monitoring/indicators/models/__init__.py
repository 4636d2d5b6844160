"""The indicators' own rows: what organisations enter (contingents and targets per year).

Everything else the indicators show is computed live from the registry, the pairs and
the monitoring answers (selectors/)."""

from monitoring.indicators.models.inputs import Contingent, Target

__all__ = ["Contingent", "Target"]
