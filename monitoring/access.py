"""Who may do what in monitoring: named rules, one per action, for web, API and templates.

Each rule names the roles per level of the organisation tree (mentorship/tenancy/rules.py);
a level the rule lacks has no such page (404), a member without the role gets 403. The
web views take them in `@tenant_view(...)`, the viewsets in `action_roles`, the
templates in `{% if tenant|can:"monitoring.…" %}`. The indicators and the results pages
have their own rules in monitoring/indicators/access.py ("indicators.…").

Campaigns are run by the methodical centre at a municipality (all its schools) or by a
curator at one school; questionnaires are built where campaigns are run.

Decisions where the web and the API disagreed before the rules (both follow them now):
- The campaigns list at a school is the school's own view of its campaigns, for its
  staff (curator, school viewer), as the API's school campaigns and the navigation had
  it; municipal roles saw the list on the web but got 403 on every row's page. Above
  the school a campaign is read as counts per school (`CAMPAIGN_READ`), never people.
- A curator starts a school's own campaign on the web; the API now takes the same
  `POST …/monitoring/campaigns/` at a school (before: 404). Reading campaigns through
  `…/monitoring/campaigns/` stays municipal; a school reads its campaigns, its own and
  its municipality's, as school campaigns.
- The school campaign (`SCHOOL_CAMPAIGN_READ`) shows the school's people and their
  links, and the API's per-question averages of the school are unsuppressed: both stay
  with the school's staff. Pupils' personal data and answers never leave the school;
  the results pages, where small groups are hidden at every level, are the indicators'
  (`indicators.results`, `indicators.school_results`) and municipal roles read them.
- The printed sheet of personal links is part of inviting: the inviter's rule (curator).
- The bank of best practices: a practice is the school's row, written by its curator
  and read by its staff; the municipality's methodist reviews it at the school's
  address (accept, return with comments, pass to the regional bank), where the
  department reads it too. The municipal bank (accepted practices of every school of
  the municipality, and the methodist's queue) is read at the municipality by its
  methodists and department, and by the schools' staff, for whom it is the point:
  practices are methods to share and name no pupil.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorship.models import Role
from mentorship.tenancy.rules import Rule

if TYPE_CHECKING:
    from mentorship.tenancy.resolution import TenantContext
    from monitoring.models import Questionnaire

C, SV, M, D, R = Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL

# The builder's pages: the standard questionnaires and the organisation's own.
QUESTIONNAIRES_READ = Rule(
    "monitoring.questionnaires_read", school=(C, SV, M, D), municipality=(M, D)
)
# Create, copy and change questionnaires: where campaigns are run.
QUESTIONNAIRES_WRITE = Rule("monitoring.questionnaires_write", school=(C,), municipality=(M,))

# The campaigns list: a region's or a municipality's campaigns, or a school's view of its
# campaigns (the region's and the municipality's among them).
CAMPAIGNS = Rule("monitoring.campaigns", school=(C, SV), municipality=(M, D), region=(R,))
# Start a campaign: over every school of the region (the regional centre, with the
# standard questionnaires), over all the municipality's schools, or at one school.
CAMPAIGN_START = Rule("monitoring.campaign_start", school=(C,), municipality=(M,), region=(R,))
# A region's or a municipality's campaign: response counts per municipality and school
# (small ones hidden above the municipality), never people.
CAMPAIGN_READ = Rule("monitoring.campaign_read", municipality=(M, D), region=(R,))
CAMPAIGN_CLOSE = Rule("monitoring.campaign_close", municipality=(M,), region=(R,))

# A campaign at the school: its people, their links' state, the school's raw figures.
SCHOOL_CAMPAIGN_READ = Rule("monitoring.school_campaign_read", school=(C, SV))
# Invite the school's people and print the sheet of their personal links.
INVITE = Rule("monitoring.invite", school=(C,))

# The school's own practices (every state) and their materials.
PRACTICES_READ = Rule("monitoring.practices_read", school=(C, SV, M, D))
# Create, edit, attach materials, submit for review.
PRACTICES_WRITE = Rule("monitoring.practices_write", school=(C,))
# Accept, return with comments, pass to the regional bank: the municipality's methodist.
PRACTICE_REVIEW = Rule("monitoring.practice_review", school=(M,))
# The municipal bank (accepted practices, searchable) and, for the methodist, the queue.
PRACTICE_BANK = Rule("monitoring.practice_bank", school=(C, SV), municipality=(M, D))

# Candidates' intake questionnaires (issue 15): the list of candidates with their links,
# and the review list of answers (names and answers: the school's staff only).
INTAKE_READ = Rule("monitoring.intake_read", school=(C, SV))
# Send intake links, print their sheet, accept answers into the registry; send the links
# of the choice after a group meeting.
INTAKE = Rule("monitoring.intake", school=(C,))


def can_edit(tenant: TenantContext, questionnaire: Questionnaire) -> bool:
    """The builder changes the organisation's own questionnaires, never a standard one
    (those are copied first) nor another organisation's."""
    return (
        not questionnaire.is_standard
        and questionnaire.organization_id == tenant.organization.pk
        and QUESTIONNAIRES_WRITE.permits(tenant)
    )
