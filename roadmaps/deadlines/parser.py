"""Read a deadline phrase: tokenise it, then read the whole of it with the grammar.

Design rule: the *whole* phrase must be read by one shape of the grammar. A phrase that
is only partly understood is UNREADABLE, so that a person is asked to clarify it instead
of the system silently guessing a wrong date.

A cell may also hold one deadline per sub-item: a numbered list («1. май 2022\\n2.
постоянно») or one line per sub-item. It reads «по подпунктам» (BY_ITEMS) when every
item is readable; the importer hands each line to its sub-item, and `item_deadlines`
tells how many there are, so that a list whose count does not match the sub-items is
flagged for a person.
"""

from __future__ import annotations

from functools import lru_cache

from roadmaps.itemlists import parse_list

from .grammar import read
from .parsed import DeadlineKind, ParsedDeadline
from .tokens import normalise, tokenise

__all__ = ["item_deadlines", "parse_deadline"]


@lru_cache(maxsize=4096)  # the same phrases recur in every school's copy; results are frozen
def _parse_phrase(original: str) -> ParsedDeadline:
    unreadable = ParsedDeadline(original, DeadlineKind.UNREADABLE)
    tokens = tokenise(normalise(original))
    build = read(tokens) if tokens else None
    if build is None:
        return unreadable
    try:
        # The first reading decides: an impossible date inside a known shape
        # ("31 февраля 2022") is unreadable, not re-read as something else.
        return build(original)
    except (ValueError, OverflowError):
        return unreadable


def _numbered_items(text: str) -> list[str] | None:
    """The items of a numbered list of two or more, nothing before the first; else None."""
    listed = parse_list("\n".join(text.strip().splitlines()))
    if listed is None or listed.lead or not listed.items[0][0]:  # bullets have no number
        return None
    return [item for _, item in listed.items]


def _lines(text: str) -> list[str] | None:
    """Two or more non-empty lines, each a readable deadline on its own; else None."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2 or not all(_parse_phrase(line).is_readable for line in lines):
        return None
    return lines


def item_deadlines(text: str | None) -> list[str] | None:
    """The per-item deadlines a cell lists, one per sub-item, or None if it lists none."""
    original = text if isinstance(text, str) else ""
    items = _numbered_items(original)
    if items is not None:
        return items
    if _parse_phrase(original).is_readable:  # "Май –\nиюнь\n2022" is one phrase
        return None
    return _lines(original)


def parse_deadline(text: str | None) -> ParsedDeadline:
    """Read a roadmap deadline phrase; never raises, keeps `text` verbatim."""
    original = text if isinstance(text, str) else ""
    items = _numbered_items(original)
    if items is None:
        parsed = _parse_phrase(original)
        if parsed.is_readable or _lines(original) is None:
            return parsed
        # One readable deadline per line, which together are no one phrase.
        return ParsedDeadline(original, DeadlineKind.BY_ITEMS)
    # One deadline per sub-item: the importer gives each child its own line, so the
    # parent is readable (and undated) only if every line is.
    readable = all(_parse_phrase(item).is_readable for item in items)
    return ParsedDeadline(original, DeadlineKind.BY_ITEMS if readable else DeadlineKind.UNREADABLE)
