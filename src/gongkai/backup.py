"""Back up and restore an installation: the database, uploaded files, local templates and keys.

A backup is a directory::

    manifest.json        what is inside, with a SHA-256 and size for every file
    database.sqlite3     SQLite: a consistent snapshot by SQLite's online backup API, taken
                         while the server runs (readers and the one writer go on)
    database.pgdump      PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    secret_key           the data directory's key file (absent when SECRET_KEY comes from the
                         environment: keep that value with the backup yourself)
    data_keys.json       the keys that encrypt applicants' personal data (gongkai.personaldata;
                         absent when GONGKAI_DATA_KEY comes from the environment: keep those
                         keys with the backup yourself, or the restored data cannot be read)
    audit_key            the audit log's chain key (absent when GONGKAI_AUDIT_KEY is set)
    media/               attachments, letters, uploaded reports (GONGKAI_DATA_DIR/media)
    templates/           local letter templates (GONGKAI_DATA_DIR/templates)

Restore checks every checksum first, then refuses a target that already holds data (a
database with tables, files in media/ or templates/) unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["BackupError", "make_backup", "restore_backup", "verify_backup"]

FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
TREES = ("media", "templates")
#: Key files of the data directory, copied with the database they belong to.
KEY_FILES = ("secret_key", "data_keys.json", "audit_key")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese first, then English."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _pg_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, and the environment with the password."""
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"找不到 {command[0]}，请安装 PostgreSQL 客户端（如 apt-get install postgresql-client）"
            f" / {command[0]} not found: install the PostgreSQL client tools"
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{command[0]} 失败 / {command[0]} failed: {result.stderr.strip()[-2000:]}"
        )


def make_backup(dest: Path, *, out: Callable[[str], None] = print) -> dict:
    """Write a backup of the configured installation into ``dest`` (new or empty)."""
    from django.conf import settings
    from django.db import connection

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"备份目录 {dest} 不是空的 / the backup directory {dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest / SQLITE_FILE)
        try:
            connection.connection.backup(target)  # online: a consistent snapshot
        finally:
            target.close()
    elif vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--file", str(dest / PG_FILE), *args], env)
    else:
        raise BackupError(f"不支持的数据库 {vendor} / unsupported database {vendor}")
    data_dir = Path(settings.DATA_DIR)
    key = data_dir / "secret_key"
    for name in KEY_FILES:
        if (data_dir / name).is_file():
            shutil.copy2(data_dir / name, dest / name)
    for tree in TREES:
        source = data_dir / tree
        if source.is_dir():
            shutil.copytree(source, dest / tree)
    files = {
        str(path.relative_to(dest)): {"sha256": _sha256(path), "size": path.stat().st_size}
        for path in _files(dest)
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "secret_key_from_environment": not key.is_file(),
        "data_keys_from_environment": not (data_dir / "data_keys.json").is_file(),
        "files": files,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    out(f"备份完成 / backup written: {dest} ({len(files)} files, database: {vendor})")
    return manifest


def verify_backup(source: Path) -> dict:
    """Return the manifest of the backup in ``source`` after checking every file against it."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(
            f"{source} 中没有可读的 manifest.json，不是 gongkai 备份 / "
            f"{source} has no readable manifest.json: not a gongkai backup"
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式不支持 / unsupported backup format {manifest.get('format')}")
    listed = manifest["files"]
    present = {str(p.relative_to(source)) for p in _files(source)} - {"manifest.json"}
    bad = sorted(set(listed) ^ present)
    bad += sorted(
        name
        for name, entry in listed.items()
        if name in present and _sha256(source / name) != entry["sha256"]
    )
    if bad:
        raise BackupError(
            f"备份已损坏或被改动：{', '.join(bad[:10])} / the backup is damaged or changed: "
            f"{', '.join(bad[:10])}"
        )
    return manifest


def _database_has_tables(connection) -> bool:
    return bool(connection.introspection.table_names())


def restore_backup(source: Path, *, force: bool = False, out: Callable[[str], None] = print):
    """Restore the backup in ``source`` into the configured installation."""
    from django.conf import settings
    from django.db import connection

    source = Path(source)
    manifest = verify_backup(source)
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"备份来自 {manifest['database']}，当前数据库是 {vendor} / the backup is of a "
            f"{manifest['database']} database, the installation uses {vendor}"
        )
    data_dir = Path(settings.DATA_DIR)
    occupied = []
    if _database_has_tables(connection):
        occupied.append("数据库 database")
    occupied += [f"{tree}/" for tree in TREES if _files(data_dir / tree)]
    # The key file is always replaced: it belongs to the restored database (sessions, signed
    # tokens). A fresh installation's own key, made when settings first loaded, protected nothing.
    if occupied and not force:
        raise BackupError(
            f"目标已有数据（{', '.join(occupied)}），如确要覆盖请加 --force / the target "
            f"already holds data ({', '.join(occupied)}); add --force to replace it"
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source / SQLITE_FILE)
        try:
            backup.backup(connection.connection)  # replaces every page of the live database
        finally:
            backup.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        args, env = _pg_env(connection.settings_dict)
        _run(["pg_restore", "--no-owner", "--no-privileges", *args, str(source / PG_FILE)], env)
    for tree in TREES:
        target = data_dir / tree
        if target.exists():
            shutil.rmtree(target)
        if (source / tree).is_dir():
            shutil.copytree(source / tree, target)
    for name in KEY_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, data_dir / name)
            (data_dir / name).chmod(0o600)
    out(f"恢复完成 / restored from {source} (database: {vendor}); restart the server")
    return manifest
