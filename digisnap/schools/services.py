"""Writes for schools: creating digisnaps with a fresh code, joining one."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from digisnap.accounts.models import User
from digisnap.schools.codes import generate_code
from digisnap.schools.models import Digisnap, Institution, Membership

_CODE_ATTEMPTS = 20


@transaction.atomic
def digisnap_create(
    *,
    institution: Institution,
    name: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> Digisnap:
    """Create a digisnap with a code no digisnap ever had (codes are never reused or deleted)."""
    for _attempt in range(_CODE_ATTEMPTS):
        digisnap = Digisnap(
            institution=institution,
            name=name,
            code=generate_code(),
            opens_on=opens_on,
            closes_on=closes_on,
        )
        # The code's uniqueness is left to the database, so a collision retries below.
        digisnap.full_clean(exclude=["code"])
        try:
            with transaction.atomic():
                digisnap.save()
        except IntegrityError:
            continue
        return digisnap
    raise RuntimeError("Could not find a free digisnap code; widen the code length.")


@transaction.atomic
def membership_join(
    *, user: User, digisnap: Digisnap, role: Membership.Role = Membership.Role.TEACHER
) -> Membership:
    """Tie a user to a digisnap; joining twice is harmless."""
    membership, _created = Membership.objects.get_or_create(user=user, digisnap=digisnap, role=role)
    return membership
