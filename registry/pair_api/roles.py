"""Who may do what with programmes, pairs and meetings, per level of the tree.

Pairs name pupils: like the registry's people, they are read by the school's own staff
only. The education department, whose membership covers the schools below it, issues
the order on pairs for a school (it approves and files the orders of its municipality),
but does not browse the pairs through this API. Nothing here exists at a municipality
or a region: 404.
"""

from __future__ import annotations

from mentorship.api import SCHOOL, RolesByLevel
from mentorship.models import Role

READ: RolesByLevel = {SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER)}
WRITE: RolesByLevel = {SCHOOL: (Role.CURATOR,)}
ORDER: RolesByLevel = {SCHOOL: (Role.CURATOR, Role.DEPARTMENT)}
