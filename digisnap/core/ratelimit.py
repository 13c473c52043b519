"""A fixed-window counter in the shared cache, for guessing protection (e.g. digisnap codes).

Signed-in people are counted one by one. Anonymous visitors are counted per client address with
a ten times higher limit, because a whole school in a team session shares one address. The
address comes from allauth, which honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

ANONYMOUS_FACTOR = 10


def _key_and_limit(request: HttpRequest, action: str, limit: int) -> tuple[str, int]:
    if request.user.is_authenticated:
        return f"ratelimit:{action}:user:{request.user.pk}", limit
    address = get_adapter(request).get_client_ip(request) or "unknown"
    return f"ratelimit:{action}:ip:{address}", limit * ANONYMOUS_FACTOR


def is_limited(request: HttpRequest, *, action: str, limit: int) -> bool:
    key, effective_limit = _key_and_limit(request, action, limit)
    return (cache.get(key) or 0) >= effective_limit


def record_failure(request: HttpRequest, *, action: str, limit: int, window_seconds: int) -> None:
    key, _limit = _key_and_limit(request, action, limit)
    if not cache.add(key, 1, timeout=window_seconds):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds)
