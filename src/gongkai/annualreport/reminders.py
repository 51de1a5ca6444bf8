"""Reminders before the annual-report deadlines to agencies without a published report.

《政府信息公开条例》第四十九条 (docs/law/ogi-spec.md §1): departments publish last year's report by
31 January, governments by 31 March. From ``days`` days before its deadline (and on the day),
each agency of the installation with no published report for last year has its handlers
(clerk, approver, head) e-mailed once a run. Run daily by cron
(``gongkai manage send_report_reminders``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.mail import EmailMessage, get_connection

from gongkai.accounts.rules import handler_pairs
from gongkai.agencies.models import Agency
from gongkai.annualreport.selectors import supervision

__all__ = ["ReportReminder", "report_reminders", "send_report_reminders"]

DEFAULT_DAYS = 14


@dataclass
class ReportReminder:
    email: str
    name: str
    items: list[tuple[str, date, str]] = field(default_factory=list)  # agency, deadline, state

    @property
    def subject(self) -> str:
        return f"【政府信息公开】年度报告即将到期：{len(self.items)}个机关尚未发布"

    def body(self, year: int) -> str:
        lines = [
            f"{self.name}：",
            "",
            f"以下机关的{year}年度政府信息公开工作年度报告尚未发布：",
            "",
        ]
        lines += [
            f"{agency}  期限 {deadline}  当前状态 {state}" for agency, deadline, state in self.items
        ]
        lines += ["", "请登录工作台 → 年度报告办理。此邮件由系统自动发送。"]
        return "\n".join(lines)


def report_reminders(*, today: date, days: int = DEFAULT_DAYS) -> list[ReportReminder]:
    """One reminder per person handling an agency whose deadline is within ``days`` days."""
    year = today.year - 1
    lines = supervision(Agency.objects.all(), year, today=today)
    due = {
        line.agency.pk: line
        for line in lines
        if line.state != "published" and 0 <= (line.deadline - today).days <= days
    }
    reminders: dict[int, ReportReminder] = {}
    for user, agency_id in handler_pairs(due):
        if not user.email:
            continue
        line = due[agency_id]
        reminder = reminders.setdefault(
            user.pk, ReportReminder(user.email, user.display_name or user.username)
        )
        reminder.items.append((line.agency.name, line.deadline, line.label))
    return sorted(reminders.values(), key=lambda r: r.email)


def send_report_reminders(
    *, today: date, days: int = DEFAULT_DAYS, dry_run: bool = False
) -> list[ReportReminder]:
    reminders = report_reminders(today=today, days=days)
    if not dry_run and reminders:
        with get_connection() as connection:
            for r in reminders:
                EmailMessage(
                    r.subject, r.body(today.year - 1), to=[r.email], connection=connection
                ).send()
    return reminders
