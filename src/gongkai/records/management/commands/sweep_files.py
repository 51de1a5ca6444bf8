"""``gongkai manage sweep_files [--older-than-minutes N] [--dry-run]``: delete uploaded files
that no record names (what a killed server left between writing a file and committing its row;
gongkai.records.files.sweep_orphan_files)."""

from django.core.management.base import BaseCommand, CommandError

from gongkai.records.files import sweep_orphan_files


class Command(BaseCommand):
    help = "删除没有记录引用的上传文件 / delete uploaded files that no record names"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=float,
            default=60.0,
            help="only files older than this (default 60: a running server may be saving one)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, do not delete")

    def handle(self, *args, older_than_minutes, dry_run, **options):
        if older_than_minutes < 0:
            raise CommandError("--older-than-minutes 不能为负 / must not be negative")
        swept = sweep_orphan_files(older_than_seconds=older_than_minutes * 60, dry_run=dry_run)
        for name in swept:
            self.stdout.write(name)
        verb = "将删除 / would delete" if dry_run else "已删除 / deleted"
        self.stderr.write(f"{verb} {len(swept)} 个孤立文件 / orphan files")
