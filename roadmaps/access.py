"""Who may do what with roadmaps, per level of the organisation tree.

The same rule objects guard the web views (`@tenant_view(access.READ)`), the API's
`action_roles`, the navigation and the links in templates
(`{% if tenant|can:"roadmaps.read_school_activities" %}`). A level a rule lacks has no
such page: 404. A member of the organisation without the role: 403. Roles held at an
upper node reach the schools below it (a methodist reads a school's roadmap).

Decisions written down here once:

- Roadmaps exist at every level. The regional centre writes, imports, approves (by its
  order) and prints the region's own roadmap, with the same engine as a municipality's;
  its sections «for every municipality» cascade into every municipality of the region,
  as a municipal roadmap's school duties cascade into its schools (issue 17). Until
  then the region had no roadmaps and got 403 on its own roadmaps page.
- A municipality's roadmaps are written by its methodists and approved by its education
  department; a school's are written by its curator, who also records the director's
  approval order. Only the municipality's methodists cascade its school duties into the
  schools; methodists and the department read the progress matrix, and so does the
  regional centre, which supervises the municipalities (counts and statuses per school,
  never pupils). The regional centre reads the matrix of its own roadmap
  (municipalities × activities).
- The regional centre monitors how roadmaps are carried out, so it reads municipal and
  school roadmaps (the list, the roadmap with its table and each item's status; in the
  API the roadmaps and their sections), on the web and in the API alike. Roadmaps hold
  no pupils. Until issue 10 the region could read them through the API only and got 403
  on the same roadmaps' pages.
- What a school writes about its own work stays with the school and its municipality:
  its activities as records (comments, evidence files and links: the API's activities,
  the evidence download) and its list of duties, the page «Мероприятия школы». At a
  school they are read by its curator and viewer, and by the municipality's methodists
  and education department, who supervise its work; not by the region. A municipal
  roadmap's own activities are read by those who read that roadmap, the region included.
  The school home page's link «Все мероприятия школы» is shown to the same roles as the
  page (it used to be shown to department and regional users, who then got 403; the
  department now reads the page, as it already read the same activities in the API).
- Importing a roadmap from Word or Excel is writing one: a methodist imports the
  municipality's, a curator the school's (before, a municipal methodist could import
  into a school, where he may not create a roadmap by hand).
- The roadmap's PDF is requested by those who write, approve or supervise it: at a
  school its curator, methodists and the department; at a municipality its methodists
  and the department; at the region the regional centre.
"""

from __future__ import annotations

from mentorship.models import Role
from mentorship.tenancy.rules import SCHOOL, Rule

C, V, M, D, R = Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL

# Reading: the list of roadmaps, a roadmap with its table, its sections.
READ = Rule("roadmaps.read", school=(C, V, M, D, R), municipality=(M, D, R), region=(R,))
# A roadmap's activities as records, with the school's comments and evidence.
READ_ACTIVITIES = Rule(
    "roadmaps.read_activities", school=(C, V, M, D), municipality=(M, D, R), region=(R,)
)
# The school's list of duties across its roadmaps, nearest deadline first.
READ_SCHOOL_ACTIVITIES = Rule("roadmaps.read_school_activities", school=READ_ACTIVITIES[SCHOOL])

# Writing: create a roadmap (blank, standard or copied), change its title and period,
# start a new draft of an approved one.
WRITE = Rule("roadmaps.write", school=(C,), municipality=(M,), region=(R,))
# Edit a draft's table: add, rename, move and delete sections and activities.
EDIT = Rule("roadmaps.edit", school=(C,), municipality=(M,), region=(R,))
# Import a roadmap from .docx/.xlsx: upload, preview, save.
IMPORT = Rule("roadmaps.import", school=(C,), municipality=(M,), region=(R,))
# Mark an activity's progress: status, comment, evidence file or link.
REPORT = Rule("roadmaps.report", school=(C,), municipality=(M,), region=(R,))
# Approve a draft by an order.
APPROVE = Rule("roadmaps.approve", school=(C,), municipality=(D,), region=(R,))
# Copy a municipal roadmap's school duties into every school, a regional roadmap's
# municipal duties into every municipality.
CASCADE = Rule("roadmaps.cascade", municipality=(M,), region=(R,))
# Schools × school duties of a municipal roadmap (municipalities × municipal duties of a
# regional one): statuses and percentages.
MATRIX = Rule("roadmaps.matrix", municipality=(M, D, R), region=(R,))
# Render the roadmap as a PDF document.
PRINT = Rule("roadmaps.print", school=(C, M, D), municipality=(M, D), region=(R,))
