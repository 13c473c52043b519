"""ACM/IDM (the Flemish government's sign-in) through allauth's generic OpenID Connect provider,
with the claims of DESIGN.md §6 mapped onto our users and a nonce bound to allauth's state.

Configured in settings (SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"])."""

from __future__ import annotations

import logging

import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)

from digisnap.accounts.acmidm.claims import claims_of, email_from_claims, nonce_for_state
from digisnap.accounts.acmidm.views import AcmIdmOAuth2Adapter

logger = logging.getLogger(__name__)


class AcmIdmAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        claims = claims_of(self.account.extra_data)
        name = " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))
        return name or super().to_str()


class AcmIdmProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider; the URLs come from this package (see urls.py)."""

    package = "digisnap.accounts.acmidm"
    account_class = AcmIdmAccount
    oauth2_adapter_class = AcmIdmOAuth2Adapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        state_id = get_adapter().generate_state_param({})
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        # Our nonce last, so a nonce smuggled in through ?auth_params= cannot replace it.
        auth_params = {**auth_params, "nonce": nonce_for_state(state_id)}
        try:
            return super().redirect(
                request,
                process,
                next_url,
                data,
                auth_params=auth_params,
                state_id=state_id,
                **kwargs,
            )
        except requests.RequestException as exc:
            # The provider's discovery document could not be fetched: say so, never a 500.
            logger.warning("ACM/IDM discovery failed at sign-in: %s", exc)
            return render_authentication_error(request, self, exception=exc)

    def extract_uid(self, data) -> str:
        return str(claims_of(data)["sub"])

    def extract_common_fields(self, data) -> dict:
        claims = claims_of(data)

        def text(name: str) -> str:
            value = claims.get(name)
            return value.strip()[:150] if isinstance(value, str) else ""

        return {
            "email": email_from_claims(claims),
            "first_name": text("given_name"),
            "last_name": text("family_name"),
        }

    def extract_email_addresses(self, data) -> list[EmailAddress]:
        # The government verified the address it gives; our own signup step asks and verifies
        # when it gives none.
        email = email_from_claims(claims_of(data))
        if not email:
            return []
        return [EmailAddress(email=email, verified=True, primary=True)]


provider_classes = [AcmIdmProvider]
