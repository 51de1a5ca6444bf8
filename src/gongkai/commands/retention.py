"""``gongkai retention [--dry-run] [--days N]``: erase the personal data of applications closed
more than N days ago (``GONGKAI_RETENTION_DAYS``; gongkai.applications.services.retention).

The period is local policy: 《政府信息公开条例》 sets none (docs/law/ogi-spec.md).
"""

from __future__ import annotations

import argparse

from gongkai.commands import UsageError, setup_database

HELP = (
    "删除保存期限届满的申请人个人信息 / erase applicants' personal data past the retention period"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="only list what would be erased; change nothing"
    )
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help="days after 办结 (default: GONGKAI_RETENTION_DAYS)",
    )


def run(args: argparse.Namespace) -> int:
    setup_database()
    from django.conf import settings
    from django.utils import timezone

    from gongkai.applications.services.retention import erase_expired_personal_data

    days = args.days if args.days is not None else settings.GONGKAI_RETENTION_DAYS
    if not days or days < 1:
        raise UsageError(
            "未设置保存期限：请设置 GONGKAI_RETENTION_DAYS 或使用 --days（正整数） / no retention "
            "period: set GONGKAI_RETENTION_DAYS or give --days (a positive number of days)"
        )
    result = erase_expired_personal_data(
        actor=None, days=days, today=timezone.localdate(), dry_run=args.dry_run
    )
    verb = "将删除 / would erase" if args.dry_run else "已删除 / erased"
    print(
        f"{verb}: {len(result.applications)} 件申请的个人信息 applications' personal data, "
        f"{result.files} 个证明文件 files (办结早于 closed before {result.cutoff})"
    )
    if result.applications:
        print("申请 id / application ids: " + ", ".join(map(str, result.applications)))
    return 0
