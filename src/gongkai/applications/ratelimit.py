"""A rate limit per client IP, counted in the Django cache.

Each counter's window starts at its first counted request (not at a clock boundary, where a
burst could straddle two windows and a test could land on either side).

Limits are settings from the environment: ``GONGKAI_APPLY_RATE_LIMIT`` submissions of the
public form or API per ``GONGKAI_RATE_WINDOW`` seconds (default 10 per 600 s), and
``GONGKAI_STATUS_RATE_LIMIT`` status look-ups per window (default 60). The client is
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

__all__ = ["Limit", "RateLimited", "client_ip", "count_hit", "hit", "limit_for", "seconds_left"]


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


def limit_for(scope: str) -> Limit:
    window = int(getattr(settings, "GONGKAI_RATE_WINDOW", 600))
    if scope == "status":
        return Limit(scope, int(getattr(settings, "GONGKAI_STATUS_RATE_LIMIT", 60)), window)
    return Limit(scope, int(getattr(settings, "GONGKAI_APPLY_RATE_LIMIT", 10)), window)


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


def hit(request, scope: str) -> None:
    """Count one request of ``scope`` from the client; raise RateLimited beyond the limit."""
    limit = limit_for(scope)
    key = f"ratelimit:{scope}:{client_ip(request)}"
    if count_hit(key, limit.window) > limit.count:
        raise RateLimited(seconds_left(key, limit.window))
