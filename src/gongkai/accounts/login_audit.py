"""Every staff login, failed login, refused login and second-factor check, recorded in one place.

:func:`record_login` is the single hook: the login throttle (gongkai.accounts.throttle) calls
it for each attempt, gongkai.accounts.second_factor for each second-factor code. It writes a row of the platform audit log (docs/audit-log.md; action
``login.succeeded``, ``login.failed``, ``login.refused``, ``login.verified`` or
``login.second_factor_failed``, about the account when the user
name exists, installation-wide so only system admins read it) and one line to the
``gongkai.audit.login`` logger. Both name the user name tried, the client address and the
outcome — never a password.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.auditlog.services import record
from gongkai.intake.ratelimit import client_ip

__all__ = ["OUTCOMES", "logger", "record_login"]

logger = logging.getLogger("gongkai.audit.login")

#: succeeded: logged in; failed: a wrong user name or password; refused: not even checked,
#: because the throttle stops this client for a while; verified: the second factor (an
#: authenticator code or a recovery code) was right; second_factor_failed: it was wrong
#: (gongkai.accounts.second_factor).
OUTCOMES = ("succeeded", "failed", "refused", "verified", "second_factor_failed")
LABELS = {
    "succeeded": "登录",
    "failed": "登录失败",
    "refused": "登录被拒绝",
    "verified": "双因素验证通过",
    "second_factor_failed": "双因素验证失败",
}


def record_login(*, request, username: str, outcome: str, reason: str = "") -> None:
    """Record one login attempt of ``username`` with its ``outcome`` (one of :data:`OUTCOMES`)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown login outcome {outcome!r}")
    address = client_ip(request) if request is not None else "-"
    path = getattr(request, "path", "-") if request is not None else "-"
    name = username[:150]
    user = get_user_model().objects.filter(username=name).first()
    with transaction.atomic():
        record(
            actor=user if outcome in ("succeeded", "verified") else None,
            action=f"login.{outcome}",
            obj=user,
            agency=None,
            label=LABELS[outcome],
            data={"username": name, "address": address, "path": path, "reason": reason},
        )
    # %r quotes the user name, so a typed newline cannot forge a second log line.
    logger.log(
        logging.INFO if outcome in ("succeeded", "verified") else logging.WARNING,
        "login %s: user=%r address=%s path=%s%s",
        outcome,
        username[:150],
        address,
        path,
        f" reason={reason}" if reason else "",
        extra={"login_outcome": outcome, "login_username": username[:150]},
    )
