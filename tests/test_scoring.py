"""The scoring rule: answers → competence levels → area levels (see scoring.py's docstring)."""

from decimal import Decimal

import pytest

from digisnap.core.levels import Level
from digisnap.questionnaires.scoring import level_for, mean_score, score_response


def score_one_competence(*points: int) -> tuple[Decimal, int, int]:
    """Score a competence whose items were answered with these points (one area, one competence)."""
    answers = dict(enumerate(points, start=1))
    competences, _areas = score_response(answers, {10: list(answers)}, {100: [10]})
    return competences[10]


def test_not_knowing_anything_places_you_at_a1_not_below():
    score, level, unknown = score_one_competence(0, 0)
    assert score == Decimal("0.00")
    assert level == Level.A1
    assert unknown == 2


def test_a_six_and_a_zero_average_to_b1():
    score, level, _unknown = score_one_competence(6, 0)
    assert score == Decimal("3.00")
    assert level == Level.B1


def test_half_a_level_rounds_up():
    score, level, _unknown = score_one_competence(2, 3)
    assert score == Decimal("2.50")
    assert level == Level.B1


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("3.49", Level.B1),
        ("3.50", Level.B2),
        ("1.49", Level.A1),
        ("5.50", Level.C2),
        ("0.49", Level.A1),
    ],
)
def test_a_score_becomes_the_nearest_level_rounding_half_up(score, level):
    assert level_for(Decimal(score)) == level


def test_a_level_is_never_above_c2_or_below_a1():
    assert level_for(Decimal("9")) == Level.C2
    assert level_for(Decimal("0")) == Level.A1
    assert level_for(Decimal("-1")) == Level.A1


def test_a_mean_is_kept_to_two_decimals():
    assert mean_score([1, 2, 2]) == Decimal("1.67")


def test_unknown_answers_are_counted_per_competence():
    _score, level, unknown = score_one_competence(0, 4)
    assert unknown == 1
    assert level == Level.A2


def test_an_area_is_the_mean_of_its_competences_not_of_its_items():
    # Competence 10 has two items at C2, competence 11 one item at A2. Per item the mean would be
    # 14/3 = 4.67 (C1); per competence it is (6 + 2) / 2 = 4 (B2).
    answers = {1: 6, 2: 6, 3: 2}
    competences, areas = score_response(answers, {10: [1, 2], 11: [3]}, {100: [10, 11]})
    assert competences[10] == (Decimal("6.00"), Level.C2, 0)
    assert competences[11] == (Decimal("2.00"), Level.A2, 0)
    assert areas[100] == (Decimal("4.00"), Level.B2)


def test_every_competence_and_area_gets_a_result():
    answers = {1: 1, 2: 2, 3: 5, 4: 6}
    competences, areas = score_response(
        answers, {10: [1, 2], 11: [3], 12: [4]}, {100: [10], 200: [11, 12]}
    )
    assert set(competences) == {10, 11, 12}
    assert areas == {100: (Decimal("1.50"), Level.A2), 200: (Decimal("5.50"), Level.C2)}


def test_scoring_nothing_is_refused():
    with pytest.raises(ValueError):
        mean_score([])
    with pytest.raises(ValueError):
        score_response({}, {10: []}, {100: [10]})
