"""What the apps add to a participant's personal page, without the registry importing them.

An app registers a section in its AppConfig.ready()::

    register_participant_section("monitoring.questionnaires", waiting_questionnaires)

A section is ``section(participant) -> ParticipantSection | None``: called inside the
participant's organisation scope, it returns only that person's own items (never another
person's), in a fixed number of queries. The page shows the sections in registration
order; None hides the section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from registry.models import Participant


@dataclass(frozen=True)
class SectionItem:
    title: str
    detail: str = ""
    # An absolute or public link the person may open without login (a questionnaire).
    url: str = ""
    action: str = ""


@dataclass(frozen=True)
class ParticipantSection:
    key: str
    title: str
    items: list[SectionItem] = field(default_factory=list)
    empty: str = ""


ParticipantSectionProvider = Callable[[Participant], ParticipantSection | None]

_sections: dict[str, ParticipantSectionProvider] = {}


def register_participant_section(key: str, provider: ParticipantSectionProvider) -> None:
    """Add (or, for the same key, replace) a section of the participant's page."""
    _sections[key] = provider


def participant_sections(participant: Participant) -> list[ParticipantSection]:
    sections = []
    for provider in _sections.values():
        section = provider(participant)
        if section is not None:
            sections.append(section)
    return sections
