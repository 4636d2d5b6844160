"""The REST API of the core: the one viewset base every app builds on (`base`), and the
core's own endpoints (staff, organisations) beside it.

`from mentorship.api import TenantViewSet` keeps working: the base is re-exported here.
"""

from .base import (
    MUNICIPALITY,
    REGION,
    SCHOOL,
    RolesByLevel,
    TenantAutoSchema,
    TenantViewSet,
    exception_handler,
    tenant_level,
)

__all__ = [
    "MUNICIPALITY",
    "REGION",
    "SCHOOL",
    "RolesByLevel",
    "TenantAutoSchema",
    "TenantViewSet",
    "exception_handler",
    "tenant_level",
]
