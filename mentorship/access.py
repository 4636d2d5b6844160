"""Named rules of the core's own pages: home, audit log, documents.

Which kinds of document a role may request or open is the kind's own business
(mentorship/documents/kinds.py: `roles`, `reader_roles`, `personal_data`); the rules
here say who may open the documents section at all.
"""

from __future__ import annotations

from mentorship.models import Role
from mentorship.tenancy.rules import Rule

EVERY_ROLE = tuple(Role.values)

HOME = Rule("core.home", school=EVERY_ROLE, municipality=EVERY_ROLE, region=EVERY_ROLE)
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
