"""Writes to roadmaps. Each public function is one audited transaction.

authoring: roadmaps, sections and activities, numbering, approval and versions;
cascade:   a municipal roadmap's school duties copied into every school;
progress:  a school's status, comment and evidence for an activity.
"""
