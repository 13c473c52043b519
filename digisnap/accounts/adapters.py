"""allauth adapters: which existing account a government sign-in may use, and sign-out that
also ends the ACM/IDM session."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from digisnap.accounts.acmidm.claims import ID_TOKEN_SESSION_KEY
from digisnap.accounts.acmidm.logout import end_session_url


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
