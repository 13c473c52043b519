"""Reads for schools: finding a digisnap by a typed code, and the access requests' queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, QuerySet, Value, When
from django.db.models.functions import Lower

from digisnap.accounts.models import User
from digisnap.schools.codes import normalize_code
from digisnap.schools.models import (
    AccessRequest,
    Digisnap,
    Institution,
    InstitutionManager,
    digisnap_name,
)


def digisnap_by_code(typed: str) -> Digisnap | None:
    code = normalize_code(typed)
    if code is None:
        return None
    # Compared as Lower(code) = lower-cased input, the very expression of the unique index, so
    # the index serves the lookup (`code__iexact` compiles to UPPER(...) on PostgreSQL and scans).
    return (
        Digisnap.objects.select_related("institution")
        .alias(code_lower=Lower("code"))
        .filter(code_lower=code.lower())
        .first()
    )


def lists_taken(
    *, institution_number: str, school_name: str, lists: list[str]
) -> tuple[list[str], list[str]]:
    """Of the requested lists: those the school already has as a digisnap «<school> <list>»,
    and those a request still waiting for a decision already asks for."""
    wanted = {digisnap_name(school_name, name).casefold(): name for name in lists}
    existing_names = Digisnap.objects.filter(institution__number=institution_number).values_list(
        "name", flat=True
    )
    existing = {wanted[n.casefold()] for n in existing_names if n.casefold() in wanted}
    pending = set()
    for request in AccessRequest.objects.filter(
        institution_number=institution_number, status=AccessRequest.Status.PENDING
    ).only("school_name", "lists"):
        pending |= {
            wanted[name.casefold()]
            for name in request.digisnap_names()
            if name.casefold() in wanted
        }
    return [n for n in lists if n in existing], [n for n in lists if n in pending - existing]


def access_requests_for_queue() -> QuerySet[AccessRequest]:
    """Pending requests first (oldest first: they waited longest), then decided ones, newest first."""
    pending_first = Case(When(status=AccessRequest.Status.PENDING, then=Value(0)), default=Value(1))
    return (
        AccessRequest.objects.select_related("community", "decided_by")
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-decided_at", "created_at")
    )


@dataclass(frozen=True)
class InstitutionFacts:
    """What is already known about the institution a request names."""

    institution: Institution | None
    digisnaps: list[Digisnap]
    managers: list[InstitutionManager]
    earlier_requests: list[AccessRequest]


def institution_facts(access_request: AccessRequest) -> InstitutionFacts:
    institution = (
        Institution.objects.select_related("community")
        .filter(number=access_request.institution_number)
        .first()
    )
    digisnaps = list(institution.digisnaps.order_by("name")) if institution else []
    managers = (
        list(institution.managers.select_related("user").order_by("user__email"))
        if institution
        else []
    )
    earlier = list(
        AccessRequest.objects.filter(institution_number=access_request.institution_number)
        .exclude(pk=access_request.pk)
        .order_by("-created_at")
    )
    return InstitutionFacts(institution, digisnaps, managers, earlier)


def institutions_managed_by(*, user: User) -> QuerySet[Institution]:
    """The institutions a person manages as user manager («lokale beheerder»)."""
    return Institution.objects.filter(managers__user=user).order_by("name")
