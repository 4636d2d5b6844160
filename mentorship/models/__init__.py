"""The core every app leans on: users, the organisation tree, memberships, audit, documents.

One module per entity family (accounts, organisations, invitations, audit,
documents, uploads); import from `mentorship.models`, not from the modules.
All models keep the app label `mentorship` and their tables (mentorship_document ...).
"""

from .accounts import User, UserManager
from .audit import AuditEntry
from .documents import Document, DocumentCounter, DocumentStatus, document_upload_to
from .invitations import Invitation, InvitationState
from .organizations import (
    EDUCATIONAL_KINDS,
    PARENT_KIND,
    ROLE_LEVEL,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    inn_validator,
)
from .uploads import PendingUpload

__all__ = [
    "EDUCATIONAL_KINDS",
    "PARENT_KIND",
    "ROLE_LEVEL",
    "AuditEntry",
    "Document",
    "DocumentCounter",
    "DocumentStatus",
    "Invitation",
    "InvitationState",
    "Membership",
    "Organization",
    "OrganizationKind",
    "PendingUpload",
    "Role",
    "User",
    "UserManager",
    "document_upload_to",
    "inn_validator",
]
