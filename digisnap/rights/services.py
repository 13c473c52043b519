"""Writes for rights: grant (to 1–25 users at once), change the end date, end early — each logged
in the append-only RightEvent and (for a grant) e-mailed to the recipient."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.core.mail import mail_queue
from digisnap.rights.access import BRUSSELS, has_valid_right
from digisnap.rights.acmidm import ParsedRole
from digisnap.rights.models import Right, RightEvent
from digisnap.schools.models import Digisnap, Institution, InstitutionManager, Membership
from digisnap.schools.services import institution_create, membership_join

MAX_USERS_PER_GRANT = 25


def _mail_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _date(day: datetime.date, language: str) -> str:
    """A date as the recipient reads it («1 maart 2026»); the mail context must be JSON."""
    with translation.override(language):
        return formats.date_format(day)


def _check_dates(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on is None or ends_on is None:
        raise ValidationError(_("A right needs a start date and an end date."))
    if ends_on < starts_on:
        raise ValidationError(_("The end date cannot be before the start date."))


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    return reason


def _log(*, right: Right, action: str, by: User | None, reason: str) -> RightEvent:
    return RightEvent.objects.create(
        right=right,
        action=action,
        by=by,
        reason=reason,
        starts_on=right.starts_on,
        ends_on=right.ends_on,
    )


@transaction.atomic
def right_grant(
    *,
    users: Sequence[User],
    institution: Institution,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    granted_by: User | None,
    kind: str = Right.Kind.DIGISNAP_BEHEERDER,
    source: str = Right.Source.LOCAL,
) -> list[Right]:
    """Give each user the right on the institution between the two dates (both included)."""
    users = list(dict.fromkeys(users))
    if not users:
        raise ValidationError(_("Choose at least one user."))
    if len(users) > MAX_USERS_PER_GRANT:
        raise ValidationError(
            _("Grant a right to at most %(count)d users at once.") % {"count": MAX_USERS_PER_GRANT}
        )
    if institution is None:
        raise ValidationError(_("Choose an institution."))
    _check_dates(starts_on, ends_on)
    reason = _check_reason(reason)
    registration_url = settings.SITE_URL + reverse("rights:director_register")
    language = _mail_language()
    rights = []
    for user in users:
        right = Right(
            user=user,
            institution=institution,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            granted_by=granted_by,
            source=source,
        )
        right.full_clean()
        right.save()
        _log(right=right, action=RightEvent.Action.GRANTED, by=granted_by, reason=reason)
        mail_queue(
            to=user.email,
            template="rights/email/right_granted",
            context={
                "first_name": user.first_name or user.email,
                "kind": right.get_kind_display(),
                "institution": str(institution),
                "starts_on": _date(starts_on, language),
                "ends_on": _date(ends_on, language),
                "reason": reason,
                "registration_url": registration_url,
            },
            language=language,
            started_by=granted_by,
        )
        rights.append(right)
    return rights


@transaction.atomic
def right_change(*, right: Right, ends_on: datetime.date, reason: str, changed_by: User) -> Right:
    """Move the end date of a right (earlier or later); logged with the reason."""
    right = Right.objects.select_for_update().get(pk=right.pk)
    if right.ended_at is not None:
        raise ValidationError(_("This right was ended; grant a new one instead."))
    _check_dates(right.starts_on, ends_on)
    reason = _check_reason(reason)
    right.ends_on = ends_on
    right.save(update_fields=["ends_on"])
    _log(right=right, action=RightEvent.Action.CHANGED, by=changed_by, reason=reason)
    return right


@transaction.atomic
def right_end(*, right: Right, reason: str, ended_by: User | None) -> Right:
    """End a right at once (not at midnight); ending it twice is harmless."""
    right = Right.objects.select_for_update().get(pk=right.pk)
    if right.ended_at is not None:
        return right
    reason = _check_reason(reason)
    right.ended_at = timezone.now()
    right.save(update_fields=["ended_at"])
    _log(right=right, action=RightEvent.Action.ENDED, by=ended_by, reason=reason)
    return right


# Directors register on a digisnap of an institution they hold a valid right for.


class NoValidRight(Exception):
    """The user holds no valid right for the digisnap's institution today; nothing changed."""


@transaction.atomic
def director_register(
    *, user: User, digisnap: Digisnap, first_name: str, last_name: str, on: datetime.date
) -> Membership:
    """Register the user as director of the digisnap (a DIRECTOR membership, at once); only with
    a right valid on `on`. Registering twice is harmless."""
    if not has_valid_right(user, digisnap.institution, on=on):
        raise NoValidRight
    first_name, last_name = first_name.strip(), last_name.strip()
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.full_clean(validate_unique=False)
        user.save(update_fields=["first_name", "last_name"])
    return membership_join(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)


@transaction.atomic
def institution_manager_add(*, user: User, institution: Institution) -> InstitutionManager:
    """A platform admin names a user manager for an institution; naming twice is harmless."""
    manager, _created = InstitutionManager.objects.get_or_create(user=user, institution=institution)
    return manager


@transaction.atomic
def institution_manager_remove(*, manager: InstitutionManager) -> None:
    InstitutionManager.objects.filter(pk=manager.pk).delete()


# Rights from ACM/IDM: synced from the role claim at every sign-in through the government.

ACMIDM_ENDS_ON = datetime.date(9999, 12, 31)


def _institution_for_acmidm(*, orgcode: str, org_names: Mapping[str, str]) -> Institution:
    """The institution with this instellingsnummer; created when ACM/IDM names one we lack."""
    institution = Institution.objects.filter(number=orgcode).first()
    if institution is not None:
        return institution
    name = (org_names.get(orgcode) or "").strip()[:200] or f"Instelling {orgcode}"
    try:
        return institution_create(number=orgcode, name=name)
    except (IntegrityError, ValidationError):
        # Another sign-in created it a moment ago.
        return Institution.objects.get(number=orgcode)


@transaction.atomic
def rights_sync_acmidm(
    *,
    user: User,
    roles: Sequence[ParsedRole],
    org_names: Mapping[str, str],
    now: datetime.datetime,
) -> list[Right]:
    """Make the user's ACM/IDM rights what ACM/IDM sends now: add the new ones, keep (and mark
    synced) the ones sent again, end the ones no longer sent. Local rights are never touched.

    Returns the user's ACM/IDM rights in force after the sync."""
    # One sync per person at a time: two sign-ins in the same second (two tabs, a double click
    # on the provider's page) would otherwise both see no right and both add it.
    User.objects.select_for_update().filter(pk=user.pk).first()
    on = now.astimezone(BRUSSELS).date()
    current = {
        right.institution.number: right
        for right in Right.objects.select_for_update()
        .select_related("institution")
        .filter(
            user=user,
            source=Right.Source.ACMIDM,
            kind=Right.Kind.DIGISNAP_BEHEERDER,
            ended_at__isnull=True,
            ends_on__gte=on,
        )
        .order_by("pk")
    }
    sent: dict[str, list[ParsedRole]] = {}
    for role in roles:
        sent.setdefault(role.orgcode, []).append(role)
    kept = []
    for orgcode, roles_for_org in sent.items():
        right = current.pop(orgcode, None)
        if right is None:
            reason = "ACM/IDM: " + ", ".join(
                f"{role.right}{'-' + role.context if role.context else ''}:{role.orgcode}"
                for role in roles_for_org
            )
            right = Right(
                user=user,
                institution=_institution_for_acmidm(orgcode=orgcode, org_names=org_names),
                kind=Right.Kind.DIGISNAP_BEHEERDER,
                starts_on=on,
                ends_on=ACMIDM_ENDS_ON,
                reason=reason,
                source=Right.Source.ACMIDM,
            )
            right.full_clean()
            right.save()
            _log(right=right, action=RightEvent.Action.GRANTED, by=None, reason=reason)
        right.synced_at = now
        right.save(update_fields=["synced_at"])
        kept.append(right)
    for right in current.values():
        right_end(right=right, reason=_("No longer sent by ACM/IDM."), ended_by=None)
        Right.objects.filter(pk=right.pk).update(synced_at=now)
    return kept
