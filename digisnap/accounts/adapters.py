"""Our allauth adapters: e-mails branded as Digisnap (HTML and text, the reader's language), a
sign-in limit that says how long to wait, sign-out that also ends the ACM/IDM session, and which
existing account a government sign-in may use."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language, ngettext

from digisnap.accounts.acmidm.claims import ID_TOKEN_SESSION_KEY
from digisnap.accounts.acmidm.logout import end_session_url

LOGIN_FAILED = "login_failed"
TOO_MANY = "too_many_login_attempts"


@dataclass(frozen=True)
class BrandedSite:
    """What allauth's templates call `current_site`: our name, never the host a request used
    (without django.contrib.sites allauth would name the host, e.g. «127.0.0.1:8000»)."""

    name: str
    domain: str


def branded_site() -> BrandedSite:
    return BrandedSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Home; after an ACM/IDM sign-in first the provider's logout, which sends the browser
        home. Asked before the session ends, so the ID token is still there."""
        home = super().get_logout_redirect_url(request)
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        if not request.user.is_authenticated or not isinstance(id_token, str):
            return home
        url = end_session_url(
            request, id_token=id_token, return_to=request.build_absolute_uri(home)
        )
        return url or home

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's text e-mail in our frame, plus an HTML part in `mail/base.html` made from
        the same text, so every account e-mail reads the same in both parts."""
        context = {**context, "current_site": branded_site(), "site_name": settings.SITE_NAME}
        # Rendered in the language of the page the person used, which is theirs.
        headers = {**(headers or {}), "Content-Language": get_language()}
        message = super().render_mail(template_prefix, email, context, headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            content = render_to_string(
                f"{template_prefix}_message.txt", {**context, "bare": True}, self.request
            ).strip()
            html = render_to_string(
                "account/email/message.html",
                {"subject": message.subject, "content": content},
                self.request,
            )
            message.attach_alternative(html, "text/html")
        return message

    def pre_authenticate(self, request, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            if getattr(error, "code", None) != TOO_MANY:
                raise
            key = self._get_login_attempts_cache_key(request, **credentials)
            raise self._too_many(login_wait_seconds(request, key=key)) from error

    def validation_error(self, code: str, *args: Any) -> forms.ValidationError:
        if code == TOO_MANY:
            return self._too_many(longest_window_seconds())
        return super().validation_error(code, *args)

    @staticmethod
    def _too_many(seconds: float) -> forms.ValidationError:
        minutes = wait_minutes(seconds)
        return forms.ValidationError(
            ngettext(
                "Too many failed attempts to sign in. Wait %(minutes)d minute and try again.",
                "Too many failed attempts to sign in. Wait %(minutes)d minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            code=TOO_MANY,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def authenticate_by_email(self, sociallogin):
        """An existing account is used only when ITS address is verified too.

        allauth would also take an account whose owner never verified the address (and wipe
        its password); someone could have registered a director's address in advance, so such
        an account is left alone and the person is asked for an address of their own."""
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(
                sociallogin, address.email
            ):
                continue
            match = (
                EmailAddress.objects.filter(email__iexact=address.email, verified=True)
                .select_related("user")
                .first()
            )
            if match is not None and match.user.is_active:
                return match.user, address.email
        return None


# allauth's page → the limit its rate_limit decorator counts (for the 429 page).
ACTION_OF_PAGE = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_email": "manage_email",
}


def rate_limit_wait_seconds(request, *, action: str, key: str | None = None) -> float:
    """How long until `action` is allowed again: for each exhausted limit, until its oldest
    counted attempt leaves the window (allauth keeps the attempts newest first). When no
    exhausted limit can be read, the longest window, so the advice always holds."""
    now = time.time()
    rates = get_rates(app="allauth.account", action=action)
    waits = [0.0]
    for rate in rates:
        if (rate.per == "key" and key is None) or (
            rate.per == "user" and not request.user.is_authenticated
        ):
            continue
        cache_key = get_cache_key(request, app="allauth.account", action=action, rate=rate, key=key)
        recent = [hit for hit in cache.get(cache_key, []) if hit > now - rate.duration]
        if len(recent) >= rate.amount:
            waits.append(recent[-1] + rate.duration - now)
    return max(waits) or max((rate.duration for rate in rates), default=300)


def login_wait_seconds(request, *, key: str) -> float:
    return rate_limit_wait_seconds(request, action=LOGIN_FAILED, key=key)


def longest_window_seconds() -> float:
    """When the limit that tripped is not known: the longest window, so the advice holds."""
    rates = get_rates(app="allauth.account", action=LOGIN_FAILED)
    return max((rate.duration for rate in rates), default=300)


def wait_minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))
