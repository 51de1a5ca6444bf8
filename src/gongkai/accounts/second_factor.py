"""Two-factor staff login (django-otp): TOTP apps, recovery codes, and the gate in front of
every staff page; plus the short idle expiry of staff sessions.

- :func:`gongkai.accounts.rules.must_use_second_factor` says who needs a second factor
  (system admins and supervisors; all staff with ``GONGKAI_2FA_ALL_STAFF``); anyone who enrolled
  a device needs it too.
- After the password, :class:`StaffLoginMiddleware` sends such a user to ``/accounts/2fa/`` (a
  code from the authenticator app, or a recovery code) or, with no device yet, to
  ``/accounts/2fa/setup/`` (a QR code drawn on the server as SVG and the secret as text).
  Nothing else of the site answers them until then, except the API, which has its own tokens.
- Enrolling confirms the TOTP device with a first code and makes ten recovery codes
  (django-otp's static device), each good once, shown once.
- Every enrolment and new set of recovery codes is a row of the audit log; every second-factor
  success and failure is recorded by :func:`gongkai.accounts.login_audit.record_login`.
  django-otp slows repeated wrong codes down (each failure doubles the wait).
"""

from __future__ import annotations

import io
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts import rules
from gongkai.accounts.login_audit import record_login
from gongkai.auditlog.services import record as audit

__all__ = [
    "RECOVERY_CODES",
    "StaffLoginMiddleware",
    "confirm_enrolment",
    "enrol_for",
    "has_device",
    "needs_second_factor",
    "new_recovery_codes",
    "pending_device",
    "qr_svg",
    "reset_for",
    "secret_text",
    "verify",
]

RECOVERY_CODES = 10
#: Paths open to a user who has given a password but not yet the second factor.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/api/")


def has_device(user) -> bool:
    """Whether ``user`` has a confirmed second-factor device (TOTP or recovery codes)."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def needs_second_factor(user) -> bool:
    return rules.must_use_second_factor(user) or (rules.is_active_user(user) and has_device(user))


def pending_device(user) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device (made now if there is none) for enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(text: str) -> str:
    """Return ``text`` as an SVG QR code, drawn here (no external service, no script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # the XML declaration is not for inline use


def secret_text(device: TOTPDevice) -> str:
    """The TOTP secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    plain = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def _make_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_enrolment(*, actor: Any, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``actor``'s new TOTP ``device`` with a first code; return the new recovery codes.

    Returns None (and records a second-factor failure) when the code is wrong. On success the
    device replaces any earlier one, the session counts as verified, and the enrolment is in the
    audit log.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise ValueError("not this user's pending device")
    if not device.verify_token(token.strip()):
        record_login(
            request=request,
            username=actor.get_username(),
            outcome="second_factor_failed",
            reason="enrolment",
        )
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _make_codes(actor)
        audit(
            actor=actor,
            action="user.second_factor_enrolled",
            obj=actor,
            label="启用双因素登录",
            data={"recovery_codes": len(codes)},
        )
    otp_login(request, device)
    return codes


def enrol_for(*, actor: Any, user) -> TOTPDevice:
    """Give ``user`` a confirmed TOTP device set up by an administrator (the demo's accounts).

    The secret must then reach the user by a safe way (:func:`secret_text`); returns the
    user's existing confirmed device unchanged if there is one.
    """
    if not rules.may_administer(actor):
        raise PermissionDenied("只有系统管理员可以为他人设置双因素登录 / only a system admin may")
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            audit(
                actor=actor,
                action="user.second_factor_enrolled",
                obj=user,
                label="启用双因素登录",
                data={"by_administrator": True},
            )
    return device


def reset_for(*, actor: Any, user) -> int:
    """Remove every second-factor device of ``user`` (a lost phone); return how many.

    A system admin or the command line only; the user enrols again at the next login.
    """
    if not rules.may_administer(actor):
        raise PermissionDenied("只有系统管理员可以重置双因素登录 / only a system admin may")
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        audit(
            actor=actor,
            action="user.second_factor_reset",
            obj=user,
            label="重置双因素登录",
            data={"devices": removed, "via": "command_line"}
            if actor is rules.COMMAND_LINE
            else {"devices": removed},
        )
    return removed


def new_recovery_codes(*, actor: Any) -> list[str]:
    """Replace ``actor``'s recovery codes with ten new ones (the old ones stop working)."""
    with transaction.atomic():
        codes = _make_codes(actor)
        audit(
            actor=actor,
            action="user.recovery_codes_renewed",
            obj=actor,
            label="重新生成恢复码",
            data={"recovery_codes": len(codes)},
        )
    return codes


def verify(request, token: str) -> bool:
    """Check a code from the app (six digits) or a recovery code for ``request.user``.

    On success the session counts as verified; every attempt is recorded.
    """
    user = request.user
    token = "".join(token.split()).lower()
    kind = TOTPDevice if token.isdigit() else StaticDevice
    ok = None
    if token:
        with transaction.atomic():
            for device in kind.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(token):
                    ok = device
                    break
    record_login(
        request=request,
        username=user.get_username(),
        outcome="verified" if ok else "second_factor_failed",
        reason="recovery code" if kind is StaticDevice else "authenticator",
    )
    if ok is None:
        return False
    otp_login(request, ok)
    return True


class StaffLoginMiddleware:
    """After django-otp's OTPMiddleware: keeps staff sessions short and asks for the second factor.

    A signed-in user's session expires ``GONGKAI_STAFF_SESSION_MINUTES`` after their last request
    (refreshed at most once a minute, so a busy page does not write the session each time).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._keep_alive(request, user)
            open_paths = (*OPEN_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"))
            gated = not request.path.startswith(open_paths)
            if gated and not user.is_verified() and request.session.get(_NEEDS):
                target = "accounts:otp_verify" if has_device(user) else "accounts:otp_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _keep_alive(request, user) -> None:
        """Once a minute: push the session's expiry forward and decide again whether the user
        needs a second factor (a role granted meanwhile counts within the minute)."""
        now = int(time.time())
        if now - int(request.session.get(_SEEN, 0)) >= 60 or _NEEDS not in request.session:
            remember(request, user, now)


_SEEN = "_gk_seen"
_NEEDS = "_gk_needs_second_factor"


def remember(request, user, now: int | None = None) -> None:
    """Store in the session when it was last refreshed and whether ``user`` needs a second
    factor (saved with a new expiry, SESSION_COOKIE_AGE)."""
    if user.is_verified() if hasattr(user, "is_verified") else False:
        needs = True  # already verified: stays so for this session
    else:
        needs = needs_second_factor(user)
    request.session[_SEEN] = int(time.time()) if now is None else now
    request.session[_NEEDS] = needs


@receiver(user_logged_in)
def _decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember(request, user)
