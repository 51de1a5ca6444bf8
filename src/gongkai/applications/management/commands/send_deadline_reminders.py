"""``send_deadline_reminders [--today YYYY-MM-DD] [--dry-run]``: the daily reminder, for cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.applications.services.reminders import send_deadline_reminders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD：{text!r} / --today must be YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = "向各机关公开工作人员发送即将到期和已超期申请的提醒邮件 / e-mail deadline reminders"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_day, help="按哪一天检查（默认今天） / check as of this day"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出，不发送 / list, do not send"
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        digests = send_deadline_reminders(today=today, dry_run=options["dry_run"])
        verb = "将发送" if options["dry_run"] else "已发送"
        for digest in digests:
            self.stdout.write(f"{verb} {digest.email}: {len(digest.items)} 件")
        self.stdout.write(f"{verb}提醒邮件 {len(digests)} 封 / {len(digests)} digest(s)")
