"""Import of roadmaps (планы мероприятий) from Word (.docx) and Excel (.xlsx) files.

``read_roadmap(data, filename)`` recognises the file by its content, finds the roadmap
table(s) by their column names, and returns sections and activities with the text as
written. It does not touch the database; anything that is not a readable roadmap raises
``RoadmapFileError`` whose ``message`` is Russian text for the user.
"""

from .parsed import ParsedActivity, ParsedRoadmap, ParsedSection, RoadmapFileError
from .reader import read_roadmap

__all__ = [
    "ParsedActivity",
    "ParsedRoadmap",
    "ParsedSection",
    "RoadmapFileError",
    "read_roadmap",
]
