"""Writes to the core, one audited transaction each: organisations, memberships,
invitations and the bulk start of a municipality's schools.

One module per entity family; the names most callers need are re-exported here.
"""

from .memberships import membership_grant, membership_revoke
from .organizations import organization_create

__all__ = ["membership_grant", "membership_revoke", "organization_create"]
