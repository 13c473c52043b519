"""DigCompEdu levels (A1 … C2, and the «ik ken dit niet» answer) and bands: defined here only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.IntegerChoices):
    """An answer's or a result's level; 0 is the «ik ken dit niet» answer, never a result level.

    The value is also the answer's worth in points (see the scoring rule).
    """

    UNKNOWN = 0, _("I don't know this")
    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


class Band(models.TextChoices):
    A = "A", pgettext_lazy("band", "beginner")
    B = "B", pgettext_lazy("band", "user")
    C = "C", pgettext_lazy("band", "expert")


# The levels a result, an option, a next step or a training can have: A1 … C2, lowest first.
RESULT_LEVELS: tuple[Level, ...] = tuple(level for level in Level if level != Level.UNKNOWN)
RESULT_LEVEL_CHOICES: list[tuple[int, str]] = [
    (level.value, level.label) for level in RESULT_LEVELS
]
LEVEL_LABELS: tuple[str, ...] = tuple(level.label for level in RESULT_LEVELS)
LEVEL_BY_LABEL: dict[str, Level] = {level.label: level for level in RESULT_LEVELS}
LOWEST, HIGHEST = RESULT_LEVELS[0], RESULT_LEVELS[-1]


def level_from_label(text: str | None) -> Level | None:
    """The result level a label names («B1», « b1 » → Level.B1), or None when it names none."""
    return LEVEL_BY_LABEL.get(text.strip().upper()) if isinstance(text, str) else None


def band_of(level: int) -> Band:
    """The band of a level; «ik ken dit niet» counts as A1, where the route starts."""
    return (Band.A, Band.A, Band.B, Band.B, Band.C, Band.C)[max(level, LOWEST) - 1]
