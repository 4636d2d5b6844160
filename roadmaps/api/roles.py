"""Who may run which action of the roadmaps API, per level of the organisation tree.

The same rules as the web UI (roadmaps/views.py): a municipality's roadmaps are written
by its methodists and approved by the education department; a school's are written by
its curator, who also records the director's approval order. Roles held at an upper
node reach the schools below it (a methodist reads a school's roadmap). A level that an
action lacks has no such endpoint: 404.
"""

from __future__ import annotations

from mentorship.api import MUNICIPALITY, SCHOOL, RolesByLevel
from mentorship.models import Role

READ: RolesByLevel = {
    SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
}
# The region sees aggregates only: a school's activities, with their comments and
# evidence, stay with the school and its municipality.
READ_ACTIVITIES: RolesByLevel = {
    SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT),
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
}
WRITE: RolesByLevel = {SCHOOL: (Role.CURATOR,), MUNICIPALITY: (Role.METHODIST,)}
APPROVE: RolesByLevel = {SCHOOL: (Role.CURATOR,), MUNICIPALITY: (Role.DEPARTMENT,)}
CASCADE: RolesByLevel = {MUNICIPALITY: (Role.METHODIST,)}
MATRIX: RolesByLevel = {MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT)}
