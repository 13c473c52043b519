"""Reads for schools: finding a digisnap by a typed code, a user's digisnaps."""

from __future__ import annotations

from django.db.models import QuerySet

from digisnap.accounts.models import User
from digisnap.schools.codes import normalize_code
from digisnap.schools.models import Digisnap, Membership


def digisnap_by_code(typed: str) -> Digisnap | None:
    code = normalize_code(typed)
    if code is None:
        return None
    return Digisnap.objects.select_related("institution").filter(code__iexact=code).first()


def digisnaps_joined(*, user: User) -> QuerySet[Digisnap]:
    return (
        Digisnap.objects.filter(memberships__user=user, memberships__role=Membership.Role.TEACHER)
        .select_related("institution")
        .order_by("name")
    )
