"""Clerk and approver are told of each other's steps by e-mail, where they have an address.

A draft reply or an extension request goes to the agency's approvers; the approver's answer
(approved, returned) to the clerk who drafted or asked; a 督办 to the agency's handlers. Mail
is sent after the transaction commits and a failure is logged, never raised: the step stands.
Without ``GONGKAI_EMAIL_HOST`` the mails are files in ``GONGKAI_DATA_DIR/mail/``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

from gongkai.accounts import rules

__all__ = ["tell_approvers", "tell_handlers", "tell_user"]

logger = logging.getLogger(__name__)


def _send(users: Iterable[Any], subject: str, body: str, *, actor: Any = None) -> None:
    addresses = sorted(
        {
            u.email
            for u in users
            if getattr(u, "email", "") and getattr(u, "pk", None) != getattr(actor, "pk", -1)
        }
    )
    if not addresses:
        return

    def send() -> None:
        for address in addresses:  # one mail each: staff do not see each other's addresses
            try:
                send_mail(subject, body, None, [address])
            except Exception as error:  # a mail outage must not undo or break the work
                logger.error("could not e-mail a staff member: %s", type(error).__name__)

    transaction.on_commit(send)


def _body(application: Any, what: str) -> str:
    return (
        f"{what}\n\n申请编号：{application.reference}\n受理机关：{application.agency.name}\n"
        "请登录工作台办理（依申请公开 › 待办申请）。"
    )


def tell_approvers(application: Any, what: str, *, actor: Any = None) -> None:
    """E-mail the approvers of the application's agency (not the actor)."""
    users = rules.approvers_of([application.agency_id])
    _send(users, f"【待审批】{application.reference} {what}", _body(application, what), actor=actor)


def tell_user(user: Any, application: Any, what: str, *, actor: Any = None) -> None:
    """E-mail one staff member (the clerk who drafted or asked) about the answer."""
    if user is None:
        return
    _send([user], f"【{what}】{application.reference}", _body(application, what), actor=actor)


def tell_handlers(application: Any, what: str, *, actor: Any = None) -> None:
    """E-mail the handlers of the application's agency (a 督办)."""
    users = rules.handlers_of([application.agency_id])
    _send(users, f"【督办】{application.reference}", _body(application, what), actor=actor)
