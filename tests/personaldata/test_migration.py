"""The upgrade from the previous schema (applications 0006, plaintext columns) encrypts every
existing row and writes its look-up hash; going back decrypts. On SQLite and PostgreSQL (run
with DATABASE_URL for the latter)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.personaldata.keys import decrypt, lookup_hash
from gongkai.testing.migrations import migrate

BEFORE = [("applications", "0006_letters_on_the_platform")]
AFTER = [("applications", "0007_personal_data_encrypted")]
ID = "50022919900101123X"


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_by_the_upgrade_and_decrypted_by_a_downgrade():
    old = migrate(BEFORE)
    Agency = old.get_model("agencies", "Agency")
    Application = old.get_model("applications", "Application")
    agency = Agency.objects.create(slug="old", name="旧机关")
    common = dict(
        agency=agency,
        reference_year=2025,
        channel="in_person",
        submitted_at="2025-03-01T09:00:00+08:00",
        state="registered",
        applicant_kind="natural_person",
        applicant_name="张三",
        description="旧申请",
    )
    person = Application.objects.create(
        tracking_code="AAAABBBBCCCC",
        reference_serial=1,
        id_number=ID,
        phone="13812345678",
        email="z@example.com",
        address="重庆市城口县葛城街道北大街12号",
        **common,
    )
    blank = Application.objects.create(tracking_code="AAAABBBBDDDD", reference_serial=2, **common)

    new = migrate(AFTER)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, id_number, phone, email, address, {q('id_number_hash')}"
            " FROM applications_application ORDER BY id"
        )
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    id_number, phone, email, address, hashed = rows[person.pk]
    for stored in (id_number, phone, email, address):
        assert stored.startswith("gk1:")
    assert ID not in id_number and "13812345678" not in phone
    assert decrypt(id_number, context="applications.application.id_number") == ID
    assert hashed == lookup_hash(ID, purpose="id_number")
    assert rows[blank.pk] == ("", "", "", "", "")
    upgraded = new.get_model("applications", "Application").objects.get(pk=person.pk)
    assert (upgraded.id_number, upgraded.phone, upgraded.address) == (
        ID,
        "13812345678",
        "重庆市城口县葛城街道北大街12号",
    )

    migrate(BEFORE)  # and back: plaintext again, as the old code expects
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM applications_application WHERE id = %s", [person.pk]
        )
        assert cursor.fetchone() == (ID, "13812345678")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # applications 0009 hashes the phones already stored, for the queue's search.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {q('phone_hash')} FROM applications_application ORDER BY id",
        )
        hashes = dict(cursor.fetchall())
    assert hashes[person.pk] == lookup_hash("13812345678", purpose="phone")
    assert hashes[blank.pk] == ""
