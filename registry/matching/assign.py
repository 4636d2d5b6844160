"""Assignment of mentees to mentors' free slots for a whole programme.

Objective, in this order: as many mentees as possible get an acceptable pair (feasible and
scoring at least `min_score`), then the largest total score. Coverage comes first because a
mentee left without a pair is the outcome the model tries hardest to avoid (they need support
and a continued search), while a weaker pair is visible to the curator through its reasons
and can be edited. On a programme where everyone can be placed either way this is simply the
maximum total score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from registry.matching.candidates import (
    MatchResult,
    MenteeCandidate,
    MentorCandidate,
    Suggestion,
)
from registry.matching.reasons import explain
from registry.matching.rules import Evaluation, evaluate


def _prepare(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    form_code: str,
    min_score: float,
) -> tuple[Evaluation, np.ndarray]:
    # Sorting by id makes the result independent of the order the caller passed people in;
    # the solver is deterministic for a given matrix, so equal inputs give equal pairs.
    mentors = sorted(mentors, key=lambda m: m.id)
    mentees = sorted(mentees, key=lambda m: m.id)
    evaluation = evaluate(mentors, mentees, form_code)
    allowed = evaluation.feasible & (evaluation.total >= min_score)
    return evaluation, allowed


def _result(evaluation: Evaluation, chosen: list[tuple[int, int]]) -> MatchResult:
    suggestions = sorted(
        (
            Suggestion(
                evaluation.mentors[j].id, evaluation.mentees[i].id, explain(evaluation, i, j)
            )
            for i, j in chosen
        ),
        key=lambda s: (s.mentor_id, s.mentee_id),
    )
    placed = {s.mentee_id for s in suggestions}
    unmatched = tuple(m.id for m in evaluation.mentees if m.id not in placed)
    total = float(sum(s.score.total for s in suggestions))
    return MatchResult(tuple(suggestions), unmatched, total)


def match(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    form_code: str,
    *,
    min_score: float = 0.0,
) -> MatchResult:
    """Optimal pairs for a programme, each mentor taking at most `capacity` mentees.

    Mentors are expanded into one column per free slot and solved with scipy's
    `linear_sum_assignment` (cost = −score). Forbidden pairs get a cost so high that the solver
    uses one only when it must fill the rectangular assignment; those are then dropped.
    """
    evaluation, allowed = _prepare(mentors, mentees, form_code, min_score)
    # No mentor can use more slots than there are mentees: cap them to keep the matrix small.
    per_mentor = [min(max(m.capacity, 0), len(evaluation.mentees)) for m in evaluation.mentors]
    slots = np.repeat(np.arange(len(evaluation.mentors)), per_mentor)
    if not len(evaluation.mentees) or not len(slots):
        return _result(evaluation, [])
    scores = evaluation.total[:, slots]
    ok = allowed[:, slots]
    # One forbidden pair must cost more than any difference in score the allowed pairs can
    # make over the whole assignment (at most k pairs, each within ±bound): then fewer
    # forbidden pairs (= more mentees placed) always wins, and at equal coverage the score
    # decides. Scores are small integers, so these sums stay exact in float64.
    k = min(scores.shape)
    bound = float(np.abs(scores[ok]).max()) if ok.any() else 0.0
    forbidden = (2.0 * bound + 1.0) * (k + 1)
    cost = np.where(ok, -scores, forbidden)
    rows, cols = linear_sum_assignment(cost)
    chosen = [(int(i), int(slots[c])) for i, c in zip(rows, cols, strict=True) if ok[i, c]]
    return _result(evaluation, chosen)


def greedy_match(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    form_code: str,
    *,
    min_score: float = 0.0,
) -> MatchResult:
    """The naive baseline: take the best remaining pair while capacity lasts.

    Kept only to show in tests what the optimal assignment gains over doing it by eye.
    """
    evaluation, allowed = _prepare(mentors, mentees, form_code, min_score)
    left = [max(m.capacity, 0) for m in evaluation.mentors]
    rows, cols = np.nonzero(allowed)
    order = sorted(
        zip(rows.tolist(), cols.tolist(), strict=True),
        key=lambda p: (
            -evaluation.total[p],
            evaluation.mentees[p[0]].id,
            evaluation.mentors[p[1]].id,
        ),
    )
    placed: set[int] = set()
    chosen = []
    for i, j in order:
        if i not in placed and left[j] > 0:
            placed.add(i)
            left[j] -= 1
            chosen.append((i, j))
    return _result(evaluation, chosen)
