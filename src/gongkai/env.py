"""Typed helpers for reading settings from the environment.

Never ``os.environ.get("DEBUG", False)``: the string "False" is true.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable holds a value that cannot be used."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(
        f"环境变量 {name} 应为 true/false，实际为 {raw!r} / {name} must be true or false, got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(
            f"环境变量 {name} 应为整数，实际为 {raw!r} / {name} must be an integer, got {raw!r}"
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Return the installation's data directory (GONGKAI_DATA_DIR, default ./.gongkai), creating it.

    A new directory is private to its owner (0700): it holds the database with citizens' ID
    numbers, their uploads and the secret key. An existing directory is left as it is.
    """
    path = Path(env_str("GONGKAI_DATA_DIR") or ".gongkai").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def secret_key(directory: Path) -> str:
    """Return SECRET_KEY from the environment, or from ``directory/secret_key``, generating it once."""
    from_env = env_str("SECRET_KEY") or env_str("GONGKAI_SECRET_KEY")
    if from_env:
        return from_env
    path = directory / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
