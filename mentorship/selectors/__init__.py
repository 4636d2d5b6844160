"""Reads of the core that span relations; each returns in a fixed number of queries."""

from .organizations import municipalities_of, schools_of
from .staff import staff_of

__all__ = ["municipalities_of", "schools_of", "staff_of"]
