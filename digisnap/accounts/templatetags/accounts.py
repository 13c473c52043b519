"""Template tags about accounts: links in e-mails (made when the worker sends them) and the\nwaiting time on the page that says a limit was reached."""

from django import template

from digisnap.accounts.adapters import ACTION_OF_PAGE, rate_limit_wait_seconds, wait_minutes
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


@register.simple_tag(takes_context=True)
def rate_limit_wait(context) -> int:
    """Whole minutes until the limit of the page the person was refused on is lifted."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    action = ACTION_OF_PAGE.get(match.url_name if match else "", "login")
    return wait_minutes(rate_limit_wait_seconds(request, action=action))
