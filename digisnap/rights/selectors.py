"""Reads for rights: a user's rights with their log, the refusal reason of a registration, and
the user managers per institution."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from digisnap.accounts.models import User
from digisnap.rights.models import Right, RightEvent
from digisnap.schools.models import Institution, InstitutionManager


def rights_of_user(user: User) -> QuerySet[Right]:
    return (
        Right.objects.filter(user=user)
        .select_related("institution", "granted_by")
        .prefetch_related(
            Prefetch(
                "events", queryset=RightEvent.objects.select_related("by").order_by("at", "pk")
            )
        )
        .order_by("-ends_on", "institution__name", "pk")
    )


def latest_right(user: User, institution: Institution) -> Right | None:
    """The right of the user on the institution that ends last (to explain a refusal)."""
    return (
        Right.objects.filter(user=user, institution=institution, kind=Right.Kind.DIGISNAP_BEHEERDER)
        .order_by("-ends_on", "-pk")
        .first()
    )


def refusal(user: User, institution: Institution, *, on: datetime.date) -> tuple[str, Right | None]:
    """Why the user may not register: "none", "expired", "ended" or "future"."""
    right = latest_right(user, institution)
    if right is None:
        return "none", None
    if right.ended_at is not None:
        return "ended", right
    if right.ends_on < on:
        return "expired", right
    return "future", right


def user_managers() -> QuerySet[InstitutionManager]:
    return InstitutionManager.objects.select_related("user", "institution").order_by(
        "institution__name", "user__email"
    )


def users_matching(query: str, *, limit: int = 25) -> QuerySet[User]:
    query = query.strip()
    if not query:
        return User.objects.none()
    return User.objects.filter(email__icontains=query).order_by("email")[:limit]
