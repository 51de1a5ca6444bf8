"""``gongkai backup DEST``: a consistent backup of the database, uploaded files and keys
(gongkai.backup), safe to take while the server runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from gongkai.commands import UsageError, setup_django

HELP = "备份数据库、上传文件和密钥 / back up the database, uploaded files and keys"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", metavar="DEST", help="a new or empty directory for the backup")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai.backup import BackupError, make_backup

    try:
        make_backup(Path(args.dest))
    except BackupError as error:
        raise UsageError(str(error)) from None
    return 0
