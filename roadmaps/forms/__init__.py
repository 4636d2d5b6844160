"""Forms of the roadmap pages; services do the writing and the real validation.

roadmaps:  create a roadmap, change its title and period, approve it;
editing:   a section, an activity of a draft's table;
progress:  a school's mark on an activity;
importing: the file to import and the roadmap to save from its preview.
"""
