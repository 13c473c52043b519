"""allauth's OpenID Connect login and callback, with the checks ACM/IDM needs before anybody is
signed in or created: the nonce of the ID token, and the target group (education only)."""

from __future__ import annotations

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import get_request_param
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.crypto import constant_time_compare

from digisnap.accounts.acmidm.claims import ID_TOKEN_SESSION_KEY, claims_of, nonce_for_state

logger = logging.getLogger(__name__)


class AcmIdmOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("ACM/IDM sent no ID token")
        try:
            login = super().complete_login(request, app, token, **kwargs)
        except (KeyError, TypeError, ValueError) as exc:  # no usable `sub`
            raise OAuth2Error(f"ACM/IDM sent no usable subject: {exc!r}") from exc
        # allauth checked `state` against this session before the token was fetched.
        expected = nonce_for_state(get_request_param(request, "state") or "")
        received = login.account.extra_data.get("id_token", {}).get("nonce")
        if not isinstance(received, str) or not constant_time_compare(received, expected):
            logger.warning("ACM/IDM sign-in refused: the ID token's nonce does not match")
            raise OAuth2Error("The ID token's nonce does not match this sign-in")
        group = claims_of(login.account.extra_data).get("vo_doelgroepcode")
        if group not in settings.ACMIDM_TARGET_GROUPS:
            logger.info("ACM/IDM sign-in refused: target group %r", group)
            raise ImmediateHttpResponse(
                render(request, "accounts/acmidm_refused.html", {"group": group}, status=403)
            )
        request.session[ID_TOKEN_SESSION_KEY] = id_token
        return login


@login_not_required
def login(request, provider_id):
    try:
        view = OAuth2LoginView.adapter_view(AcmIdmOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def callback(request, provider_id):
    try:
        view = OAuth2CallbackView.adapter_view(AcmIdmOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
