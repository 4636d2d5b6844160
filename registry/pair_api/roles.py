"""Who may do what with programmes, pairs and meetings, per level of the tree.

Pairs name pupils: like the registry's people, they are read by the school's own staff
only. The order on pairs is the school director's order and names minors: it is issued
by the school's curator alone (the education department sees its number and date in the
school's documents list, never the file). Nothing here exists at a municipality
or a region: 404.
"""

from __future__ import annotations

from mentorship.api import SCHOOL, RolesByLevel
from mentorship.models import Role

READ: RolesByLevel = {SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER)}
WRITE: RolesByLevel = {SCHOOL: (Role.CURATOR,)}
# The order names minors: the school's curator issues it, nobody above the school.
ORDER: RolesByLevel = {SCHOOL: (Role.CURATOR,)}
