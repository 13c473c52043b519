"""Template tags for e-mails about accounts, rendered by the worker when the e-mail is sent."""

from django import template

from digisnap.accounts.models import User
from digisnap.accounts.selectors import password_set_url

register = template.Library()


@register.simple_tag
def password_set_link(user_pk: int | None) -> str:
    """The link to choose a password, made at sending time so no live token is ever stored;
    empty when the person already has a password (or no longer exists)."""
    user = User.objects.filter(pk=user_pk).first() if user_pk else None
    if user is None or user.has_usable_password():
        return ""
    return password_set_url(user)
