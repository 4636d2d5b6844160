"""Who may do what with the indicators and a campaign's results: named rules
("indicators.…", mentorship/tenancy/rules.py), read by the web pages (`tenant_view`), the
API (`action_roles`), the document kinds of the reports and the templates
(`{% if tenant|can:"indicators.…" %}`).

A level missing from a rule means the page does not exist there (404); a member of the
organisation without one of the roles gets 403. Municipal roles reach a school's pages
through their membership of its municipality; the regional centre reads the region's
dashboard and targets.

Everything here is figures, never a person: above the school small counts are hidden
(`EXACT` says who sees them exact) and the results pages hide groups under 5
respondents at every level. The only names are the participants' growth on a school's
results page, for the school's own staff (`EXACT`). Monitoring's own rules (campaigns,
questionnaires, invitations) are in monitoring/access.py.
"""

from __future__ import annotations

from mentorship.models import Role
from mentorship.tenancy.rules import Rule

C, SV, M, D, R = Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL

# The dashboard of each level, its xlsx export and the API's dashboard.
# The regional centre reads each municipality's dashboard too (issue 17: the municipal
# report read from above; schools as counts and shares, small ones hidden).
DASHBOARD = Rule("indicators.dashboard", school=(C, SV, M, D), municipality=(M, D, R), region=(R,))
# Exact counts at the school, and each participant's growth by name: the school's own
# staff. Everyone above sees small counts hidden. Not a page: what a page shows.
EXACT = Rule("indicators.exact", school=(C, SV))
# Ask for the year's report as a document: the school's (its curator), the municipal
# one (the methodical centre prepares it, the department files it) or the region's
# (the regional centre), assembled from the municipalities' figures.
REPORT = Rule("indicators.report", school=(C,), municipality=(M, D), region=(R,))
# The region's federal form for a quarter (xlsx) and its roll-up of the municipalities.
FEDERAL_FORM = Rule("indicators.federal_form", region=(R,))
ROLLUP = Rule("indicators.rollup", region=(R,))
# The methodical centre collects the schools' statistics too, so it may enter them.
CONTINGENT_EDIT = Rule("indicators.contingent_edit", school=(C, M), municipality=(M,))
TARGETS_READ = Rule("indicators.targets_read", municipality=(M, D), region=(R,))
TARGETS_EDIT = Rule("indicators.targets_edit", municipality=(M,), region=(R,))

# A campaign's results: a municipality's over its schools, or a school's own campaign.
RESULTS = Rule("indicators.results", school=(C, SV, M, D), municipality=(M, D))
# A municipal campaign as one school answered it, opened at the school's address.
SCHOOL_RESULTS = Rule("indicators.school_results", school=(C, SV, M, D))

# --- The region over its municipalities (issue 17) ----------------------------------
# A municipality submits its year's figures to the region («сдать отчёт»): its
# methodical centre prepares them, the department files them. The submission page (the
# frozen figures beside the live ones, the region's comment) is read by both and by the
# regional centre, which alone returns a submission. The region's list of who has
# submitted lives at the region. Figures only: counts, small ones hidden.
SUBMISSION = Rule("indicators.submission", municipality=(M, D, R))
SUBMIT = Rule("indicators.submit", municipality=(M, D))
SUBMISSION_RETURN = Rule("indicators.submission_return", municipality=(R,))
SUBMISSIONS = Rule("indicators.submissions", region=(R,))
# Review threads: the region comments on a municipal roadmap or report and recommends;
# the municipality's methodists and department answer; both read the thread. A
# municipality reads only its own threads; the region reads its municipalities' (the
# list of all of them at the region).
REVIEWS = Rule("indicators.reviews", municipality=(M, D, R), region=(R,))
REVIEW_OPEN = Rule("indicators.review_open", municipality=(R,))
REVIEW_ANSWER = Rule("indicators.review_answer", municipality=(M, D, R))
