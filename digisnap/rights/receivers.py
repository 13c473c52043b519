"""Rights follow ACM/IDM: at every sign-in through the government the role claim is synced into
Right(source=ACMIDM). Hooked here, not in accounts, because accounts may not import rights."""

from __future__ import annotations

import logging

from allauth.account.signals import user_logged_in
from django.conf import settings
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from digisnap.accounts.acmidm.claims import claims_of
from digisnap.rights.acmidm import orgcode_normalise, roles_parse
from digisnap.rights.services import rights_sync_acmidm

logger = logging.getLogger(__name__)


def _org_names(claims: dict) -> dict[str, str]:
    orgcode, name = claims.get("vo_orgcode"), claims.get("vo_orgnaam")
    if not isinstance(orgcode, str | int) or not isinstance(name, str):
        return {}
    number = orgcode_normalise(str(orgcode))
    return {number: name} if number else {}


@receiver(user_logged_in, dispatch_uid="rights.acmidm_rights_sync")
def acmidm_rights_sync(sender, request, user, response=None, sociallogin=None, **kwargs):
    if sociallogin is None or sociallogin.account.provider != settings.ACMIDM_PROVIDER_ID:
        return
    claims = claims_of(sociallogin.account.extra_data)
    roles = roles_parse(
        claims.get(settings.ACMIDM_ROLE_CLAIM),
        right_name=settings.ACMIDM_RIGHT_NAME,
        contexts=settings.ACMIDM_ROLE_CONTEXTS or None,
    )
    rights = rights_sync_acmidm(
        user=user, roles=roles, org_names=_org_names(claims), now=timezone.now()
    )
    logger.info("ACM/IDM rights synced for user %s: %d in force", user.pk, len(rights))
    # A director who signed in without asking for a page lands on the director's home.
    if (
        rights
        and response is not None
        and response.get("Location") == resolve_url(settings.LOGIN_REDIRECT_URL)
    ):
        response["Location"] = reverse("reports:home")
