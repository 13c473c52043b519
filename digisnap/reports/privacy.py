"""Which aggregates of the directors' report may be shown (DESIGN §3).

A figure over fewer than `settings.REPORT_MIN_RESPONDENTS` respondents is hidden, and so is any
figure from which a hidden one could be worked out by subtraction (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The platform-wide comparison needs this many respondents before it means anything: a few
# dozen teachers would say more about their schools than about «the platform».
PLATFORM_MIN_RESPONDENTS = 50


def minimum() -> int:
    return settings.REPORT_MIN_RESPONDENTS


def too_few_text() -> str:
    """Why a figure over too few respondents is hidden."""
    count = minimum()
    return ngettext(
        "Hidden: fewer than %(count)d respondent, so answers could be traced to a teacher.",
        "Hidden: fewer than %(count)d respondents, so answers could be traced to a teacher.",
        count,
    ) % {"count": count}


def secondary_text() -> str:
    """Why a figure over enough respondents is hidden all the same."""
    return _(
        "Hidden: otherwise the figures of a school with too few respondents could be worked "
        "out from the total."
    )


def hidden_reason(respondents: int) -> str:
    """The explanation when a figure over this many respondents must be hidden, else ""."""
    return too_few_text() if respondents < minimum() else ""


def group_reasons(counts: Mapping[int, int]) -> dict[int, str]:
    """For the groups of one breakdown (say the schools beside the total): why each is hidden,
    or "" when it may be shown.

    Groups under the minimum are hidden. The total minus the groups shown then equals the hidden
    groups together, so while those together hold some respondents but fewer than the minimum,
    the smallest group still shown is hidden too (ties by the lowest key, so the choice is
    repeatable).
    """
    least = minimum()
    reasons = {key: (too_few_text() if n < least else "") for key, n in counts.items()}
    while True:
        hidden_sum = sum(counts[key] for key, reason in reasons.items() if reason)
        shown = [key for key, reason in reasons.items() if not reason]
        if not (0 < hidden_sum < least) or not shown:
            return reasons
        smallest = min(shown, key=lambda key: (counts[key], key))
        reasons[smallest] = secondary_text()


def subset_reason(*, subset: int, whole: int) -> str:
    """Why figures over part of the respondents (those with an earlier round) are hidden, or "".

    The whole is shown elsewhere, so the rest (whole minus subset) must be empty or large enough
    as well as the subset itself.
    """
    least = minimum()
    if subset < least:
        return too_few_text()
    if 0 < whole - subset < least:
        return _(
            "Hidden: otherwise the figures of the few respondents without an earlier round "
            "could be worked out."
        )
    return ""


def platform_shown(*, platform: int, report: int) -> bool:
    """Whether the platform-wide figures may stand beside this report's.

    Only with enough respondents on the platform, and only when the platform without this
    report is empty or large enough: the platform figure minus this report's must not reveal a
    small group of other teachers.
    """
    rest = platform - report
    return platform >= PLATFORM_MIN_RESPONDENTS and (rest == 0 or rest >= minimum())
