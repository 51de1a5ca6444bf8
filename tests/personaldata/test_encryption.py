"""Applicants' ID numbers, phones, e-mail and addresses are encrypted at rest (docs/security.md).

Each test looks at what the database really holds (raw SQL, not the model), so it fails if a
column keeps plaintext.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import connection

from gongkai.applications.models import Application, id_number_hash
from gongkai.personaldata import keys
from gongkai.personaldata.keys import DataKeyError
from gongkai.personaldata.rotation import count_by_key, rotate
from gongkai.testing import factories as f
from tests.installation import copy_installation

PERSONAL = ("id_number", "phone", "email", "address")


def raw_row(pk: int) -> dict[str, str]:
    q = connection.ops.quote_name
    columns = [*PERSONAL, "id_number_hash"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM applications_application WHERE id = %s",
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def every_table_text() -> str:
    """Every value of every table as one text: what a stolen copy of the database shows."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


@pytest.fixture
def application(clerk, office):
    return f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))


@pytest.mark.django_db
def test_the_database_holds_no_plaintext_personal_data(application):
    row = raw_row(application.pk)
    plain = {name: getattr(application, name) for name in PERSONAL}
    assert all(plain.values())
    for name in PERSONAL:
        assert row[name].startswith("gk1:"), name
        assert plain[name] not in row[name]
    text = every_table_text()
    for value in plain.values():
        assert value not in text  # nowhere else either (audit log, cache, …)
    fresh = Application.objects.get(pk=application.pk)
    assert {name: getattr(fresh, name) for name in PERSONAL} == plain


@pytest.mark.django_db
def test_equal_values_encrypt_differently_and_the_lookup_hash_is_keyed(clerk, office):
    same = f.resident_id(serial=7)
    a = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=date(2026, 3, 2),
        data=f.person_data(id_number=same),
    )
    b = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=date(2026, 3, 3),
        data=f.person_data(id_number=same),
    )
    ra, rb = raw_row(a.pk), raw_row(b.pk)
    assert ra["id_number"] != rb["id_number"]  # a random nonce: equal numbers are not visible
    assert ra["id_number_hash"] == rb["id_number_hash"] == id_number_hash(same)
    # Keyed: not the plain SHA-256 of the number, which anyone could compute for every number.
    assert ra["id_number_hash"] != hashlib.sha256(same.encode()).hexdigest()
    assert list(Application.objects.filter(id_number_hash=id_number_hash(same.lower()))) == [a, b]
    # The second application is flagged as a repeat of the first, found through the hash.
    assert [flag["application"] for flag in b.repeat_flags] == [a.pk]


@pytest.mark.django_db
def test_an_encrypted_column_refuses_value_lookups(application):
    with pytest.raises(FieldError, match="hash"):
        list(Application.objects.filter(id_number=application.id_number))
    with pytest.raises(FieldError):
        list(Application.objects.filter(phone__startswith="138"))
    assert Application.objects.filter(credit_code="", email="").count() == 0
    assert Application.objects.filter(postcode="").count() == 1


@pytest.mark.django_db
def test_a_value_copied_into_another_column_does_not_open(application):
    row = raw_row(application.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET address = %s WHERE id = %s",
            [row["phone"], application.pk],
        )
    with pytest.raises(DataKeyError, match="does not open"):
        Application.objects.get(pk=application.pk)


@pytest.mark.django_db
def test_the_key_file_is_private_and_its_keys_are_not_in_the_database(application):
    path = Path(settings.DATA_DIR) / keys.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = json.loads(path.read_text())
    text = every_table_text()
    for entry in content["keys"]:
        assert entry["key"] not in text
    assert content["lookup_key"] not in text


@pytest.mark.django_db
def test_keys_from_the_environment_are_used_instead_of_the_file(application, monkeypatch):
    data_key, lookup_key = keys.new_key_text(), keys.new_key_text()
    monkeypatch.setenv("GONGKAI_DATA_KEY", f"5:{data_key}")
    monkeypatch.setenv("GONGKAI_LOOKUP_KEY", lookup_key)
    ring = keys.key_ring()
    assert ring.source == "environment" and ring.current_id == 5
    stored = keys.encrypt("13800000000", context="x.y.z")
    assert stored.startswith("gk1:5:")
    assert keys.decrypt(stored, context="x.y.z") == "13800000000"
    # The rows written under the file's key do not open with the environment's.
    with pytest.raises(DataKeyError, match="not in the key ring"):
        Application.objects.get(pk=application.pk)
    monkeypatch.setenv("GONGKAI_LOOKUP_KEY", "")
    with pytest.raises(DataKeyError, match="GONGKAI_LOOKUP_KEY"):
        keys.key_ring()
    monkeypatch.setenv("GONGKAI_LOOKUP_KEY", "short")
    with pytest.raises(DataKeyError, match="32-byte"):
        keys.key_ring()


@pytest.mark.django_db(transaction=True)
def test_rotation_reencrypts_in_batches_and_resumes_after_an_interruption(clerk, office):
    apps = [
        f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
        for _ in range(5)
    ]
    before = {a.pk: tuple(getattr(a, n) for n in PERSONAL) for a in apps}
    old = keys.key_ring().current_id
    new = keys.add_key()
    assert new == old + 1
    # Interrupted after two batches of two rows: some values under the new key, some not.
    partial = rotate(batch_size=2, max_batches=2)
    assert not partial.finished and partial.values == 4 * 4
    counts = count_by_key()["applications.Application"]
    assert counts[new] == 16 and counts[old] == 4
    # Every value reads back correctly in the middle of the rotation.
    assert {
        a.pk: tuple(getattr(a, n) for n in PERSONAL) for a in Application.objects.all()
    } == before
    # Resumed: only what is left is re-encrypted.
    rest = rotate(batch_size=2)
    assert rest.finished and rest.values == 4
    counts = count_by_key()["applications.Application"]
    assert dict(counts) == {new: 20}
    assert {
        a.pk: tuple(getattr(a, n) for n in PERSONAL) for a in Application.objects.all()
    } == before
    # Repeat look-ups still work: the look-up key does not rotate with the data keys.
    assert Application.objects.filter(id_number_hash=id_number_hash(apps[0].id_number)).exists()


def test_keys_rotate_and_status_as_commands(tmp_path):
    """Real processes on a fresh SQLite installation: rotate adds key 2, --resume adds none."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env["GONGKAI_DATA_DIR"] = str(tmp_path)

    def gongkai(*args):
        return subprocess.run(
            [sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True
        )

    assert gongkai("manage", "migrate", "-v0").returncode == 0
    status = gongkai("keys", "status")
    assert status.returncode == 0, status.stderr
    assert "current key: 1" in status.stdout
    rotated = gongkai("keys", "rotate", "--batch-size", "10")
    assert rotated.returncode == 0, rotated.stderr
    assert "key 2 added" in rotated.stdout and "current key: 2" in rotated.stdout
    resumed = gongkai("keys", "rotate", "--resume")
    assert "added" not in resumed.stdout and "current key: 2" in resumed.stdout
    assert stat.S_IMODE((tmp_path / keys.KEY_FILE).stat().st_mode) == 0o600
    # Keys in the environment: rotate makes no key (the operator adds one there) and uses the
    # highest id given; a malformed key is refused with a message, not a traceback.
    env["GONGKAI_DATA_KEY"] = f"1:{keys.new_key_text()},3:{keys.new_key_text()}"
    env["GONGKAI_LOOKUP_KEY"] = keys.new_key_text()
    from_env = gongkai("keys", "rotate")
    assert from_env.returncode == 0, from_env.stderr
    assert "added" not in from_env.stdout and "current key: 3" in from_env.stdout
    env["GONGKAI_DATA_KEY"] = "1:not-a-key"
    refused = gongkai("keys", "status")
    assert refused.returncode == 2 and "32-byte" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.django_db
def test_the_back_office_shows_neither_the_hash_nor_ciphertext(client, application):
    from gongkai.accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    text = client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert application.reference in text
    assert raw_row(application.pk)["id_number_hash"] not in text and "gk1:" not in text
    assert application.id_number not in text and application.masked_id_number in text


def test_a_rotation_killed_midway_loses_nothing_and_resumes(tmp_path, demo_installation):
    """Real processes on the demo county (SQLite; a copy of the session's `gongkai demo`):
    SIGKILL during `gongkai keys rotate`, then every value still reads, and `--resume` finishes
    the job without a new key."""
    import signal
    import sqlite3
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env["GONGKAI_DATA_DIR"] = str(tmp_path)

    def gongkai(*args):
        return subprocess.run(
            [sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True
        )

    def stored():
        with sqlite3.connect(tmp_path / "gongkai.sqlite3") as db:
            return db.execute(
                "SELECT id, id_number, phone, email, address FROM applications_application"
            ).fetchall()

    def key_ids():
        return sorted({keys.key_id_of(v) for row in stored() for v in row[1:] if v})

    def plaintexts():
        ring = keys._read_file(tmp_path / keys.KEY_FILE)
        names = ("id_number", "phone", "email", "address")
        return {
            row[0]: tuple(
                keys.decrypt(v, context=f"applications.application.{n}", ring=ring) if v else ""
                for n, v in zip(names, row[1:], strict=True)
            )
            for row in stored()
        }

    demo_dir, loaded = demo_installation
    assert loaded.returncode == 0, loaded.stderr
    copy_installation(demo_dir, tmp_path)
    before = plaintexts()
    assert len(before) >= 10 and key_ids() == [1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "keys", "rotate", "--batch-size", "1"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = [process.stdout.readline() for _ in range(4)]  # key added, then three batches
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert "key 2 added" in lines[0] and all("id" in line for line in lines[1:])
    assert plaintexts() == before  # every value opens, under key 1 or key 2
    assert 2 in key_ids()
    resumed = gongkai("keys", "rotate", "--resume", "--batch-size", "3")
    assert resumed.returncode == 0 and "added" not in resumed.stdout
    assert key_ids() == [2] and plaintexts() == before
    stopped = gongkai("keys", "rotate", "--max-batches", "1", "--batch-size", "5")
    assert stopped.returncode == 0 and "--resume" in stopped.stdout and key_ids() == [2, 3]
