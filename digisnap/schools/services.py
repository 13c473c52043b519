"""Writes for schools: school communities, institutions, digisnaps with a fresh code, joining one."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.schools.codes import generate_code, normalize_code
from digisnap.schools.models import Digisnap, Institution, Membership, SchoolCommunity

_CODE_ATTEMPTS = 20


@transaction.atomic
def community_create(*, name: str) -> SchoolCommunity:
    community = SchoolCommunity(name=name)
    community.full_clean()
    community.save()
    return community


@transaction.atomic
def institution_create(
    *, number: str, name: str, city: str = "", community: SchoolCommunity | None = None
) -> Institution:
    institution = Institution(community=community, number=number, name=name, city=city)
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def digisnap_create(
    *,
    institution: Institution,
    name: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    code: str | None = None,
) -> Digisnap:
    """Create a digisnap with a code no digisnap ever had (codes are never reused or deleted).

    A fixed `code` (the demo's codes in the README) must be a well-formed code that is still free.
    """
    if code is not None and normalize_code(code) != code:
        raise ValidationError(
            {"code": _("A code is «Digisnap_» and six characters that cannot be confused.")}
        )
    for _attempt in range(1 if code else _CODE_ATTEMPTS):
        digisnap = Digisnap(
            institution=institution,
            name=name,
            code=code or generate_code(),
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
    if code:
        raise ValidationError({"code": _("Another digisnap already has this code.")})
    raise RuntimeError("Could not find a free digisnap code; widen the code length.")


@transaction.atomic
def membership_join(
    *, user: User, digisnap: Digisnap, role: Membership.Role = Membership.Role.TEACHER
) -> Membership:
    """Tie a user to a digisnap; joining twice is harmless."""
    membership, _created = Membership.objects.get_or_create(user=user, digisnap=digisnap, role=role)
    return membership
