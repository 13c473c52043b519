"""Who may see a directors' report: whoever administers today every digisnap it covers — its
maker or a co-director — and nobody else. Checked on every page and every download."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from digisnap.accounts.models import User
from digisnap.reports.models import Report
from digisnap.rights.access import digisnaps_administered

Covered = Report.digisnaps.through


def reports_for_viewer(user: User) -> QuerySet[Report]:
    """The reports every digisnap of which the user administers today; a right that ended
    takes the reports over that digisnap out of the archive."""
    administered = digisnaps_administered(user).order_by().values("pk")
    covered = Covered.objects.filter(report=OuterRef("pk"))
    return Report.objects.filter(Exists(covered)).exclude(
        Exists(covered.exclude(digisnap__in=administered))
    )


def report_for_viewer(user: User, pk: int) -> Report:
    """The report for a reader who may see it; for anybody else it does not exist (404)."""
    report = reports_for_viewer(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
