"""``gongkai restore SRC``: restore a backup made by ``gongkai backup`` (gongkai.backup).

Stop the server first. Every file is checked against the backup's manifest before anything
is touched; an installation that already holds data is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gongkai.commands import UsageError, setup_django

HELP = "从备份恢复 / restore a backup made by gongkai backup"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="the backup directory")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the database, files and key of an installation that already holds data",
    )


def run(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai.backup import BackupError, restore_backup

    try:
        restore_backup(Path(args.src), force=args.force)
    except BackupError as error:
        raise UsageError(str(error)) from None
    from gongkai.sites import static_publish

    static_publish.clear()  # the static pages showed the data just replaced
    return 0
