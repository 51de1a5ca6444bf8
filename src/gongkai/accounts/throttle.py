"""Slow down password guessing on the staff login and the back-office login.

Staff accounts open citizens' ID numbers, so a password may not be tried without end. Failed
logins are counted in the cache per client address and per user name, in windows of
``GONGKAI_RATE_WINDOW`` seconds from the first failure; beyond ``GONGKAI_LOGIN_RATE_LIMIT`` failures from one address
(or twice as many for one user name, from anywhere) :class:`LoginThrottleBackend` refuses
every further attempt — the right password too — until the window ends. It is first in
``AUTHENTICATION_BACKENDS``, so it covers every page that calls ``authenticate()``.

The client address is REMOTE_ADDR, an IPv6 client's /64 (behind a proxy, ``gongkai serve`` with
GONGKAI_TRUSTED_PROXY sets it from X-Forwarded-For; see gongkai.intake.ratelimit).
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from gongkai.intake.ratelimit import client_ip, count_hit, seconds_left

__all__ = ["LoginThrottleBackend", "ThrottledAuthenticationForm", "failures", "record_failure"]

TOO_MANY = (
    "登录失败次数过多，请 {minutes} 分钟后再试 / too many failed logins; try again in {minutes} min"
)


def _window() -> int:
    return int(getattr(settings, "GONGKAI_RATE_WINDOW", 600))


def _keys(request, username: str) -> list[tuple[str, int]]:
    """The counters one attempt touches, each with its limit."""
    limit = int(getattr(settings, "GONGKAI_LOGIN_RATE_LIMIT", 10))
    # Hashed: a user name may hold characters a cache key must not (memcached: spaces).
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    keys = [(f"login-fail:user:{name}", 2 * limit)]
    if request is not None:
        keys.append((f"login-fail:ip:{client_ip(request)}", limit))  # an IPv6 client is its /64
    return keys


def _used_up(request, username: str) -> list[str]:
    return [key for key, limit in _keys(request, username) if (cache.get(key) or 0) >= limit]


def _minutes_left(keys: list[str]) -> int:
    seconds = max(seconds_left(key, _window()) for key in keys)
    return max(1, (seconds + 59) // 60)


def failures(request, username: str) -> bool:
    """Return whether the address or the user name has used up its failed attempts."""
    return bool(_used_up(request, username))


def record_failure(request, username: str) -> None:
    """Count one failed login for the address and the user name."""
    for key, _limit in _keys(request, username):
        count_hit(key, _window())


class LoginThrottleBackend(ModelBackend):
    """Django's ModelBackend, refusing every attempt while too many logins failed.

    A subclass rather than a gatekeeper returning None, because Django's test client and
    ``login()`` without a backend use the first backend listed to find the user again.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is not None and (used_up := _used_up(request, username)):
            raise PermissionDenied(TOO_MANY.format(minutes=_minutes_left(used_up)))
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    record_failure(request, credentials.get("username") or "")


class ThrottledAuthenticationForm(AuthenticationForm):
    """The staff login form: says plainly when logins are refused for a while."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and (used_up := _used_up(self.request, username)):
            raise forms.ValidationError(
                TOO_MANY.format(minutes=_minutes_left(used_up)), code="too_many_failures"
            )
        return super().clean()
