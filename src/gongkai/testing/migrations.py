"""Moving a test database to a migration state, for tests of an upgrade (or a downgrade)."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets`` (``[(app, migration)]``); return the historical
    models (an ``apps``) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Migrate the test database to every app's latest migration: after a test that moved it
    back, so the tests after it (and commands that refuse an unmigrated database) find the
    schema the code is written for."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
