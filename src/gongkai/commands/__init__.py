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


def unapplied_migrations() -> list[str]:
    """Return ``app.migration`` names not yet applied to the configured database."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def refuse_unmigrated() -> None:
    """Raise UsageError (exit 2) if the configured database lacks migrations."""
    pending = unapplied_migrations()
    if pending:
        raise UsageError(
            f"数据库有 {len(pending)} 个迁移尚未应用，请先运行 gongkai manage migrate / "
            f"the database has {len(pending)} unapplied migrations; run `gongkai manage migrate` first"
        )


def setup_database() -> None:
    """Configure Django for a command that reads the database, and check the schema.

    A database named by ``DATABASE_URL`` belongs to its operator: a command never migrates it
    on its own, and refuses one that is not migrated (like ``gongkai serve``). The embedded
    default SQLite database (no ``DATABASE_URL``) is set up on first use, so the README's
    examples work in a fresh clone.
    """
    from gongkai.env import env_str

    if env_str("DATABASE_URL"):
        setup_django()
        refuse_unmigrated()
    else:
        setup_django(migrate=True)
