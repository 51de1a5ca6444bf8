"""A fresh, migrated installation for tests that run gongkai in other processes: a data
directory with SQLite, or the same with a new PostgreSQL database on 127.0.0.1:5432."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@contextmanager
def fresh_installation(data_dir: Path, database: str) -> Iterator[dict[str, str]]:
    """Yield the environment of a migrated installation in ``data_dir`` on ``database``
    ("sqlite" or "postgresql"; skipped when PostgreSQL is not reachable)."""
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    admin = name = None
    if database == "postgresql":
        psycopg = pytest.importorskip("psycopg")
        try:
            admin = psycopg.connect(dbname="postgres", autocommit=True, **PG)
        except psycopg.OperationalError as error:
            pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: {error}")
        name = f"gongkai_fresh_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        subprocess.run([*GONGKAI, "manage", "migrate", "-v0"], env=env, check=True)
        yield env
    finally:
        if admin is not None:
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
