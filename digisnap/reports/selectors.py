"""Reads for the director's pages: the digisnaps a director administers, with participation
counts. Counts only: never a teacher's name, answers or results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Answer, Response
from digisnap.rights.access import digisnaps_administered
from digisnap.schools.models import Digisnap, InstitutionManager, Membership


@dataclass(frozen=True)
class Participation:
    """How many teachers joined a digisnap, are busy with it, and submitted it.

    joined: teacher memberships. busy: teachers with a round in progress that has at least one
    answer. submitted: teachers with at least one submitted round. A teacher in a new round
    after an earlier submission counts as busy and as submitted.
    """

    joined: int
    busy: int
    submitted: int

    def as_dict(self) -> dict[str, int]:
        return {"joined": self.joined, "busy": self.busy, "submitted": self.submitted}


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated subquery counting distinct users per digisnap; 0 when there are none."""
    counted = (
        queryset.filter(digisnap=OuterRef("pk"))
        .order_by()
        .values("digisnap")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_participation(digisnaps: QuerySet[Digisnap]) -> QuerySet[Digisnap]:
    """The digisnaps annotated with joined / busy / submitted, in the same single query."""
    started = Answer.objects.filter(response=OuterRef("pk"))
    return digisnaps.annotate(
        joined=_count(Membership.objects.filter(role=Membership.Role.TEACHER)),
        busy=_count(Response.objects.filter(Exists(started), status=Response.Status.DRAFT)),
        submitted=_count(Response.objects.filter(status=Response.Status.SUBMITTED)),
    )


def participation_of(digisnap: Digisnap) -> Participation:
    """The counts of one digisnap, in one query."""
    row = (
        with_participation(Digisnap.objects.filter(pk=digisnap.pk))
        .values("joined", "busy", "submitted")
        .get()
    )
    return Participation(**row)


def director_digisnaps(user: User, *, on: datetime.date | None = None) -> list[Digisnap]:
    """The digisnaps the user administers on that date (today by default), per school community
    then institution, each with its counts and `may_download_poster` — one query in all."""
    managed = InstitutionManager.objects.filter(user=user, institution=OuterRef("institution"))
    # The same rule as schools.access.digisnap_for_poster: platform admins and user managers.
    may_download = Value(True, output_field=BooleanField()) if user.is_staff else Exists(managed)
    digisnaps = (
        digisnaps_administered(user, on=on)
        .select_related("institution__community")
        .annotate(may_download_poster=may_download)
        .order_by(
            F("institution__community__name").asc(nulls_last=True),
            "institution__name",
            "institution__pk",
            "name",
            "pk",
        )
    )
    return list(with_participation(digisnaps))


def administers_any(user: User, *, on: datetime.date | None = None) -> bool:
    """Whether the user administers at least one digisnap on that date (today by default)."""
    return digisnaps_administered(user, on=on).exists()
