"""Redirecting back to where a form came from, only to a path on this site."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str, *args) -> str:
    """The form's `next` when it is a path on this site, else the URL named `fallback`.

    Only a path counts: `redirect("foo")` would try to reverse «foo» as a URL name, and a relative
    «foo» would land on a page nobody meant.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback, *args)


def redirect_back(request: HttpRequest, fallback: str, *args) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next_url(request, fallback, *args))
