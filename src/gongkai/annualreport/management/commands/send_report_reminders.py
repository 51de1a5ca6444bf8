"""``send_report_reminders [--today YYYY-MM-DD] [--days N] [--dry-run]``: annual-report deadline
reminders, for cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.annualreport.reminders import DEFAULT_DAYS, send_report_reminders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD：{text!r} / --today must be YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = "提醒尚未发布年度报告的机关（期限前） / remind agencies whose annual report is due"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="按哪一天检查 / check as of this day")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help="期限前多少天开始提醒 / days ahead"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出 / list, do not send")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        if options["days"] < 0:
            raise CommandError("--days 不能为负数 / --days cannot be negative")
        sent = send_report_reminders(today=today, days=options["days"], dry_run=options["dry_run"])
        verb = "将发送" if options["dry_run"] else "已发送"
        for r in sent:
            self.stdout.write(f"{verb} {r.email}: {len(r.items)} 个机关")
        self.stdout.write(f"{verb}年报提醒邮件 {len(sent)} 封 / {len(sent)} reminder(s)")
