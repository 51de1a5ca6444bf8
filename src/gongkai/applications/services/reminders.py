"""Deadline reminders: one digest e-mail per person about applications due soon or overdue.

The people are the handlers (公开专员), approvers and heads of each agency with such items
(《政府信息公开条例》第三十三条: the reply is due in 20 working days). Run daily by cron
(``gongkai manage send_deadline_reminders``) or as the django-tasks task in ``tasks.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import EmailMessage, get_connection

from gongkai.accounts.rules import handler_pairs
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band
from gongkai.holidays.services import load_calendar
from gongkai.law.workflow import OPEN_STATES
from gongkai.worker.effects import send_mail_once

__all__ = ["Digest", "deadline_digests", "send_deadline_reminders"]


@dataclass
class Digest:
    """What one person is told: their address and the items, worst first."""

    email: str
    name: str
    items: list[tuple[Application, DeadlineBand]] = field(default_factory=list)

    @property
    def subject(self) -> str:
        overdue = sum(1 for _, band in self.items if band is DeadlineBand.OVERDUE)
        soon = len(self.items) - overdue
        return f"【政府信息公开】待办提醒：已超期{overdue}件，即将到期{soon}件"

    def body(self, today: date) -> str:
        lines = [
            f"{self.name}：",
            "",
            f"截至{today.isoformat()}，以下政府信息公开申请需要关注：",
            "",
        ]
        for application, band in self.items:
            lines.append(
                f"［{band.label_zh}］{application.reference}  {application.agency.name}  "
                f"答复期限 {application.due_on}  状态 {application.get_state_display()}"
            )
        lines += ["", "请登录工作台办理。此邮件由系统自动发送。"]
        return "\n".join(lines)


def deadline_digests(today: date) -> list[Digest]:
    """Return one digest per person with due-soon or overdue applications in their agencies."""
    calendar = load_calendar()
    flagged: dict[int, list[tuple[Application, DeadlineBand]]] = defaultdict(list)
    open_apps = (
        Application.objects.filter(state__in=[s.value for s in OPEN_STATES])
        .exclude(due_on=None)
        .select_related("agency")
        .order_by("due_on", "pk")
    )
    for application in open_apps:
        band = deadline_band(application, today, calendar)
        if band in (DeadlineBand.DUE_SOON, DeadlineBand.OVERDUE):
            flagged[application.agency_id].append((application, band))
    if not flagged:
        return []
    digests: dict[int, Digest] = {}
    # a person with two roles in one agency hears about it once (handler_pairs lists it once)
    for user, agency_id in handler_pairs(flagged):
        if not user.email:
            continue
        digest = digests.setdefault(user.pk, Digest(user.email, user.display_name or user.username))
        digest.items.extend(flagged[agency_id])
    for digest in digests.values():
        digest.items.sort(key=lambda item: (item[1] is not DeadlineBand.OVERDUE, item[0].due_on))
    return sorted(digests.values(), key=lambda d: d.email)


def send_deadline_reminders(*, today: date, dry_run: bool = False) -> list[Digest]:
    """E-mail every digest (unless ``dry_run``) and return them.

    Run by the background worker, each mail is sent once per task run
    (:func:`gongkai.worker.effects.send_mail_once`): a run interrupted by its worker's death
    and run again skips the people already mailed, and a mail it must send again (the worker
    died while the server accepted it) carries the Message-ID of the first.
    """
    digests = deadline_digests(today)
    if digests and not dry_run:
        with get_connection() as connection:
            for d in digests:
                message = EmailMessage(d.subject, d.body(today), None, [d.email])
                message.connection = connection
                send_mail_once(f"deadline-reminder:{today.isoformat()}:{d.email}", message)
    return digests
