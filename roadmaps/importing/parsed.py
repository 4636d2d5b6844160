"""What the roadmap reader returns, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .period import DocumentOrder, DocumentPeriod

__all__ = [
    "DEFAULT_SECTION_TITLE",
    "ListedItems",
    "ParsedActivity",
    "ParsedRoadmap",
    "ParsedSection",
    "RoadmapFileError",
    "render",
]

DEFAULT_SECTION_TITLE = _("Мероприятия")


@dataclass
class ParsedActivity:
    number: str  # as written, e.g. "1.2" or "" if none
    title: str
    content: str = ""
    responsible: str = ""
    deadline_text: str = ""
    expected_result: str = ""
    document_kind: str = ""
    # sub-items numbered inside the content (or title) cell, each with its own responsible
    # party and deadline when the cells list them per item
    children: list[ParsedActivity] = field(default_factory=list)
    row_number: int = 0  # table row (1-based) where it starts, for messages
    # A list in the content (or title) cell with one deadline for all of it: left whole,
    # and offered to the methodist to split into sub-items (`split_listed`).
    listed: ListedItems | None = None


@dataclass
class ListedItems:
    cell: str  # "content" or "title"
    lead: str  # the cell's text before its list
    items: list[tuple[str, str]]  # (number as written, or "" for a bullet; text)


@dataclass
class ParsedSection:
    title: str
    for_every_school: bool  # "на уровне ОО / образовательных организаций / ОУ"
    activities: list[ParsedActivity] = field(default_factory=list)


@dataclass
class ParsedRoadmap:
    title: str  # from the paragraph(s) above the table, else the file name
    sections: list[ParsedSection]
    warnings: list[str]  # Russian, human-readable
    period: DocumentPeriod | None = None  # as the title or a heading states it
    order: DocumentOrder | None = None  # «к приказу … от 12.05.2022 № 243»


class RoadmapFileError(Exception):
    """The file cannot be read as a roadmap; ``message`` is Russian text for the user."""

    def __init__(self, message, /, **params) -> None:
        self._message = message
        self._params = params
        super().__init__(message)

    @property
    def message(self) -> str:
        return render(self._message, **self._params)

    def __str__(self) -> str:
        return self.message


def render(message, /, **params) -> str:
    """A (lazy) translatable message as text, with ``{name}`` placeholders filled in.

    The reader must also work where Django settings are not configured (scripts, pure
    tests): then translation is impossible and the Russian source text is used as is.
    """
    try:
        text = str(message)
    except Exception:  # settings not configured: gettext cannot run
        args = getattr(message, "_args", None)  # the arguments of a gettext_lazy() proxy
        text = str(args[0]) if args else object.__repr__(message)
    return text.format(**params) if params else text
