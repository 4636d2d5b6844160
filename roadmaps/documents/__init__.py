"""Document kinds roadmaps contribute to the core's pipeline (mentorship/documents).

The registry imports `<app>.documents` to find the kinds; importing each kind module
here registers it.

roadmap: the roadmap as a printed A4 landscape table.
"""

from . import roadmap  # noqa: F401 - registers the kind
