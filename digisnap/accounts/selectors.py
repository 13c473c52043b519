"""Reads for accounts: links a person needs to get into their account."""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from digisnap.accounts.models import User


def password_set_url(user: User) -> str:
    """allauth's own password-reset link (its token generator), so an invited person chooses a
    password through the usual page; the token dies once a password is set."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.SITE_URL + path.replace("UID-KEY", quote(key))
