"""Guessing limits that follow the guesser, so a school sharing one address is never locked out.

Why: a school's teachers share one public address (NAT). A limit per address alone either
lets one guesser lock out the whole school, or is so high that it stops nobody. So wrong guesses
are counted per *guesser* — the session and, once signed in, the account — and per *address*,
in fixed windows in the shared cache (the database or Redis, never one process's memory).

The decision for one attempt (`guess_verdict`):

- `LIMITED`: the session or the account has used up its own budget (`per_guesser` wrong guesses
  per window). Refused without looking the code up.
- `OPEN`: the code is looked up and the truth is told; a wrong guess counts for the session,
  the account and the address.
- When the address has used up its (larger) budget, somebody there is guessing. Only a guesser
  who has not guessed wrong in this window is then answered: a signed-in account with no wrong
  guesses gets one truthful answer (`OPEN`); after one wrong guess it is `LIMITED`. A visitor
  who is not signed in gets `DEFER`: the code is not looked up and every code, valid or not,
  leads to sign-in / sign-up, after which the account's own answer applies. A teacher with the
  right link therefore always gets in.

The oracle: a client learns whether a code exists only from an `OPEN` answer. A `LIMITED` or
`DEFER` answer is the same for every code. Dropping the session cookie does not help: an
anonymous client is then counted by its address alone, and once the address is used up it is
deferred to sign-up. New accounts from one address each get one truthful answer, so guessing
from one address is bounded by the address budget plus the sign-up limit per address (allauth's
`signup` rate, sized for a school), per window. Beyond that an attacker needs more addresses.

Counts are kept in fixed windows; with the database cache two simultaneous wrong guesses may be
counted once (read-then-write), which lets a guesser slip at most one extra guess per request
it manages to run at the same moment.
"""

from __future__ import annotations

import enum
import ipaddress
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

# Addresses in one IPv6 /64 belong to one household or school, like one IPv4 address.
IPV6_PREFIX = 64


class Verdict(enum.Enum):
    OPEN = "open"
    DEFER = "defer"
    LIMITED = "limited"


@dataclass(frozen=True)
class GuessLimits:
    per_guesser: int
    per_address: int
    window_seconds: int


def client_address(request: HttpRequest) -> str:
    """The client's address (allauth honours ALLAUTH_TRUSTED_PROXY_COUNT), IPv6 by /64."""
    raw = get_adapter(request).get_client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def _window(limits: GuessLimits) -> int:
    return int(time.time() // limits.window_seconds)


def _cache_keys(request: HttpRequest, action: str, window: int) -> list[str]:
    keys = [f"ratelimit:{action}:{window}:ip:{client_address(request)}"]
    if request.user.is_authenticated:
        keys.append(f"ratelimit:{action}:{window}:user:{request.user.pk}")
    return keys


def _session_count(request: HttpRequest, action: str, window: int) -> int:
    # Kept in the session itself, so it survives signing in (Django keeps the data when it
    # cycles the session key) and needs no cache entry per anonymous visitor.
    stored = request.session.get(f"ratelimit:{action}")
    return stored[1] if stored and stored[0] == window else 0


def guess_verdict(request: HttpRequest, *, action: str, limits: GuessLimits) -> Verdict:
    window = _window(limits)
    address_key, *account_key = _cache_keys(request, action, window)
    own = [_session_count(request, action, window)]
    own += [cache.get(key, 0) for key in account_key]
    if max(own) >= limits.per_guesser:
        return Verdict.LIMITED
    if cache.get(address_key, 0) < limits.per_address:
        return Verdict.OPEN
    if not request.user.is_authenticated:
        return Verdict.DEFER
    return Verdict.OPEN if max(own) == 0 else Verdict.LIMITED


def guess_record_wrong(request: HttpRequest, *, action: str, limits: GuessLimits) -> None:
    window = _window(limits)
    request.session[f"ratelimit:{action}"] = [window, _session_count(request, action, window) + 1]
    # Two windows' lifetime: the entry outlives its window wherever in it the first guess fell.
    timeout = 2 * limits.window_seconds
    for key in _cache_keys(request, action, window):
        if not cache.add(key, 1, timeout=timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=timeout)
            else:
                cache.touch(key, timeout)  # the database cache's incr resets the timeout
