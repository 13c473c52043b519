"""The claims of an ACM/IDM sign-in (DESIGN.md §6) as Digisnap reads them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac

# The raw ID token of the current sign-in, for RP-initiated logout (id_token_hint).
ID_TOKEN_SESSION_KEY = "acmidm_id_token"  # noqa: S105 (a session key, not a secret)


def claims_of(extra_data: dict) -> dict:
    """The claims of a sign-in: the userinfo answer, else the ID token (as allauth picks them)."""
    if not isinstance(extra_data, dict):
        return {}
    for key in ("userinfo", "id_token"):
        if isinstance(extra_data.get(key), dict) and extra_data[key]:
            return extra_data[key]
    return {}


def email_from_claims(claims: dict) -> str | None:
    """`vo_email`, else `email`, without the `:<orgcode>` ACM/IDM may add; None if not an address."""
    for key in ("vo_email", "email"):
        value = claims.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        address, colon, suffix = value.strip().rpartition(":")
        if colon and suffix.isascii() and suffix.isdigit():
            value = address
        try:
            validate_email(value.strip())
        except ValidationError:
            continue
        return value.strip()
    return None


def nonce_for_state(state_id: str) -> str:
    """The nonce sent with an authorization request, derived from allauth's state id (which
    allauth ties to the browser's session), so it needs no storage of its own."""
    return salted_hmac("digisnap.acmidm.nonce", state_id, algorithm="sha256").hexdigest()
