"""Selectors for the directors' report: per-band counts and averages, added up in the database
from the results stored at submit, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from digisnap.questionnaires.models import Response
from digisnap.reports.selectors import with_participation
from digisnap.schools.models import Digisnap


@dataclass(frozen=True)
class ReportData:
    digisnaps: list[Digisnap]
    respondents: int
    joined_not_submitted: int


def latest_submitted(digisnap_ids) -> QuerySet[Response]:
    """Each teacher's latest submitted round per digisnap: earlier rounds do not count twice."""
    later = Response.objects.filter(
        user=OuterRef("user"),
        digisnap=OuterRef("digisnap"),
        status=Response.Status.SUBMITTED,
        submitted_at__gt=OuterRef("submitted_at"),
    )
    return Response.objects.filter(
        digisnap__in=digisnap_ids, status=Response.Status.SUBMITTED
    ).exclude(Exists(later))


def report_data(*, digisnap_ids, include_training: bool) -> ReportData:
    digisnaps = list(
        with_participation(
            Digisnap.objects.filter(pk__in=digisnap_ids).select_related("institution")
        ).order_by("institution__name", "name", "pk")
    )
    respondents = sum(d.submitted for d in digisnaps)
    joined = sum(d.joined for d in digisnaps)
    return ReportData(
        digisnaps=digisnaps,
        respondents=respondents,
        joined_not_submitted=max(joined - respondents, 0),
    )
