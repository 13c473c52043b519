"""Access checks shared by every app's views; each app's own rules live in its access.py.

An app's rule returns the object a user may reach, or raises (a 404 where existence is private,
PermissionDenied where the page is known to exist): e.g. questionnaires.access.response_for_owner.
Rules that depend on a date (the digisnaps a user administers today) follow the same shape:
`thing_for_<role>(user, pk, *, on=date)`.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import cache_control


def staff_required(view):
    """Platform admins only: anonymous visitors sign in first, anybody else is refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def personal(view):
    """A page about one person: no proxy or shared cache may keep it, and the browser must not
    store it, so the next user of a shared school computer cannot page back to it."""
    return cache_control(private=True, no_store=True)(view)
