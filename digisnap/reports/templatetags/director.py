"""`{% administers_digisnaps as flag %}`: whether the signed-in user administers a digisnap
today, for the menu and the teacher's home page; kept in the session (reports.menu)."""

from django import template

from digisnap.reports.menu import menu_flag

register = template.Library()


@register.simple_tag(takes_context=True)
def administers_digisnaps(context) -> bool:
    request = context.get("request")
    return False if request is None else menu_flag(request)
