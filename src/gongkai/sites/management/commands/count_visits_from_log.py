"""``gongkai manage count_visits_from_log LOG``: add the visits nginx answered from the static
tree, read from its ``gongkai_visits`` access log since the last run (gongkai.sites.visit_log;
docs/static-publishing.md). Run it from cron every few minutes and before the log rotates."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.sites import visit_log


class Command(BaseCommand):
    help = "从 nginx 访问日志计入静态页面访问量 / count the visits nginx served from its log"

    def add_arguments(self, parser):
        parser.add_argument("logs", nargs="+", help="访问日志文件 / the access log(s)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计，不写入 / count without writing",
        )

    def handle(self, *args, logs: list[str], dry_run: bool = False, **options):
        for log in logs:
            try:
                tally = visit_log.count_log(log, dry_run=dry_run)
            except FileNotFoundError as error:
                raise CommandError(str(error)) from error
            prefix = "（试运行，未写入 / dry run, nothing written）" if dry_run else ""
            self.stdout.write(f"{log}: {tally.summary()}{prefix}")
