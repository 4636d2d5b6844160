"""Reads of the core that span relations; each returns in a fixed number of queries."""

from .organizations import children_with_staff, closed_children_of
from .staff import open_invitations_of, staff_of

__all__ = [
    "children_with_staff",
    "closed_children_of",
    "open_invitations_of",
    "staff_of",
]
