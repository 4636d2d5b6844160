"""Web pages of roadmaps; thin: a rule from roadmaps.access, a form, a service call.

roadmaps:  list and create, the roadmap, approval, a new draft, cascade, matrix, PDF;
exports:   the matrix as an .xlsx workbook;
editing:   the draft's table edited inline (htmx): sections and activities;
progress:  a school's duties, the mark with evidence, the evidence download;
importing: a roadmap from .docx/.xlsx: upload → preview → save.
"""
