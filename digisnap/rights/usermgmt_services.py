"""Writes for the user manager: the staff list (CSV upload, teachers who joined) and granting
«Digisnap Beheerder» to chosen staff, inviting those without an account."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.accounts.services import user_create_verified
from digisnap.core.mail import mail_queue
from digisnap.rights.models import Right, StaffMember
from digisnap.rights.services import MAX_USERS_PER_GRANT, right_grant
from digisnap.rights.usermgmt_csv import StaffRow
from digisnap.schools.models import Institution, Membership


@transaction.atomic
def staff_import(*, institution: Institution, rows: Sequence[StaffRow]) -> int:
    """Add or update every row (matched on e-mail); the caller has refused a file with errors."""
    existing = {
        member.email.lower(): member
        for member in StaffMember.objects.select_for_update().filter(institution=institution)
    }
    for row in rows:
        member = existing.get(row.email) or StaffMember(institution=institution, email=row.email)
        member.first_name = row.first_name
        member.last_name = row.last_name
        member.category = row.category
        member.employed_from = row.employed_from
        member.employed_until = row.employed_until
        member.user = member.user or User.objects.filter(email__iexact=row.email).first()
        member.full_clean(validate_constraints=False)
        member.save()
    return len(rows)


@transaction.atomic
def staff_add_teachers(*, institution: Institution) -> int:
    """Put every teacher who joined one of the institution's digisnaps on its staff list."""
    known = {
        email.lower()
        for email in StaffMember.objects.filter(institution=institution).values_list(
            "email", flat=True
        )
    }
    teachers = (
        User.objects.filter(
            memberships__digisnap__institution=institution,
            memberships__role=Membership.Role.TEACHER,
        )
        .distinct()
        .order_by("pk")
    )
    added = [
        StaffMember(
            institution=institution,
            user=teacher,
            first_name=teacher.first_name or teacher.email.split("@")[0],
            last_name=teacher.last_name or "-",
            email=teacher.email.lower(),
            category=StaffMember.Category.TEACHER,
        )
        for teacher in teachers
        if teacher.email.lower() not in known
    ]
    StaffMember.objects.bulk_create(added, ignore_conflicts=True)
    return len(added)


def _account_for(member: StaffMember, *, invited_by: User) -> User:
    """The member's account, or a new one without a password and an invitation to choose it."""
    if member.user_id:
        return member.user
    user = User.objects.filter(email__iexact=member.email).first()
    if user is None:
        user = user_create_verified(
            email=member.email,
            password=None,
            first_name=member.first_name,
            last_name=member.last_name,
        )
        mail_queue(
            to=user.email,
            template="rights/usermgmt/email/invitation",
            context={
                "first_name": member.first_name,
                "institution": str(member.institution),
                "user_pk": user.pk,
                "sign_in_url": settings.SITE_URL + reverse("account_login"),
            },
            language=_language(),
            started_by=invited_by,
        )
    member.user = user
    member.save(update_fields=["user", "modified_at"])
    return user


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def staff_right_grant(
    *,
    institution: Institution,
    staff: Sequence[StaffMember],
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    granted_by: User,
    kind: str = Right.Kind.DIGISNAP_BEHEERDER,
) -> list[Right]:
    """Grant the right to 1–25 people of the institution's staff list, making accounts first."""
    if any(member.institution_id != institution.pk for member in staff):
        raise ValidationError(_("Choose people of your own institution."))
    if len(staff) > MAX_USERS_PER_GRANT:
        raise ValidationError(
            _("Choose at most %(count)d people.") % {"count": MAX_USERS_PER_GRANT}
        )
    users = [_account_for(member, invited_by=granted_by) for member in staff]
    return right_grant(
        users=users,
        institution=institution,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        granted_by=granted_by,
        kind=kind,
    )
