"""Writes for accounts: creating a person who can sign in with a verified e-mail address."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from digisnap.accounts.models import User


@transaction.atomic
def user_create_verified(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """A user whose address counts as verified (accounts made by staff, the demo and tests).

    Without a password the account cannot sign in with one.
    """
    user = User.objects.create_user(
        email,
        password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
