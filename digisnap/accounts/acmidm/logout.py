"""RP-initiated logout: the address that ends the ACM/IDM session too, when the provider's
discovery document offers an `end_session_endpoint`."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import HttpRequest

from digisnap.accounts.acmidm.views import AcmIdmOAuth2Adapter

logger = logging.getLogger(__name__)


def end_session_url(request: HttpRequest, *, id_token: str, return_to: str) -> str | None:
    """The provider's logout address with id_token_hint and post_logout_redirect_uri; None
    when ACM/IDM is not configured, offers no such endpoint or cannot be reached."""
    provider_id = settings.ACMIDM_PROVIDER_ID
    try:
        provider = get_adapter().get_provider(request, provider_id)
        endpoint = AcmIdmOAuth2Adapter(request, provider_id).openid_config.get(
            "end_session_endpoint"
        )
    except SocialApp.DoesNotExist:
        return None
    except (requests.RequestException, ValueError) as exc:
        logger.warning("ACM/IDM discovery failed at sign-out: %s", exc)
        return None
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": return_to,
            "client_id": provider.app.client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
