"""Forms of the registry's pages. They shape the input; the services validate and write.

common:         the date widget and a service's ValidationError put onto a form;
people:         a person, questionnaire, needs, assessment, bulk actions, list filters;
consent:        recording and withdrawing a consent;
partners:       partner organisations, and the mentor base's filters;
pairs:          pairs, the lifecycle, meetings, development plans, the pair list's filters;
pair_order:     the order on pairs;
importing:      the registry import's upload;
subject_rights: the date of a data subject's request.
"""
