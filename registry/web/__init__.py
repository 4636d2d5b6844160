"""Pages of the school's registry of mentors and mentees (personal data: school level only).

lists:   the registry with search, filters and bulk actions; the "consent needed" queue
people:  create, edit and the person's page
records: what is recorded on the person's page: consents, questionnaire, needs, assessment,
         and the consent form to print
"""
