"""Web pages of the registry; thin: each reads through selectors and writes through one
service call. Every view is `@tenant_view(access.RULE)` (registry/access.py).

people:         the registry list and bulk actions, a person's page, create and edit,
                questionnaire, needs and assessment recorded on the page;
consent:        the "consent needed" queue, recording and withdrawing consents, the
                signed scan, the ready-to-sign forms;
subject_rights: the person's access log and the export of everything stored (152-ФЗ);
importing:      the registry from a spreadsheet (upload, preview, import), the template
                and the export;
partners:       partner organisations of a school or a municipality;
mentor_base:    the municipal mentor base of consenting adults, with suppressed counts;
programmes:     the school's programmes;
pairs:          pairs and groups: list, page, by hand, lifecycle, meetings;
plans:          each mentee's development plan with tasks;
matching:       a programme's suggestions: accept, edit or reject them;
pair_order:     issuing the order on pairs;
common:         fetching the tenant's rows or 404, what list rows print.
"""
