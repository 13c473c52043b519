"""Who may act as director or user manager: a valid right on the institution, on today's date
in Europe/Brussels. Checked on every request, so a right that ends stops working at midnight
without a new sign-in."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.rights.models import Right
from digisnap.schools.models import Digisnap, Institution, InstitutionManager, Membership

BRUSSELS = ZoneInfo("Europe/Brussels")


def today() -> datetime.date:
    """Today's date in Belgium, whatever the server's or the request's time zone."""
    return timezone.now().astimezone(BRUSSELS).date()


def valid_rights(*, on: datetime.date | None = None) -> QuerySet[Right]:
    on = on or today()
    return Right.objects.filter(
        kind=Right.Kind.DIGISNAP_BEHEERDER,
        starts_on__lte=on,
        ends_on__gte=on,
        ended_at__isnull=True,
    )


def has_valid_right(
    user: User, institution: Institution, *, on: datetime.date | None = None
) -> bool:
    if not user.is_authenticated:
        return False
    return valid_rights(on=on).filter(user=user, institution=institution).exists()


def digisnaps_administered(user: User, *, on: datetime.date | None = None) -> QuerySet[Digisnap]:
    """The digisnaps the user is registered on as director AND holds a valid right for."""
    if not user.is_authenticated:
        return Digisnap.objects.none()
    rights = valid_rights(on=on).filter(user=user, institution=OuterRef("institution"))
    registered = Membership.objects.filter(
        user=user, digisnap=OuterRef("pk"), role=Membership.Role.DIRECTOR
    )
    return (
        Digisnap.objects.select_related("institution")
        .filter(Exists(rights), Exists(registered))
        .order_by("name", "pk")
    )


def digisnap_for_director(user: User, pk: int, *, on: datetime.date | None = None) -> Digisnap:
    """The digisnap for its director; for anybody else it does not exist (404)."""
    digisnap = digisnaps_administered(user, on=on).filter(pk=pk).first()
    if digisnap is None:
        raise Http404
    return digisnap


def institution_for_user_manager(user: User, pk: int) -> Institution:
    """The institution for one of its user managers; for anybody else it does not exist (404)."""
    if not user.is_authenticated:
        raise Http404
    institution = Institution.objects.filter(
        Exists(InstitutionManager.objects.filter(user=user, institution=OuterRef("pk"))), pk=pk
    ).first()
    if institution is None:
        raise Http404
    return institution
