"""Slow down password guessing on the staff login and the back-office login, without letting
an outsider lock the owner out.

Failed logins are counted in the cache (shared by every process, kept across restarts) in
windows of ``GONGKAI_RATE_WINDOW`` seconds from the first failure. With
``L = GONGKAI_LOGIN_RATE_LIMIT`` (10), an attempt is refused — the right password too — when

1. **this address and this user name** had L failures: one person's typos, or a guesser at one
   account, stop only that pair;
2. **this address** had 5·L failures for any user names: password spraying from one address;
   an office of colleagues behind one NAT address, each with a typo or two, stays far below;
3. **this user name** failed from 2·L different addresses (a guesser spread over many
   addresses) — and the browser is not one the user has logged in with before. A successful
   login leaves a signed cookie (``gongkai_device``, 180 days) naming the user, so the owner's
   own browser still gets in while strangers' are stopped.

An outsider at one address therefore stops only their own guesses; nobody can lock ``admin``
out of the browser ``admin`` uses. docs/security.md describes the design.

:class:`LoginThrottleBackend` is first in ``AUTHENTICATION_BACKENDS``, so it covers every
page that calls ``authenticate()``. The client address is REMOTE_ADDR, an IPv6 client's /64
(behind a proxy, ``gongkai serve`` with GONGKAI_TRUSTED_PROXY sets it from X-Forwarded-For;
see gongkai.intake.ratelimit). Every login, failed login and refusal is recorded by
gongkai.accounts.login_audit.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from gongkai.accounts.login_audit import record_login
from gongkai.intake.ratelimit import client_ip, count_hit, seconds_left

__all__ = [
    "DEVICE_COOKIE",
    "LoginThrottleBackend",
    "ThrottledAuthenticationForm",
    "TrustedDeviceMiddleware",
    "failures",
    "record_failure",
]

TOO_MANY = (
    "登录失败次数过多，请 {minutes} 分钟后再试 / too many failed logins; try again in {minutes} min"
)
DEVICE_COOKIE = "gongkai_device"
DEVICE_DAYS = 180
_DEVICE_SALT = "gongkai.accounts.throttle.device"


def _window() -> int:
    return int(getattr(settings, "GONGKAI_RATE_WINDOW", 600))


def _limit() -> int:
    return int(getattr(settings, "GONGKAI_LOGIN_RATE_LIMIT", 10))


def _name(username: str) -> str:
    # Hashed: a user name may hold characters a cache key must not (memcached: spaces).
    return hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]


def _address(request) -> str:
    return client_ip(request) if request is not None else "unknown"


def _counters(request, username: str) -> dict[str, tuple[str, int]]:
    """The counters of one attempt: name -> (cache key, limit)."""
    limit, name, address = _limit(), _name(username), _address(request)
    return {
        "pair": (f"login-fail:pair:{address}:{name}", limit),
        "address": (f"login-fail:ip:{address}", 5 * limit),
        "user": (f"login-fail:user:{name}", 2 * limit),
    }


def trusted_device(request, username: str) -> bool:
    """Return whether this browser carries a login cookie of ``username`` (see the docstring)."""
    if request is None or not hasattr(request, "COOKIES"):
        return False
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt=_DEVICE_SALT,
            max_age=DEVICE_DAYS * 86400,
        )
    except signing.BadSignature:
        return False
    return value == _name(username)


def _used_up(request, username: str) -> list[str]:
    """The cache keys of the counters that refuse this attempt."""
    used = []
    for counter, (key, limit) in _counters(request, username).items():
        if (cache.get(key) or 0) < limit:
            continue
        if counter == "user" and trusted_device(request, username):
            continue
        used.append(key)
    return used


def _minutes_left(keys: list[str]) -> int:
    seconds = max(seconds_left(key, _window()) for key in keys)
    return max(1, (seconds + 59) // 60)


def failures(request, username: str) -> bool:
    """Return whether an attempt for ``username`` from this client would be refused."""
    return bool(_used_up(request, username))


def record_failure(request, username: str) -> None:
    """Count one failed login (the user name's counter counts each address once)."""
    counters = _counters(request, username)
    window = _window()
    count_hit(counters["address"][0], window)
    if count_hit(counters["pair"][0], window) == 1:
        count_hit(counters["user"][0], window)


def _refuse(request, username: str, used_up: list[str]) -> str:
    record_login(request=request, username=username, outcome="refused", reason="throttled")
    return TOO_MANY.format(minutes=_minutes_left(used_up))


class LoginThrottleBackend(ModelBackend):
    """Django's ModelBackend, refusing every attempt while too many logins failed.

    A subclass rather than a gatekeeper returning None, because Django's test client and
    ``login()`` without a backend use the first backend listed to find the user again.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is not None and (used_up := _used_up(request, username)):
            raise PermissionDenied(_refuse(request, username, used_up))
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    record_failure(request, username)
    record_login(request=request, username=username, outcome="failed")


@receiver(user_logged_in)
def _remember_device(sender, request, user, **kwargs):
    record_login(request=request, username=user.get_username(), outcome="succeeded")
    if request is not None:
        request._gongkai_device = signing.dumps(_name(user.get_username()), salt=_DEVICE_SALT)


class TrustedDeviceMiddleware:
    """Give the browser of a successful login its ``gongkai_device`` cookie."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, "_gongkai_device", None)
        if value:
            response.set_cookie(
                DEVICE_COOKIE,
                value,
                max_age=DEVICE_DAYS * 86400,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response


class ThrottledAuthenticationForm(AuthenticationForm):
    """The staff login form: says plainly when logins are refused for a while."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and (used_up := _used_up(self.request, username)):
            raise forms.ValidationError(
                _refuse(self.request, username, used_up), code="too_many_failures"
            )
        return super().clean()
