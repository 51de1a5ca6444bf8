"""Shared plumbing for the ``gongkai`` sub-commands."""

from __future__ import annotations

import os


class UsageError(Exception):
    """Bad input on the command line: printed without a traceback, exit status 2.

    The message is Chinese first, then English, separated by `` / ``.
    """


def setup_django(*, migrate: bool = False) -> None:
    """Configure Django; with ``migrate``, bring the database schema up to date quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
