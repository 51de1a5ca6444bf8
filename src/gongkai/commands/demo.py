"""``gongkai demo``: placeholder until its issue lands."""

from __future__ import annotations

import argparse

HELP = "(not yet available)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER)


def run(args: argparse.Namespace) -> int:
    print("gongkai demo: 尚未实现 / not implemented yet")
    return 2
