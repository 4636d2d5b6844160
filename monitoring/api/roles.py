"""Who may run which action of the monitoring API: the same rules as the web pages
(monitoring/views/). Methodists run campaigns at a municipality, curators invite at
their school; the municipality sees counts per school, never people."""

from __future__ import annotations

from mentorship.api import MUNICIPALITY, SCHOOL, RolesByLevel
from mentorship.models import Role

QUESTIONNAIRES: RolesByLevel = {
    SCHOOL: (Role.METHODIST, Role.DEPARTMENT, Role.CURATOR, Role.SCHOOL_VIEWER),
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT, Role.CURATOR, Role.SCHOOL_VIEWER),
}
CAMPAIGN_READ: RolesByLevel = {MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT)}
CAMPAIGN_WRITE: RolesByLevel = {MUNICIPALITY: (Role.METHODIST,)}
SCHOOL_READ: RolesByLevel = {SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER)}
SCHOOL_INVITE: RolesByLevel = {SCHOOL: (Role.CURATOR,)}
