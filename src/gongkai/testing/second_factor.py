"""Two-factor login in tests: enrol an authenticator, compute its current code, and make
Django's ``Client.force_login`` give a session that passed both factors.

``force_login`` skips the whole login — password and second factor alike — so a test that
uses it gets what a staff member has after logging in fully. A test of the login itself posts
to the login page (``Client.login`` or ``client.post``), or passes ``second_factor=False``.
Installed by gongkai.testing.pytest_plugin.
"""

from __future__ import annotations

import time

__all__ = ["enrol_totp", "install", "totp_code"]


def enrol_totp(user, name: str = "test"):
    """Return a confirmed TOTP device of ``user`` (made if missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name=name, defaults={"confirmed": True})
    return device


def totp_code(device, at: float | None = None) -> str:
    """Return the code the authenticator app shows now (or at ``at``) for ``device``."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def install() -> None:
    """Patch ``django.test.Client.force_login`` as the module docstring says (idempotent)."""
    from django.test import client

    if getattr(client.Client.force_login, "_gongkai", False):
        return
    original = client.Client.force_login

    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        if not second_factor:
            return
        from django_otp import DEVICE_ID_SESSION_KEY

        from gongkai.accounts.second_factor import needs_second_factor

        if needs_second_factor(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = enrol_totp(user).persistent_id
            session.save()

    force_login._gongkai = True
    client.Client.force_login = force_login


def browser_log_in(page, base: str, username: str, password: str) -> None:
    """Sign ``username`` in on a Playwright ``page`` at ``base``; where the platform asks for
    the second factor (system admins, supervisors), give the code of the user's enrolled
    authenticator (``gongkai demo`` enrols ``admin`` and ``supervisor``). Ends on /staff/."""
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/(staff/|accounts/2fa/)"))
    if "/accounts/2fa/" in page.url:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        assert device is not None, f"{username} has no authenticator enrolled"
        page.get_by_label("验证码").fill(totp_code(device))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(base + "/staff/")
