"""Writes to roadmaps. Each public function is one audited transaction.

authoring:  roadmaps, sections and activities, numbering, approval and versions;
standard:   the standard roadmap a new one may start from;
cascade:    a municipal roadmap's school duties copied into every school;
versions:   the school copies re-linked to a municipal roadmap's new approved version;
progress:   a school's status, comment and evidence for an activity;
scheduling: the due dates an activity's parsed deadline gives within its period;
importing:  a roadmap read from .docx/.xlsx, previewed, then written;
reminders:  the morning digest of deadlines, by mail and in-app.
"""
