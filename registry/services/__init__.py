"""Writes to the registry, each one audited transaction: `<entity>_<verb>(*, actor, ...)`.

participants:   people, their questionnaires, needs and entry assessment;
consent:        consents under 152-ФЗ, withdrawal, depersonalisation, consent forms;
                consent.batch: many consents at once (the queue, the import), scans by name;
partners:       partner organisations of a municipality or a school;
programmes:     mentoring programmes of a school;
pairs:          pairs and groups, their lifecycle, meetings and development plans;
group_meetings: group meetings, who came, and the rankings made after them;
intake:         a reviewed intake questionnaire of a candidate, into the registry;
matching:       the programme's pool and suggestions (the algorithm: registry.matching);
pair_order:     the order on pairs, and approving its pairs when its PDF is stored;
importing:      the registry from a spreadsheet, all or nothing;
import_files:   the uploaded file waiting between the preview and the import;
exporting:      the workbooks handed out: template, failed rows, the registry;
resources:      the spreadsheet columns and the participants' import-export resource;
subject_rights: the data subject's access log and the export of everything stored.
"""
