"""Which aggregates of the directors' report may be shown (DESIGN §3), so that no figure of a
small digisnap can be worked out, within one report or by comparing several.

Which rule protects against which subtraction:

- A digisnap with fewer than `settings.REPORT_MIN_RESPONDENTS` respondents counts in no figure
  of any report: not in its school's row, not in the report's total, not in the comparison with
  all digisnaps, the needs, the trainings, the change or the spreadsheet (`counts`). Every figure
  is then a sum over whole digisnaps that each reach the minimum, and the difference of two
  figures — total minus the schools shown, one report minus another over fewer digisnaps, the
  platform minus a report — is a sum over whole digisnaps too: empty, or at least the minimum.
  So no second school has to be hidden beside a small one any more.
- The platform-wide comparison also needs `PLATFORM_MIN_RESPONDENTS` counted respondents, and
  the platform minus this report must be empty or reach the minimum (`platform_shown`); with the
  rule above the second part always holds, and stays as a guard.
- The change since the previous round is a figure over part of a digisnap (its teachers with an
  earlier round); that part and the rest (the digisnap's total minus the part) must both reach
  the minimum or be empty, per digisnap (`subset_reason`), so that the change of one report
  minus another's, or a total minus the change's «now», again isolates only whole parts that
  reach the minimum.
- Respondent counts: a small digisnap's or school's exact count is never printed beside it
  («fewer than 5»), so that its teachers cannot be counted from the report either.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The platform-wide comparison needs this many respondents before it means anything: a few
# dozen teachers would say more about their schools than about «the platform».
PLATFORM_MIN_RESPONDENTS = 50


def minimum() -> int:
    return settings.REPORT_MIN_RESPONDENTS


def counts(respondents: int) -> bool:
    """Whether a digisnap with this many respondents counts in the figures of any report."""
    return respondents >= minimum()


def too_few_text() -> str:
    """Why a figure over too few respondents is hidden."""
    count = minimum()
    return ngettext(
        "Hidden: fewer than %(count)d respondent, so answers could be traced to a teacher.",
        "Hidden: fewer than %(count)d respondents, so answers could be traced to a teacher.",
        count,
    ) % {"count": count}


def fewer_than_text() -> str:
    """A small group's respondent count, without the exact number («fewer than 5»)."""
    return _("fewer than %(count)d") % {"count": minimum()}


def left_out_text(*, respondents: int, digisnaps: int) -> str:
    """The cover's sentence on the respondents of small digisnaps that count in no figure."""
    of = ngettext(
        "%(count)d digisnap",
        "%(count)d digisnaps",
        digisnaps,
    ) % {"count": digisnaps}
    return ngettext(
        "%(respondents)d respondent of %(digisnaps)s with fewer than %(minimum)d respondents "
        "is not counted, so that no figure can be traced to a teacher — not even by comparing "
        "reports.",
        "%(respondents)d respondents of %(digisnaps)s with fewer than %(minimum)d respondents "
        "are not counted, so that no figure can be traced to a teacher — not even by comparing "
        "reports.",
        respondents,
    ) % {"respondents": respondents, "digisnaps": of, "minimum": minimum()}


def hidden_reason(respondents: int) -> str:
    """The explanation when a figure over this many respondents must be hidden, else ""."""
    return too_few_text() if respondents < minimum() else ""


def subset_reason(*, subset: int, whole: int) -> str:
    """Why figures over part of a digisnap's respondents (those with an earlier round) are
    hidden, or "".

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

    Only with enough counted respondents on the platform, and only when the platform without
    this report is empty or large enough: the platform figure minus this report's must not
    reveal a small group of other teachers.
    """
    rest = platform - report
    return platform >= PLATFORM_MIN_RESPONDENTS and (rest == 0 or rest >= minimum())
