"""Who may do what with the registry, per level of the organisation tree.

One map for both interfaces: the API viewsets read it per action, and the web pages
of partners and of the mentor base read the same names (registry/partner_views.py), so
the two cannot drift apart. A level an entry lacks has no such page or endpoint: 404.

Pupils' personal data never leaves the school: people are read by the school's own
staff only. A methodist or the department, whose roles reach the schools below them,
is refused a school's people (403) and sees the municipal mentor base of adults and
counts instead; the region sees neither.
"""

from __future__ import annotations

from mentorship.api import MUNICIPALITY, SCHOOL, RolesByLevel
from mentorship.models import Role

PEOPLE_READ: RolesByLevel = {SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER)}
PEOPLE_WRITE: RolesByLevel = {SCHOOL: (Role.CURATOR,)}
# A request of the data subject (152-ФЗ art. 14) is answered by the school's curator.
SUBJECT_RIGHTS: RolesByLevel = {SCHOOL: (Role.CURATOR,)}

# Partner organisations are organisations, not people in a programme: the municipality
# reads a school's list too, and each level writes its own.
PARTNERS_READ: RolesByLevel = {
    SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT),
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT),
}
PARTNERS_WRITE: RolesByLevel = {SCHOOL: (Role.CURATOR,), MUNICIPALITY: (Role.METHODIST,)}

# Adults who consented to the municipal base, and suppressed counts of the schools.
MENTOR_BASE: RolesByLevel = {MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT)}


def all_roles(rule: RolesByLevel) -> tuple[str, ...]:
    """Every role the rule names at some level, for decorators that check membership."""
    return tuple(dict.fromkeys(r for roles in rule.values() for r in roles))
