"""Forms of the core: the pieces every app uses (re-exported here), and the core's own
forms in one module per feature (staff, organisations, bulk start)."""

from .common import DateInput, apply_service_errors

__all__ = ["DateInput", "apply_service_errors"]
