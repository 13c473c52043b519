"""The scoring rule: how item answers become competence and area levels (documented in README).

- An answer is worth its level in points: A1 = 1 … C2 = 6; «ik ken dit niet» is worth 0 points.
- A competence's score is the mean of its items' points; an area's score is the mean of its
  competences' scores (so a competence with many items does not outweigh the others).
- A level is the score rounded half up, and never below A1: not knowing a practice places you
  at the start of the route, not outside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from digisnap.core.levels import HIGHEST, LOWEST

_CENT = Decimal("0.01")


def mean_score(points: Sequence[int | Decimal]) -> Decimal:
    if not points:
        raise ValueError("A score needs at least one value.")
    total = sum((Decimal(p) for p in points), Decimal(0))
    return (total / len(points)).quantize(_CENT, rounding=ROUND_HALF_UP)


def level_for(score: Decimal) -> int:
    return max(LOWEST, min(HIGHEST, int(score.quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def score_response(
    answers: Mapping[int, int],
    items_by_competence: Mapping[int, Iterable[int]],
    competences_by_area: Mapping[int, Iterable[int]],
) -> tuple[dict[int, tuple[Decimal, int, int]], dict[int, tuple[Decimal, int]]]:
    """Score one complete set of answers.

    `answers` maps item id → answered level (0 for «ik ken dit niet»). Returns
    (competence id → (score, level, unknown items), area id → (score, level)).
    """
    competences: dict[int, tuple[Decimal, int, int]] = {}
    for competence_id, item_ids in items_by_competence.items():
        points = [answers[item_id] for item_id in item_ids]
        score = mean_score(points)
        competences[competence_id] = (score, level_for(score), points.count(0))
    areas: dict[int, tuple[Decimal, int]] = {}
    for area_id, competence_ids in competences_by_area.items():
        score = mean_score([competences[c][0] for c in competence_ids])
        areas[area_id] = (score, level_for(score))
    return competences, areas
