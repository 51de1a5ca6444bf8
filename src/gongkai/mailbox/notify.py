"""Telling a letter's writer that something happened: by e-mail or SMS, behind one interface.

``GONGKAI_MAILBOX_NOTIFIER`` picks the backend:

- ``console`` (default): one log line per notice — the letter's id and the channel, never the
  writer's name, address, phone or 查询码 (the server log is not a place for personal data);
- ``file``: each notice written to ``GONGKAI_DATA_DIR/notices/`` (recipient and text), for a
  test installation or to hand to an SMS gateway by hand;
- ``email``: e-mail through Django's mail settings (``GONGKAI_EMAIL_*``; without a mail host
  the mails are files, as everywhere); SMS notices go to files, as there is no SMS gateway;
- a dotted path to a class with the :class:`Notifier` method (a real SMS gateway).

A notice is sent after the change commits; a failure is logged (without the address) and
never undoes the change.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

__all__ = ["Notice", "Notifier", "notifier", "send"]

logger = logging.getLogger("gongkai.mailbox")


@dataclass(frozen=True)
class Notice:
    """One message to one writer: ``channel`` is ``email`` or ``sms``, ``to`` the address."""

    letter_id: int
    channel: str
    to: str
    subject: str
    text: str


class Notifier(Protocol):
    def send(self, notice: Notice) -> None: ...


class ConsoleNotifier:
    def send(self, notice: Notice) -> None:
        logger.info(
            "mailbox notice for letter %s by %s (%d characters)",
            notice.letter_id,
            notice.channel,
            len(notice.text),
        )


class FileNotifier:
    def send(self, notice: Notice) -> None:
        folder = Path(settings.DATA_DIR) / "notices"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{notice.letter_id}-{secrets.token_hex(3)}.txt"
        path.write_text(
            f"渠道 / channel: {notice.channel}\n收件人 / to: {notice.to}\n"
            f"主题 / subject: {notice.subject}\n\n{notice.text}\n",
            encoding="utf-8",
        )


class EmailNotifier:
    def send(self, notice: Notice) -> None:
        if notice.channel != "email":
            FileNotifier().send(notice)
            return
        send_mail(notice.subject, notice.text, None, [notice.to])


BACKENDS = {"console": ConsoleNotifier, "file": FileNotifier, "email": EmailNotifier}


def notifier() -> Notifier:
    """Return the configured backend (see the module docstring)."""
    name = getattr(settings, "GONGKAI_MAILBOX_NOTIFIER", "console") or "console"
    backend = BACKENDS.get(name) or import_string(name)
    return backend()


def send(notice: Notice) -> bool:
    """Send ``notice``; return whether it went out (failures are logged, not raised)."""
    try:
        notifier().send(notice)
    except Exception as error:  # an outage must not break the work that triggered it
        logger.error(
            "could not send the notice for letter %s by %s: %s",
            notice.letter_id,
            notice.channel,
            type(error).__name__,
        )
        return False
    return True
