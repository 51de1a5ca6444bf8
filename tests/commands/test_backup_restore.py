"""``gongkai backup`` and ``gongkai restore``: a round trip gives back every table and file.

Runs on the database of the test run (SQLite, or PostgreSQL with DATABASE_URL): the demo
county with an attachment, letters and a local template, backed up, then changed beyond
recognition, then restored — every row of every table and every file must be as before.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from gongkai.accounts.models import User
from gongkai.applications.models import Application, Attachment
from gongkai.backup import BackupError, make_backup, restore_backup, verify_backup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]


def snapshot_tables() -> dict[str, list[tuple]]:
    """Every row of every table, sorted (the cache table included)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def snapshot_files() -> dict[str, str]:
    root = Path(settings.DATA_DIR)
    found = {}
    for tree in ("media", "templates"):
        for path in sorted((root / tree).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    for key in ("secret_key", "data_keys.json"):
        found[key] = hashlib.sha256((root / key).read_bytes()).hexdigest()
    return found


def applicants() -> dict[int, tuple[str, str, str, str]]:
    """The decrypted personal data of every application (needs the right keys)."""
    return {
        a.pk: (a.id_number, a.phone, a.email, a.address) for a in Application.objects.order_by("pk")
    }


@pytest.fixture
def installation(demo_county):
    data_dir = Path(settings.DATA_DIR)
    for tree in ("media", "templates"):  # start from this test's files only
        if (data_dir / tree).exists():
            import shutil

            shutil.rmtree(data_dir / tree)
    application = Application.objects.filter(agency__slug="county-office").first()
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.ID_COPY,
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("id.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    (data_dir / "templates" / "letters").mkdir(parents=True)
    (data_dir / "templates" / "letters" / "receipt.txt").write_text("本地模板", encoding="utf-8")
    from django.core.cache import cache

    cache.set("ratelimit:apply:10.0.0.1", 3, timeout=None)
    return data_dir


def test_round_trip_gives_back_every_table_and_file(installation, tmp_path):
    tables, files, people = snapshot_tables(), snapshot_files(), applicants()
    assert len(tables["applications_application"]) >= 10 and len(files) >= 4
    assert any(id_number for id_number, *_ in people.values())
    dest = tmp_path / "backup"
    manifest = make_backup(dest, out=lambda _line: None)
    assert manifest["database"] == connection.vendor
    assert {"secret_key", "data_keys.json", "media/applications"} <= {
        "/".join(name.split("/")[:2]) for name in manifest["files"]
    }

    # Change everything: rows deleted and edited, files removed and added, another key.
    from gongkai.appeals.models import Case

    # a review or suit protects the application it is about (and a review the suit after it)
    Case.objects.exclude(after_review_of=None).delete()
    Case.objects.all().delete()
    Application.objects.filter(agency__slug="county-office").delete()
    User.objects.filter(username="clerk").update(display_name="改过")
    for path in (installation / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    (installation / "media" / "stray.txt").write_text("x")
    (installation / "secret_key").write_text("another-key\n")
    # Other personal-data keys: the encrypted columns no longer open.
    from gongkai.personaldata.keys import DataKeyError

    (installation / "data_keys.json").unlink()
    with pytest.raises(DataKeyError, match="does not open|not in the key ring"):
        applicants()
    assert snapshot_tables() != tables

    with pytest.raises(BackupError, match="--force"):
        restore_backup(dest, out=lambda _line: None)
    restore_backup(dest, force=True, out=lambda _line: None)
    assert snapshot_tables() == tables
    assert snapshot_files() == files
    assert applicants() == people  # the keys came back with the data they encrypt


def test_a_changed_backup_is_refused_before_anything_is_touched(installation, tmp_path):
    dest = tmp_path / "backup"
    make_backup(dest, out=lambda _line: None)
    before = snapshot_tables()
    attachment = next(p for p in (dest / "media").rglob("*.pdf"))
    attachment.write_bytes(b"%PDF-1.4\nchanged")
    with pytest.raises(BackupError, match="changed"):
        restore_backup(dest, force=True, out=lambda _line: None)
    attachment.unlink()
    with pytest.raises(BackupError, match="damaged"):
        verify_backup(dest)
    assert snapshot_tables() == before


def test_backup_refuses_a_directory_that_is_not_empty(installation, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        make_backup(tmp_path, out=lambda _line: None)


def test_the_manifest_lists_every_file_with_its_checksum(installation, tmp_path):
    dest = tmp_path / "b"
    make_backup(dest, out=lambda _line: None)
    manifest = json.loads((dest / "manifest.json").read_text())
    on_disk = {str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == on_disk - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((dest / name).read_bytes()).hexdigest() == entry["sha256"]


def test_the_commands_as_a_person_runs_them(tmp_path):
    """Real processes on SQLite: back up a running installation's data directory, restore it
    into a new one, and be refused the second time without --force."""
    import os
    import sqlite3
    import subprocess
    import sys

    def gongkai(data_dir, *args):
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
        env["GONGKAI_DATA_DIR"] = str(data_dir)
        return subprocess.run(
            [sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True
        )

    source, target, backup = tmp_path / "source", tmp_path / "target", tmp_path / "backup"
    assert gongkai(source, "manage", "migrate", "-v0").returncode == 0
    made = gongkai(source, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    restored = gongkai(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()
    tables = "SELECT count(*) FROM django_migrations"
    assert (
        sqlite3.connect(target / "gongkai.sqlite3").execute(tables).fetchone()
        == sqlite3.connect(source / "gongkai.sqlite3").execute(tables).fetchone()
    )
    again = gongkai(target, "restore", str(backup))
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
    assert gongkai(target, "restore", str(backup), "--force").returncode == 0
