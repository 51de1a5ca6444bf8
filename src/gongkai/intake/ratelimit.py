"""A rate limit per client IP, counted in the Django cache.

Each counter's window starts at its first counted request (not at a clock boundary, where a
burst could straddle two windows and a test could land on either side).

Each scope has a limit per ``GONGKAI_RATE_WINDOW`` seconds (default 600), read from a setting:
``GONGKAI_APPLY_RATE_LIMIT`` public submissions (default 10) and ``GONGKAI_STATUS_RATE_LIMIT``
status look-ups (default 60); apps add scopes with :func:`register_scope`. The client is
REMOTE_ADDR (an IPv6 client: its /64): behind a reverse proxy, ``gongkai serve`` with
GONGKAI_TRUSTED_PROXY sets it from X-Forwarded-For, so a forged header from anyone else is
never believed.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

__all__ = [
    "Limit",
    "RateLimited",
    "check",
    "client_ip",
    "count",
    "count_hit",
    "hit",
    "limit_for",
    "register_scope",
    "seconds_left",
]

#: scope -> (setting name, default count per window)
_SCOPES: dict[str, tuple[str, int]] = {
    "apply": ("GONGKAI_APPLY_RATE_LIMIT", 10),
    "status": ("GONGKAI_STATUS_RATE_LIMIT", 60),
}


def register_scope(scope: str, setting: str, default: int) -> None:
    """Give ``scope`` its limit: ``settings.<setting>`` requests per window, else ``default``."""
    _SCOPES[scope] = (setting, default)


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int


class RateLimited(Exception):
    """Too many requests; ``retry_after`` seconds until the window ends."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, (retry_after + 59) // 60)
        self.message_zh = f"提交过于频繁，请 {minutes} 分钟后再试"
        self.message_en = f"too many requests from your address; try again in {minutes} min"
        super().__init__(f"{self.message_zh} / {self.message_en}")


#: A scope's submissions refused for their content are limited separately, this much looser
#: (see gongkai.intake.public): ``"apply-refused"`` allows ten times ``"apply"``.
REFUSED_SUFFIX = "-refused"
REFUSED_FACTOR = 10


def limit_for(scope: str) -> Limit:
    """Return the limit of ``scope``; an unknown scope is a programming error (KeyError)."""
    window = int(getattr(settings, "GONGKAI_RATE_WINDOW", 600))
    if scope.endswith(REFUSED_SUFFIX):
        base = limit_for(scope.removesuffix(REFUSED_SUFFIX))
        return Limit(scope, base.count * REFUSED_FACTOR, window)
    setting, default = _SCOPES[scope]
    return Limit(scope, int(getattr(settings, setting, default)), window)


def client_ip(request) -> str:
    """The client's address (REMOTE_ADDR; see the module docstring for proxies).

    An IPv6 client is its /64 network: one household or phone is given a whole /64 and can
    pick a new address for every request.
    """
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def count_hit(key: str, window: int) -> int:
    """Count one hit on ``key`` and return the count within its window.

    The window opens at the first hit and lasts ``window`` seconds; :func:`seconds_left` says
    how much of it remains.
    """
    cache.add(f"{key}:start", int(time.time()), timeout=window)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=window)
        return 1


def seconds_left(key: str, window: int) -> int:
    """Seconds until the window of ``key`` (see :func:`count_hit`) ends; at least 1."""
    now = int(time.time())
    start = cache.get(f"{key}:start", now)
    return max(1, start + window - now)


def _key(request, scope: str) -> str:
    return f"ratelimit:{scope}:{client_ip(request)}"


def hit(request, scope: str, *, times: int = 1) -> None:
    """Count one request of ``scope`` from the client; raise RateLimited beyond the limit.

    ``times`` multiplies the limit (a looser limit sharing the scope's settings).
    """
    limit = limit_for(scope)
    key = _key(request, scope)
    if count_hit(key, limit.window) > limit.count * times:
        raise RateLimited(seconds_left(key, limit.window))


def check(request, scope: str) -> None:
    """Raise RateLimited if the client has used up ``scope``'s limit; count nothing."""
    limit = limit_for(scope)
    key = _key(request, scope)
    if (cache.get(key) or 0) >= limit.count:
        raise RateLimited(seconds_left(key, limit.window))


def count(request, scope: str) -> None:
    """Count one request of ``scope`` from the client (the limit is enforced by :func:`check`)."""
    count_hit(_key(request, scope), limit_for(scope).window)
