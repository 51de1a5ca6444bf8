"""The one console script, ``gongkai``: every command a person or a cron job needs.

Each sub-command lives in ``gongkai/commands/<name>.py`` and provides ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Commands that need the database call
:func:`gongkai.commands.setup_django` themselves, so the pure ones (``audit``) start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn

from gongkai import __version__
from gongkai.commands import UsageError
from gongkai.env import EnvError

#: Sub-commands in the order ``gongkai --help`` lists them.
COMMANDS = (
    "demo",
    "serve",
    "clock",
    "calendar",
    "audit",
    "backup",
    "restore",
    "manage",
    "report",
    "monitor",
    "keys",
    "retention",
    "audit-log",
    "publish-static",
)


class _Parser(argparse.ArgumentParser):
    """argparse, with its error line in Chinese first, then English (sub-parsers inherit it)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 命令行参数有误 / bad arguments: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gongkai",
        description="公开 gongkai — 政府信息公开工作平台 / open government information platform. "
        "All commands honour GONGKAI_DATA_DIR and DATABASE_URL.",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"gongkai.commands.{name.replace('-', '_')}")
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except EnvError as error:  # settings read a bad environment variable
        print(f"gongkai: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`gongkai audit … | head`): stop quietly, like other Unix tools,
        # and point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if not _is_database_unusable(error):
            raise
        message = str(error).strip().replace("\n", " ")
        print(
            f"gongkai: 无法连接数据库，请检查 DATABASE_URL 和数据库服务 / cannot use the database "
            f"(check DATABASE_URL and that the server is running): {message}",
            file=sys.stderr,
        )
        return 1


def _is_database_unusable(error: Exception) -> bool:
    """True for Django's OperationalError (server down, database missing, bad password…)."""
    if "django.db" not in sys.modules:  # pure commands (audit) never load Django
        return False
    from django.db import OperationalError

    return isinstance(error, OperationalError)


def _main(argv: list[str] | None) -> int:
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
