"""Transparent, optimal matching of mentors to mentees for one programme (stage 5 of the model).

Pure Python + numpy/scipy: the caller turns registry rows into candidates, and gets back
suggested pairs with the Russian reasons for each, plus the mentees left without a pair.
"""

from registry.matching.assign import greedy_match, match
from registry.matching.candidates import (
    MatchResult,
    MenteeCandidate,
    MentorCandidate,
    Reason,
    Score,
    Suggestion,
)
from registry.matching.reasons import score

__all__ = [
    "MatchResult",
    "MenteeCandidate",
    "MentorCandidate",
    "Reason",
    "Score",
    "Suggestion",
    "greedy_match",
    "match",
    "score",
]
