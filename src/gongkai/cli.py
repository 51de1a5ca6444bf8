"""The one console script, ``gongkai``: every command a person or a cron job needs.

Each sub-command lives in ``gongkai/commands/<name>.py`` and provides ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Commands that need the database call
:func:`gongkai.commands.setup_django` themselves, so the pure ones (``audit``) start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from gongkai import __version__
from gongkai.commands import UsageError

#: Sub-commands in the order ``gongkai --help`` lists them.
COMMANDS = ("demo", "serve", "clock", "calendar", "audit", "manage")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="公开 gongkai — 政府信息公开工作平台 / open government information platform. "
        "All commands honour GONGKAI_DATA_DIR and DATABASE_URL.",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"gongkai.commands.{name}")
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # ``manage`` hands everything after it to Django untouched (including --help).
    if argv and argv[0] == "manage":
        from gongkai.commands import manage

        return manage.run_django(argv[1:])
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except UsageError as error:
        print(f"gongkai {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
