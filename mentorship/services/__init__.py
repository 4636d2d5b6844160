"""Writes to the core, one audited transaction each: organisations (organizations.py),
memberships (memberships.py), invitations (invitations.py), the bulk start of a
municipality's schools (bulk_start.py), and the one rule of who may grant which role
where (grants.py). The names most callers need are re-exported here.
"""

from .grants import check_grant, grantable_roles
from .memberships import membership_change_role, membership_grant, membership_revoke
from .organizations import (
    organization_close,
    organization_create,
    organization_reopen,
    organization_update,
)

__all__ = [
    "check_grant",
    "grantable_roles",
    "membership_change_role",
    "membership_grant",
    "membership_revoke",
    "organization_close",
    "organization_create",
    "organization_reopen",
    "organization_update",
]
