"""`{% administers_digisnaps as flag %}`: whether the signed-in user administers a digisnap
today, for the menu and the teacher's home page; asked once per request (one query)."""

from django import template

from digisnap.reports.selectors import administers_any

register = template.Library()

CACHE_ATTRIBUTE = "_digisnap_administers_any"


@register.simple_tag(takes_context=True)
def administers_digisnaps(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(request, CACHE_ATTRIBUTE):
        setattr(request, CACHE_ATTRIBUTE, administers_any(user))
    return getattr(request, CACHE_ATTRIBUTE)
