"""A fresh, migrated installation for tests that run gongkai in other processes: a data
directory with SQLite, or the same with a new PostgreSQL database on 127.0.0.1:5432."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "connect_timeout": 5}
GONGKAI = [sys.executable, "-m", "gongkai"]


def run_shell(env: dict[str, str], code: str) -> str:
    """Run ``code`` in `gongkai manage shell` against the installation; return its output."""
    done = subprocess.run(
        [*GONGKAI, "manage", "shell", "-v0", "-c", code], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


#: database -> (data directory, PostgreSQL database name or None) of a migrated installation
#: made once per test process by :func:`_migrated_template`; dropped when the process ends.
_TEMPLATES: dict[str, tuple[Path, str | None]] = {}


def _migrated_template(database: str, admin) -> tuple[Path, str | None]:
    """A fresh installation on ``database`` migrated by a real `gongkai manage migrate`, once
    per test process: migrating costs seconds of CPU in every process, copying it (a data
    directory, and on PostgreSQL ``CREATE DATABASE … TEMPLATE``) almost nothing."""
    if database not in _TEMPLATES:
        data_dir = Path(tempfile.mkdtemp(prefix=f"gongkai-template-{database}-"))
        env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir)}
        env.pop("DATABASE_URL", None)
        name = None
        if admin is not None:
            name = f"gongkai_template_{uuid.uuid4().hex[:12]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        try:
            subprocess.run([*GONGKAI, "manage", "migrate", "-v0"], env=env, check=True)
        except BaseException:
            _drop_template(data_dir, name)
            raise
        if not _TEMPLATES:
            atexit.register(_drop_templates)
        _TEMPLATES[database] = (data_dir, name)
    return _TEMPLATES[database]


def _drop_template(data_dir: Path, name: str | None) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    if name is not None:
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drop_templates() -> None:
    for data_dir, name in _TEMPLATES.values():
        _drop_template(data_dir, name)


@contextmanager
def fresh_installation(data_dir: Path, database: str) -> Iterator[dict[str, str]]:
    """Yield the environment of a migrated installation in ``data_dir`` on ``database``
    ("sqlite" or "postgresql"; skipped when PostgreSQL is not reachable): a copy of the
    process's migrated template (:func:`_migrated_template`), its data directory (the SQLite
    file, the secret and personal-data keys) and on PostgreSQL its database."""
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    admin = name = None
    if database == "postgresql":
        psycopg = pytest.importorskip("psycopg")
        try:
            admin = psycopg.connect(dbname="postgres", autocommit=True, **PG)
        except psycopg.OperationalError as error:
            pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: {error}")
    try:
        template_dir, template = _migrated_template(database, admin)
        copy_installation(template_dir, data_dir)
        if admin is not None:
            name = f"gongkai_fresh_{uuid.uuid4().hex[:12]}"
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        yield env
    finally:
        if admin is not None:
            if name is not None:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def demo_env(data_dir: Path) -> dict[str, str]:
    """The environment of `gongkai` on the embedded SQLite database in ``data_dir``: none of
    this run's database, secret key or other GONGKAI_ settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SECRET_KEY") and not key.startswith("GONGKAI_")
    }
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return env


def copy_installation(source: Path, data_dir: Path) -> Path:
    """A copy of the data directory ``source`` (database, keys, static files) in ``data_dir``,
    for a test that changes it."""
    shutil.copytree(source, data_dir, dirs_exist_ok=True)
    return data_dir
