"""Satisfaction of mentees and mentors, from the monitoring questionnaires' answers.

The satisfaction % is the share of answers «4» or «5» among all answers on the 1–5
scale questions of the satisfaction questionnaires (see README: «Показатели»). Until the
questionnaires and responses exist, the figures say «нет ответов».
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Satisfaction:
    # {(school id, year): {indicator code: (answers 4–5, all answers)}}
    counts: dict[tuple[int, int], dict[str, tuple[int, int]]] = field(default_factory=dict)
    # False while the monitoring app has no answers to read.
    available: bool = False


def unscoped_satisfaction(school_ids: Sequence[int], years: Iterable[int]) -> Satisfaction:
    return Satisfaction()
