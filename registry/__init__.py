"""The school's registry of mentors and mentees, their consents, partners, programmes,
pairs and groups, in the shape every feature app has (../shared/ARCHITECTURE.md):

access.py    named rules (registry.<action>) for pages, API, navigation and links;
models/      programmes, partners, people, consent, pairs;
services/    writes, one audited transaction each (and the spreadsheet import/export);
selectors/   reads that span relations; `unscoped_` municipal reads return adults
             who consented, or counts;
forms/ views/ api/   the web pages and the REST API, thin over services and selectors;
documents/   document kinds: consent forms, the order on pairs (with its on_ready hook);
matching/    the matching algorithm: pure Python and NumPy over candidates, no ORM
             (services/matching.py builds its input from the registry);
catalog.py   the standard mentoring forms, also read by a data migration;
tasks.py urls.py apps.py demo.py
"""
