"""``gongkai manage …``: Django's management commands, with gongkai's settings."""

from __future__ import annotations

import argparse
import os
import sys

HELP = "运行 Django 管理命令 / run a Django management command (gongkai manage help)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "args", nargs=argparse.REMAINDER, help="the management command and its arguments"
    )


def run_django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandError

    try:
        execute_from_command_line(["gongkai manage", *(argv or ["help"])])
    except CommandError as error:
        # Django prints a CommandError raised by a command's handle() itself; one raised while
        # parsing the command's options (a bad --today) would otherwise escape as a traceback.
        print(f"gongkai manage: {error}", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    return run_django(args.args)
