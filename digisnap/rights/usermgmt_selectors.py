"""Reads for the user manager: the staff list with the manual's search filters, the rights of an
institution and the history of one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from digisnap.rights.models import Right, RightEvent, StaffMember
from digisnap.schools.models import Institution

# A date filter: on, before or after a date, as in the manual («=», «<», «>»).
COMPARISONS = {"on": "", "before": "__lt", "after": "__gt"}


@dataclass(frozen=True)
class StaffFilters:
    category: str = ""
    first_name: str = ""
    last_name: str = ""
    employed_from: tuple[str, datetime.date] | None = None
    employed_until: tuple[str, datetime.date] | None = None
    modified: tuple[str, datetime.date] | None = None


def staff_search(*, institution: Institution, filters: StaffFilters) -> QuerySet[StaffMember]:
    staff = StaffMember.objects.filter(institution=institution).select_related("user")
    if filters.category:
        staff = staff.filter(category=filters.category)
    if filters.first_name:
        staff = staff.filter(first_name__icontains=filters.first_name)
    if filters.last_name:
        staff = staff.filter(last_name__icontains=filters.last_name)
    for field, condition in (
        ("employed_from", filters.employed_from),
        ("employed_until", filters.employed_until),
        ("modified_at__date", filters.modified),
    ):
        if condition is not None:
            comparison, day = condition
            staff = staff.filter(**{f"{field}{COMPARISONS[comparison]}": day})
    return staff.order_by("last_name", "first_name", "pk")


def staff_chosen(*, institution: Institution, pks: list[int]) -> list[StaffMember]:
    """The chosen people, only from this institution; others are left out (see the form)."""
    return list(
        StaffMember.objects.filter(institution=institution, pk__in=pks)
        .select_related("user")
        .order_by("last_name", "first_name", "pk")
    )


def rights_for_institution(*, institution: Institution) -> QuerySet[Right]:
    return (
        Right.objects.filter(institution=institution)
        .select_related("user", "granted_by")
        .order_by("-ends_on", "user__last_name", "pk")
    )


def right_for_institution(*, institution: Institution, pk: int) -> Right | None:
    return Right.objects.filter(institution=institution, pk=pk).select_related("user").first()


def right_history(*, right: Right) -> QuerySet[RightEvent]:
    return RightEvent.objects.filter(right=right).select_related("by").order_by("at", "pk")
