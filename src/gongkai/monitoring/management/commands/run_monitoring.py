"""``run_monitoring [--as-of YYYY-MM-DD]``: the scheduled monitoring run, for cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.monitoring.services import run_checks


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD：{text!r} / --as-of must be YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = "网站自查，结果存入自查记录 / run the monitoring checks and store the findings"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=_day, help="按哪一天检查（默认今天） / as of this day")

    def handle(self, *args, **options):
        run = run_checks(actor=COMMAND_LINE, as_of=options["as_of"])
        total = run.findings.count()
        veto = run.findings.filter(severity="veto").count()
        self.stdout.write(
            f"自查 {run.as_of}：发现问题 {total} 项，其中单项否决 {veto} 项 / "
            f"{total} finding(s), {veto} single veto"
        )
