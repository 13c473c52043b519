"""Whether the menu and the teacher's home show the way to the director's home.

The answer is kept in the session with the date it was found on, so the pages cost no query for
it: it is found at sign-in, again on the first page of a new day (rights end at midnight), and
set by the director's home itself (where a freshly registered director lands). Access is never
decided here: every director page checks the right on each request.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from digisnap.reports.selectors import administers_any
from digisnap.rights.access import today

SESSION_KEY = "digisnap_administers"


def menu_flag_set(request, value: bool) -> None:
    """Remember the answer for today; the session is only written when it changes."""
    entry = [today().isoformat(), bool(value)]
    if request.session.get(SESSION_KEY) != entry:
        request.session[SESSION_KEY] = entry


def menu_flag(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return False
    entry = request.session.get(SESSION_KEY)
    if isinstance(entry, list) and len(entry) == 2 and entry[0] == today().isoformat():
        return bool(entry[1])
    value = administers_any(user)
    menu_flag_set(request, value)
    return value


@receiver(user_logged_in, dispatch_uid="reports_menu_flag_at_sign_in")
def _found_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        menu_flag_set(request, administers_any(user))
