"""Writes for schools: communities, institutions, digisnaps with a fresh code, joining one, and
access requests (submit, approve in one atomic step, reject, send the codes again)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.accounts.services import user_create_verified
from digisnap.core.jobs import job_retry
from digisnap.core.mail import mail_queue
from digisnap.schools.codes import generate_code, normalize_code
from digisnap.schools.models import (
    AccessRequest,
    AccessRequestEvent,
    Digisnap,
    Institution,
    InstitutionManager,
    Membership,
    SchoolCommunity,
)

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


# Access requests: a school asks, a platform admin decides, the codes go out by e-mail.


class AccessRequestAlreadyDecided(Exception):
    """Another admin decided this request first; nothing was changed."""


@transaction.atomic
def access_request_submit(
    *,
    institution_number: str,
    school_name: str,
    community: SchoolCommunity | None,
    community_name: str,
    education_level: str,
    first_name: str,
    last_name: str,
    function: str,
    email: str,
    language: str,
    lists: list[str],
) -> AccessRequest:
    """Store the request, log it and send the requester the private link to its status."""
    access_request = AccessRequest(
        institution_number=institution_number.zfill(6),
        school_name=school_name,
        community=community,
        community_name="" if community else community_name,
        education_level=education_level,
        first_name=first_name,
        last_name=last_name,
        function=function,
        email=email,
        language=language,
        lists=lists,
    )
    access_request.full_clean()
    access_request.save()
    AccessRequestEvent.objects.create(
        access_request=access_request, action=AccessRequestEvent.Action.SUBMITTED
    )
    access_request.confirmation_mail = mail_queue(
        to=access_request.email,
        template="schools/email/access_request_received",
        context=_mail_context(access_request),
        language=access_request.language,
    )
    access_request.save(update_fields=["confirmation_mail"])
    return access_request


def _claim(*, access_request: AccessRequest) -> None:
    """Lock a pending request for this transaction, or raise when it is decided already.

    A conditional UPDATE as the first write: of two admins deciding at once the second waits for
    the first to commit (PostgreSQL's row lock, SQLite's write lock) and then finds it decided.
    """
    locked = AccessRequest.objects.filter(
        pk=access_request.pk, status=AccessRequest.Status.PENDING
    ).update(status=AccessRequest.Status.PENDING)
    if not locked:
        raise AccessRequestAlreadyDecided(access_request.pk)
    access_request.refresh_from_db()


def _decide(*, access_request: AccessRequest, status: str, decided_by: User, reason: str) -> None:
    access_request.status = status
    access_request.decided_by = decided_by
    access_request.decided_at = timezone.now()
    access_request.reason = reason
    access_request.save(
        update_fields=["status", "decided_by", "decided_at", "reason", "institution"]
    )
    AccessRequestEvent.objects.create(
        access_request=access_request, actor=decided_by, action=status, reason=reason
    )


@transaction.atomic
def access_request_reject(
    *, access_request: AccessRequest, decided_by: User, reason: str
) -> AccessRequest:
    """Refuse the request with a reason the requester reads; nothing else is created."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the requester reads it.")})
    _claim(access_request=access_request)
    _decide(
        access_request=access_request,
        status=AccessRequest.Status.REJECTED,
        decided_by=decided_by,
        reason=reason,
    )
    access_request.decision_mail = mail_queue(
        to=access_request.email,
        template="schools/email/access_request_rejected",
        context=_mail_context(access_request),
        language=access_request.language,
        started_by=decided_by,
    )
    access_request.save(update_fields=["decision_mail"])
    return access_request


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, decided_by: User, reason: str = ""
) -> AccessRequest:
    """One atomic step: community, institution, a digisnap per list, the user manager, the codes
    e-mail. Any failure leaves nothing behind; a request already decided changes nothing."""
    _claim(access_request=access_request)
    institution = (
        Institution.objects.select_for_update()
        .filter(number=access_request.institution_number)
        .first()
    )
    if institution is None:
        institution = institution_create(
            number=access_request.institution_number,
            name=access_request.school_name,
            community=_community_for(access_request),
        )
    elif institution.community_id is None:
        institution.community = _community_for(access_request)
        institution.save(update_fields=["community"])
    for name in access_request.digisnap_names():
        # A list the school already has is reused, never doubled.
        if not institution.digisnaps.filter(name__iexact=name).exists():
            digisnap_create(institution=institution, name=name)
    manager = _user_for(access_request)
    InstitutionManager.objects.get_or_create(user=manager, institution=institution)
    access_request.institution = institution
    _decide(
        access_request=access_request,
        status=AccessRequest.Status.APPROVED,
        decided_by=decided_by,
        reason=reason.strip(),
    )
    _codes_mail_queue(access_request=access_request, started_by=decided_by)
    return access_request


@transaction.atomic
def access_request_codes_resend(
    *, access_request: AccessRequest, started_by: User
) -> AccessRequest:
    """Send the codes e-mail again: a failed one is retried, otherwise a fresh one is queued."""
    if access_request.status != AccessRequest.Status.APPROVED:
        raise ValidationError(_("Only an approved request has codes to send."))
    mail = access_request.codes_mail
    if mail is not None and mail.retryable:
        job_retry(job=mail)
    else:
        _codes_mail_queue(access_request=access_request, started_by=started_by)
    AccessRequestEvent.objects.create(
        access_request=access_request,
        actor=started_by,
        action=AccessRequestEvent.Action.CODES_SENT,
    )
    return access_request


@transaction.atomic
def access_request_mail_retry(
    *, access_request: AccessRequest, mail_pk: int, started_by: User
) -> AccessRequest:
    """Send a failed e-mail of the request again (the same message, through job_retry)."""
    mails = {
        m.pk: m
        for m in (
            access_request.confirmation_mail,
            access_request.decision_mail,
            access_request.codes_mail,
        )
        if m is not None
    }
    if mail_pk not in mails:
        raise ValidationError(_("This e-mail does not belong to this request."))
    job_retry(job=mails[mail_pk])
    return access_request


def _community_for(access_request: AccessRequest) -> SchoolCommunity:
    """The community chosen, or the one named (reused when it exists by now)."""
    if access_request.community_id:
        return access_request.community
    name = access_request.community_name
    existing = SchoolCommunity.objects.filter(name__iexact=name).first()
    return existing or community_create(name=name)


def _user_for(access_request: AccessRequest) -> User:
    """The requester's account, found by e-mail, or a new local one without a password yet."""
    existing = User.objects.filter(email__iexact=access_request.email).first()
    if existing is not None:
        return existing
    return user_create_verified(
        email=access_request.email,
        password=None,
        first_name=access_request.first_name,
        last_name=access_request.last_name,
    )


def _mail_context(access_request: AccessRequest) -> dict:
    return {
        "school_name": access_request.school_name,
        "institution_number": access_request.institution_number,
        "first_name": access_request.first_name,
        "contact_name": access_request.contact_name,
        "lists": list(access_request.lists),
        "reason": access_request.reason,
        "status_url": access_request.get_status_url(),
    }


def _codes_mail_queue(*, access_request: AccessRequest, started_by: User) -> None:
    manager = User.objects.get(email__iexact=access_request.email)
    wanted = {name.casefold() for name in access_request.digisnap_names()}
    digisnaps = [
        d
        for d in access_request.institution.digisnaps.order_by("pk")
        if d.name.casefold() in wanted
    ]
    context = _mail_context(access_request) | {
        "digisnaps": [
            {
                "name": d.name,
                "code": d.code,
                "join_url": d.get_join_url(),
                "poster_url": settings.SITE_URL + reverse("schools:poster", args=[d.pk]),
                "qr": f"qr{i}",
            }
            for i, d in enumerate(digisnaps, start=1)
        ],
        # The link to choose a password is made when the e-mail is sent (see the template), so
        # no live reset token is stored with the queued e-mail.
        "manager_pk": manager.pk,
        "sign_in_url": settings.SITE_URL + reverse("account_login"),
    }
    access_request.codes_mail = mail_queue(
        to=access_request.email,
        template="schools/email/access_request_codes",
        context=context,
        language=access_request.language,
        qr_codes={d["qr"]: d["join_url"] for d in context["digisnaps"]},
        started_by=started_by,
    )
    access_request.save(update_fields=["codes_mail"])
