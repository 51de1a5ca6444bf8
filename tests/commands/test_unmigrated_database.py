"""No command migrates a database named by DATABASE_URL on its own: ``gongkai clock`` and
``gongkai calendar`` refuse an unmigrated one, like ``gongkai serve`` (exit 2, naming
``gongkai manage migrate``). The embedded SQLite database is still set up on first use."""

import sqlite3
import uuid

import pytest

from tests.commands.test_cli_errors import assert_usage_error, gongkai

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "connect_timeout": 5}
COMMANDS = [("clock", "--received", "2025-03-03"), ("calendar", "years")]


@pytest.fixture
def empty_postgres():
    """A fresh, empty PostgreSQL database on 127.0.0.1:5432 (dropped afterwards)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"gongkai_unmigrated_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, **PG)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_tables(name: str) -> list[str]:
    import psycopg

    with psycopg.connect(dbname=name, **PG) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_an_unmigrated_postgresql_database_is_refused_not_migrated(tmp_path, empty_postgres, args):
    url = f"postgres://postgres@127.0.0.1:5432/{empty_postgres}"
    result = gongkai(tmp_path, *args, DATABASE_URL=url)
    assert_usage_error(result, "迁移尚未应用", "gongkai manage migrate")
    assert result.stdout == ""
    assert postgres_tables(empty_postgres) == []  # nothing was created behind the operator's back


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_an_unmigrated_sqlite_database_named_by_database_url_is_refused(tmp_path, args):
    path = tmp_path / "theirs.sqlite3"
    result = gongkai(tmp_path, *args, DATABASE_URL=f"sqlite:///{path}")
    assert_usage_error(result, "迁移尚未应用", "gongkai manage migrate")
    if path.exists():
        tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
        assert ("django_migrations",) not in tables


def test_the_embedded_database_is_set_up_on_first_use(tmp_path):
    """As in the README, in a fresh clone: no DATABASE_URL, no migrate beforehand."""
    result = gongkai(tmp_path, "clock", "--received", "2025-03-03")
    assert result.returncode == 0, result.stderr
    assert "答复期限 / reply due: 2025-03-31" in result.stdout
    assert (tmp_path / "data" / "gongkai.sqlite3").exists()
