"""What the scripts in scripts/ share: a fresh PostgreSQL database and running `gongkai`.

Imported as ``_common`` (a script's own directory is first on ``sys.path``)."""

import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit


def fresh_postgres(url: str) -> None:
    """Drop (closing its connections) and create the database of ``url``."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def gongkai(env: dict[str, str], *args: str) -> str:
    """Run ``gongkai ARGS`` with ``env``; its output, or exit naming the failed command."""
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"gongkai {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout
