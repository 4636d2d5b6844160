"""Lists written inside one table cell: "1. …\n2. …" or "- …\n- …".

Plain Python with no imports from the rest of the app: the importer splits an activity's
sub-items with it, and the deadline parser reads a per-item list of deadlines with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ItemList", "parse_list"]

NUMBERED = re.compile(r"^(\d{1,2})\s*[.)](?!\d)\s*(.*)$")
BULLETED = re.compile(r"^([-–—•▪·])\s*(.*)$")


@dataclass
class ItemList:
    lead: list[str]  # lines before the first item
    items: list[tuple[str, str]]  # (number as written without "." / ")", text)


def parse_list(text: str) -> ItemList | None:
    """Split "lead\\n1. a\\n2. b" (or "- a\\n- b") into items; None if not a list of 2+."""
    lead: list[str] = []
    items: list[tuple[str, str]] = []
    marker: str | None = None  # "1" for numbered lists, else the bullet character
    for line in text.split("\n") if text else []:
        numbered = NUMBERED.match(line)
        bulleted = BULLETED.match(line)
        if marker is None:
            if numbered and numbered[1] == "1":
                marker = "1"
                items.append((numbered[1], numbered[2]))
            elif bulleted and bulleted[2]:
                marker = bulleted[1]
                items.append(("", bulleted[2]))
            else:
                lead.append(line)
        elif marker == "1" and numbered and int(numbered[1]) == len(items) + 1:
            items.append((numbered[1], numbered[2]))
        elif marker != "1" and bulleted and bulleted[1] == marker and bulleted[2]:
            items.append(("", bulleted[2]))
        else:  # an item running over several lines
            number, item = items[-1]
            items[-1] = (number, f"{item}\n{line}" if item else line)
    if len(items) < 2:
        return None
    return ItemList(lead=lead, items=items)
