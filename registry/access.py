"""Who may do what with the registry, per level of the organisation tree.

The same rule objects guard the web views (`@tenant_view(access.PEOPLE_READ)`), every
viewset's `action_roles`, the navigation and the links in templates
(`{% if tenant|can:"registry.people.write" %}`). A level a rule lacks has no such page
or endpoint: 404. A member of the organisation without the role: 403. Roles held at an
upper node reach the schools below it, so a rule that names only school roles at the
school level is what keeps pupils inside the school.

Decisions written down here once:

- Pupils' personal data never leave the school. People, their consents, pairs, meetings,
  development plans, matching, the order on pairs, the import and export, and the data
  subject's requests exist at the school level only and are open to the school's own
  staff: the curator writes, the school viewer reads. A methodist, the department or the
  region reaching a school through their subtree get 403 there; at their own
  organisation those pages do not exist (404). Upper levels see counts instead
  (monitoring's indicators, the mentor base's suppressed counts).
- The municipal mentor base is the exception the law allows: adults (teachers, students,
  partners' staff) who consented to it, read by the municipality's methodists and
  education department, at the municipality's address only. The region sees the
  bases as counts per municipality and category (`REGIONAL_BANK`), never a person: the
  consent was given to the municipal base.
- Partner organisations are organisations, not people: a school's list is read by its
  staff and by the municipality's methodists and department; each level writes its own
  (the school's curator, the municipality's methodist). The region has no partners page.
- Consents are read with the person (`people.read`: the "consent needed" queue, the
  signed scan, the API's consents); recording and withdrawing one, and printing the
  ready-to-sign forms, is the curator's (`consent`).
- Programmes name no one: a school's programmes are read by its staff and by the
  municipality's methodists and department, who supervise its work (the methodist's
  main journey opens them from the school's page); the curator writes them. Until
  issue 10 the pages let every role that reached the school read them, the region
  included, while the API refused methodists and the department (403). Both now
  follow the rule: the API opens to the municipality, and the region, which sees
  schools as counts and roadmaps, reads neither (403), like a school's partners.
- Matching (suggestions with their reasons, and accepting them) is the curator's: it is
  the working step of forming pairs, and nothing is stored until the curator accepts.
  Until issue 10 the API let the school viewer read the suggestions while the matching
  page was the curator's alone; the viewer now gets 403 there too, and sees the result
  as proposed pairs (`pairs.read`).
- Local acts (orders on the model, the curator, the school of mentors, the council,
  rewards; the regulation; thank-you letters; certificates) name staff and adult
  mentors only — a chosen pupil is refused — so they are ordinary documents: issued by
  `LOCAL_ACTS`, read by their issuers and the education department.
- The order on pairs names minors: it is issued by the school's curator only (see
  `personal_data` in mentorship/documents/kinds.py); the department sees its number,
  date and count of pairs in the school's documents list, never the file.
- The school of mentors and the mentors' council are run by each level for itself:
  a school's curator runs the school's courses and council (its viewer reads them), a
  municipality's methodist the municipal ones (its department reads them). A municipal
  course enrols adults from the municipal mentor base only, so its pages name no pupil;
  the region has neither page (404). A school's course pages are not opened from above:
  the municipality sees a mentor's training in its mentor base.
- The import (upload, preview, failed rows, template) and the export of the registry
  are the curator's, as is answering a data subject's request (152-ФЗ art. 14: the
  access log and the export of everything stored about a person).
- The calendar is read by the school's staff (meetings) and the municipality's
  methodists and department (its own roadmap deadlines). Its private ICS feed and the
  participants' personal links open without login: the token in the URL is the key
  (registry/services/links.py), so they sit outside these rules, and a foreign or dead
  token is a plain 404.
"""

from __future__ import annotations

from mentorship.models import Role
from mentorship.tenancy.rules import Rule

C, V, M, D, R = Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL

# The school's people: the registry list, a person's page, consents and their scans,
# the "consent needed" queue.
PEOPLE_READ = Rule("registry.people.read", school=(C, V))
# Add and edit people, their questionnaire, needs and entry assessment; bulk actions.
PEOPLE_WRITE = Rule("registry.people.write", school=(C,))
# Record or withdraw a consent; print the ready-to-sign consent forms.
CONSENT = Rule("registry.consent", school=(C,))
# The access log and the export of everything stored about a person (152-ФЗ).
SUBJECT_RIGHTS = Rule("registry.subject_rights", school=(C,))
# Upload a registry file, preview and import it; the blank template.
IMPORT = Rule("registry.import", school=(C,))
# The school's registry as a spreadsheet (people without consent: name only).
EXPORT = Rule("registry.export", school=(C,))

# Partner organisations of a school or a municipality.
PARTNERS_READ = Rule("registry.partners.read", school=(C, V, M, D), municipality=(M, D))
PARTNERS_WRITE = Rule("registry.partners.write", school=(C,), municipality=(M,))
# Adults who consented to the municipal base, and the schools' suppressed counts; the
# regional centre reads each municipality's base too (issue 17: a regional base is
# built from what the municipalities pass up). Adults only, never pupils.
MENTOR_BASE = Rule("registry.mentor_base", municipality=(M, D, R))
# The region's programme bank (the schools' programmes, which name no one) and its mentor
# base as counts per municipality.
REGIONAL_BANK = Rule("registry.regional_bank", region=(R,))

# Local acts made from templates (registry/documents/acts): the school's orders, its
# regulation, letters and certificates are prepared by its curator for the director's
# signature; the municipality's by its methodist or the education department. They name
# staff and adult mentors, never pupils, so the department also opens the school's.
LOCAL_ACTS = Rule("registry.local_acts", school=(C,), municipality=(M, D))

# Mentoring programmes of a school.
PROGRAMMES_READ = Rule("registry.programmes.read", school=(C, V, M, D))
PROGRAMMES_WRITE = Rule("registry.programmes.write", school=(C,))
# Pairs and groups, their meetings and development plans.
PAIRS_READ = Rule("registry.pairs.read", school=(C, V))
# Propose and edit pairs, move them through their lifecycle, log meetings, keep plans.
PAIRS_WRITE = Rule("registry.pairs.write", school=(C,))
# Group meetings of a programme: who was invited and came, the choices made after it.
GROUP_MEETINGS_READ = Rule("registry.group_meetings.read", school=(C, V))
GROUP_MEETINGS_WRITE = Rule("registry.group_meetings.write", school=(C,))
# A programme's suggestions with their reasons, and accepting them as proposed pairs.
MATCHING = Rule("registry.matching", school=(C,))
# The order «Об утверждении наставнических пар/групп»: it names minors.
PAIR_ORDER = Rule("registry.pair_order", school=(C,))

# The school of mentors: courses, sessions, enrolment, attendance, completion, certificates.
SCHOOL_READ = Rule("registry.school.read", school=(C, V), municipality=(M, D))
SCHOOL_WRITE = Rule("registry.school.write", school=(C,), municipality=(M,))
# Mentors' councils: members, plan of work, meetings, minutes, decisions, protocols.
COUNCIL_READ = Rule("registry.council.read", school=(C, V), municipality=(M, D))
COUNCIL_WRITE = Rule("registry.council.write", school=(C,), municipality=(M,))
# Competitions «Лучший наставник» and the like (registry/models/competitions.py): the
# municipality's methodist announces them, seats the jury and publishes the results; the
# education department reads them. A school's staff read their municipality's
# competitions and their own nominees; its curator nominates adult mentors. A school
# never sees another school's nominees; the region has no competitions page.
COMPETITIONS_READ = Rule("registry.competitions.read", school=(C, V), municipality=(M, D))
COMPETITIONS_MANAGE = Rule("registry.competitions.manage", municipality=(M,))
# The section in the bar, at the municipality only: a school's bar is full at 1366 px, so
# its staff open competitions from the registry's page (and the mentor's card).
COMPETITIONS_SECTION = Rule("registry.competitions.section", municipality=(M, D))
COMPETITIONS_NOMINATE = Rule("registry.competitions.nominate", school=(C,))
# A jury seat is a row on the competition, not a role: any staff member of the
# municipality or its schools opens the jury pages from their own organisation and sees
# only the competitions they sit on (anything else is a 404).
COMPETITIONS_JURY = Rule("registry.competitions.jury", school=(C, V), municipality=(M, D))
# Rewards: the reward order from chosen mentors and thank-you letters to chosen partners,
# prepared on one page by whoever issues local acts.
REWARDS = LOCAL_ACTS
# The calendar (mentorship/calendar.py): a school's planned pair meetings and roadmap
# deadlines, a municipality's roadmap deadlines; each source checks its own rule, so the
# school viewer sees the meetings and the municipality only its deadlines.
CALENDAR = Rule("registry.calendar", school=(C, V), municipality=(M, D))
# The organisation's private ICS feed: issuing, reissuing and revoking its token.
CALENDAR_FEED = Rule("registry.calendar_feed", school=(C,), municipality=(M,))
# Participants' personal links (their page, their calendar): issued and revoked by the
# curator, one by one from the person's card or in bulk from the registry list.
PERSONAL_LINKS = Rule("registry.personal_links", school=(C,))
