"""Named rules of the core's own pages: home, audit log, documents, staff, organisations.

Which kinds of document a role may request or open is the kind's own business
(mentorship/documents/kinds.py: `roles`, `reader_roles`, `personal_data`); the rules
here say who may open the documents section at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from mentorship.models import Role
from mentorship.tenancy.rules import Rule

EVERY_ROLE = tuple(Role.values)
C, SV, M, D, R = (
    Role.CURATOR,
    Role.SCHOOL_VIEWER,
    Role.METHODIST,
    Role.DEPARTMENT,
    Role.REGIONAL,
)

HOME = Rule("core.home", school=EVERY_ROLE, municipality=EVERY_ROLE, region=EVERY_ROLE)
# The home page's table of the organisations one level down (a municipality's schools, a
# region's municipalities): curators, roadmap completion, counts, response rates, last
# activity, red flags. Counts only, small ones suppressed: no person is named but staff.
# The regional centre reads a municipality's table too, to see which schools are behind.
HOME_TABLE = Rule("core.home_table", municipality=(M, D, R), region=(R,))
# A school's log names its pupils: only its curator reads it; a municipality's log is
# its methodists'. The region keeps no log of its own here.
AUDIT = Rule("core.audit", school=(Role.CURATOR,), municipality=(Role.METHODIST,))
# Who may open an organisation's documents list (each document then by its kind).
DOCUMENTS = Rule(
    "core.documents",
    school=(Role.CURATOR, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
    municipality=(Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
    region=(Role.REGIONAL,),
)

# --- Staff and roles --------------------------------------------------------------------

# Who may grant which role: the regional centre staffs the municipalities of its region,
# the methodist the schools of its municipality, the curator its own school's viewers.
# The role must also belong to the level of the organisation it is granted at
# (mentorship.models.ROLE_LEVEL), and the granting role must be held there or above.
# Nobody grants the regional role in the portal (the Django admin does), nor a role of
# their own level: mentorship/services/grants.py applies this table, once.
GRANTS: Mapping[str, tuple[str, ...]] = {
    R: (M, D),
    M: (C, SV),
    C: (SV,),
}

# The staff page of an organisation: its people, their roles, pending invitations.
# Staff are not pupils: whoever works with the organisation may see who else does.
STAFF_READ = Rule(
    "core.staff_read",
    school=(C, SV, M, D),
    municipality=(M, D, R),
    region=(R,),
)
# Invite, resend, revoke, change a role, end a membership: the roles GRANTS lets grant
# something at that level (tests/mentorship/test_grants.py checks the two agree).
STAFF_MANAGE = Rule("core.staff_manage", school=(C, M), municipality=(R,))

# --- Organisations ----------------------------------------------------------------------

# The organisations one level down: a municipality's schools (its methodist), a region's
# municipalities (the regional centre): add, edit, close, reopen; the bulk start.
ORGANIZATIONS_MANAGE = Rule("core.organizations_manage", municipality=(M,), region=(R,))
# Upload a list of schools with their curators: a municipality's start (its methodist).
BULK_START = Rule("core.bulk_start", municipality=(M,))
