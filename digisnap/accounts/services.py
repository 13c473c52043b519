"""Writes for accounts: creating a person who can sign in, changing their name, deleting them."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext

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


@transaction.atomic
def user_name_change(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean(validate_unique=False)
    user.save(update_fields=["first_name", "last_name"])
    return user


class AccountDeletionRefused(Exception):
    """The account is kept: deleting it would erase records others rely on."""


def account_deletion_refusal(*, user: User) -> str | None:
    """Why a person cannot delete their own account here, or None when they can.

    A platform admin is removed by another admin. A person who holds a right «Digisnap
    Beheerder» keeps the account while the rights log refers to it: DESIGN §3 requires every grant
    to stay on record, and deleting the account would cascade to the right and its history.
    """
    if user.is_staff or user.is_superuser:
        return gettext("A platform admin account is removed by another platform admin.")
    if user.rights.exists():
        return gettext(
            "You hold or held a right «Digisnap Beheerder», which stays on record. Ask your "
            "school's user manager or the Digisnap team to remove your account."
        )
    return None


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete a person and everything that is theirs.

    The models decide what goes with the account (CASCADE: rounds, answers, results, marks on
    trainings, memberships, user-manager roles) and what stays (SET_NULL: logs of decisions and
    rights the person made for others, jobs they started, staff-list entries of their school).
    Directors' reports are stored aggregates, so they do not change.
    """
    reason = account_deletion_refusal(user=user)
    if reason:
        raise AccountDeletionRefused(reason)
    user.delete()
