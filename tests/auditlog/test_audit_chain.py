"""The audit log is tamper-evident: every row is sealed to the one before it by a keyed hash
(gongkai.auditlog.chain), and `gongkai audit-log verify` names an edited, deleted or inserted
row. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import csv
import io
import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections, transaction

from gongkai.auditlog import chain
from gongkai.auditlog.models import AuditChainHead, AuditEntry
from gongkai.auditlog.services import record
from gongkai.cli import main
from gongkai.testing import factories as f


@pytest.fixture
def office(db):
    gov = f.agency("gov", "城口县人民政府")
    return f.agency("office", "城口县人民政府办公室", parent=gov)


def write(office, n, *, actor=None, start=0):
    entries = []
    for i in range(start, start + n):
        with transaction.atomic():
            entries.append(
                record(
                    actor=actor,
                    action="touch",
                    obj=office,
                    label="测试",
                    before={"n": i},
                    after={"n": i + 1, "x": 0.1, "big": 10**16},
                    data={"名": "张三", "list": [1, 2]},
                    note=f"第{i}次",
                )
            )
    return entries


def findings():
    _checked, found = chain.verify()
    return [(x.kind, x.entry_id, x.seq) for x in found]


def test_rows_are_sealed_in_order_and_verify(office):
    entries = write(office, 5)
    rows = list(AuditEntry.objects.order_by("pk"))
    assert [r.seq for r in rows][-5:] == list(range(rows[-5].seq, rows[-5].seq + 5))
    assert all(len(r.chain) == 64 for r in rows)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.digest, head.last_id) == (rows[-1].seq, rows[-1].chain, entries[-1].pk)
    checked, found = chain.verify()
    assert checked == len(rows) and found == []


def test_an_edited_row_is_named(office):
    entries = write(office, 5)
    AuditEntry.objects.filter(pk=entries[2].pk).update(note="改过了")
    assert findings() == [("edited", entries[2].pk, entries[2].seq)]


def test_an_edited_json_field_or_time_or_actor_is_named(office):
    entries = write(office, 4)
    AuditEntry.objects.filter(pk=entries[1].pk).update(after={"n": 99})
    AuditEntry.objects.filter(pk=entries[3].pk).update(actor_name="someone")
    assert findings() == [
        ("edited", entries[1].pk, entries[1].seq),
        ("edited", entries[3].pk, entries[3].seq),
    ]


def test_a_deleted_row_is_named_by_its_place(office):
    entries = write(office, 5)
    AuditEntry.objects.filter(pk__in=[entries[1].pk, entries[2].pk]).delete()
    found = chain.verify()[1]
    assert [(x.kind, x.entry_id) for x in found] == [("deleted", entries[3].pk)]
    assert f"{entries[1].seq}–{entries[2].seq}" in found[0].message


def test_rows_cut_off_the_end_are_seen_by_the_head(office):
    entries = write(office, 4)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    assert findings() == [("deleted", entries[-1].pk, entries[-1].seq)]


def test_the_end_cut_off_with_a_rewritten_head_is_caught_by_an_export_anchor(office):
    entries = write(office, 4)
    anchor = (entries[-1].seq, entries[-1].chain)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    AuditChainHead.objects.filter(pk=1).update(
        seq=entries[-2].seq, digest=entries[-2].chain, last_id=entries[-2].pk
    )
    assert findings() == []  # without an anchor, a clean cut with a rewritten head is invisible
    found = chain.verify(anchor=anchor)[1]
    assert [(x.kind, x.seq) for x in found] == [("anchor", entries[-1].seq)]


def test_rows_sealed_while_verify_runs_are_not_flagged(office):
    """verify reads the head, then the rows: a row a running server sealed in between comes
    after the head it read, sealed to it (here: the head as it was one row earlier)."""
    entries = write(office, 3)
    AuditChainHead.objects.filter(pk=1).update(
        seq=entries[-2].seq, digest=entries[-2].chain, last_id=entries[-2].pk
    )
    assert findings() == []
    AuditEntry.objects.filter(pk=entries[-1].pk).update(note="改")  # still checked
    # Past the head it read, verify cannot tell an edited new row from a forged one: named.
    [(kind, entry_id, _seq)] = findings()
    assert entry_id == entries[-1].pk and kind in ("edited", "inserted")


def test_an_inserted_unsealed_row_is_named(office):
    entries = write(office, 3)
    forged = AuditEntry.objects.create(action="touch", agency=office, note="补记")  # not record()
    assert forged.pk > entries[-1].pk
    assert findings() == [("inserted", forged.pk, None)]


def test_a_row_inserted_with_a_forged_seal_between_rows_is_named(office):
    entries = write(office, 2)
    # Leave a free id between two sealed rows (ids are never reused), as a rolled-back
    # transaction does on PostgreSQL, then forge a row in it, copying a neighbour's digest.
    free = AuditEntry.objects.create(action="placeholder")
    free_id = free.pk
    free.delete()
    after = write(office, 1, start=5)[0]
    assert after.pk > free_id > entries[-1].pk
    forged = AuditEntry.objects.create(
        id=free_id, action="touch", agency=office, seq=10**9, chain=entries[0].chain
    )
    assert findings() == [("inserted", forged.pk, 10**9)]


def test_a_row_inserted_at_the_end_with_a_forged_seal_is_named(office):
    entries = write(office, 3)
    forged = AuditEntry.objects.create(
        action="touch", agency=office, seq=entries[-1].seq + 1, chain="0" * 64
    )
    assert findings() == [("inserted", forged.pk, entries[-1].seq + 1)]


def test_another_key_proves_nothing(office, monkeypatch):
    write(office, 2)
    assert findings() == []
    monkeypatch.setenv("GONGKAI_AUDIT_KEY", "a different key")
    assert {kind for kind, *_ in findings()} == {"edited"}


def test_the_key_is_a_private_file_in_the_data_directory_not_in_the_database(office, settings):
    write(office, 1)
    path = settings.DATA_DIR / chain.KEY_FILE
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    key = path.read_text().strip()
    assert len(key) >= 40
    for row in AuditEntry.objects.all():
        assert key not in chain.canonical(row).decode() and key not in row.chain


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_row_gives_its_place_back(office):
    write(office, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, action="touch", obj=office)
        raise RuntimeError("the change failed")
    entries = write(office, 1, start=9)
    seqs = list(AuditEntry.objects.order_by("pk").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and entries[0].seq == len(seqs)
    assert findings() == []


# -- the commands --------------------------------------------------------------------------


def test_verify_command_exits_1_naming_the_row(office, capsys):
    entries = write(office, 3)
    assert main(["audit-log", "verify"]) == 0
    assert "链完整" in capsys.readouterr().out
    AuditEntry.objects.filter(pk=entries[1].pk).update(object_repr="别的")
    assert main(["audit-log", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"edited: 第 {entries[1].pk} 行已被改动" in captured.out
    assert "断裂" in captured.err


def test_verify_command_takes_an_anchor(office, capsys):
    entries = write(office, 2)
    assert main(["audit-log", "verify", "--anchor", f"{entries[-1].seq}:{entries[-1].chain}"]) == 0
    assert main(["audit-log", "verify", "--anchor", f"{entries[-1].seq}:{'f' * 64}"]) == 1
    assert main(["audit-log", "verify", "--anchor", "bad"]) == 2
    assert "SEQ:DIGEST" in capsys.readouterr().err


def test_export_json_and_csv_with_filters(office, capsys, tmp_path):
    other = f.agency("town", "某镇人民政府")
    write(office, 2)
    write(other, 1)
    assert main(["audit-log", "export", "--format", "json", "--agency", "gov"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert {row["agency_id"] for row in document["rows"]} == {office.pk}  # the subtree of gov
    assert len(document["rows"]) == AuditEntry.objects.filter(agency=office).count()
    head = AuditChainHead.objects.get(pk=1)
    assert document["head"] == {"seq": head.seq, "digest": head.digest}
    assert f"{head.seq}:{head.digest}" in captured.err
    assert document["rows"][0]["data"] == {"名": "张三", "list": [1, 2]}

    out = tmp_path / "log.csv"
    assert main(["audit-log", "export", "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == AuditEntry.objects.count()
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)
    assert json.loads(rows[-1]["after"])["n"] == 1 and rows[-1]["agency_id"] == str(other.pk)

    assert main(["audit-log", "export", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == []
    assert main(["audit-log", "export", "--since", "yesterday"]) == 2
    assert main(["audit-log", "export", "--agency", "nowhere"]) == 2


# -- concurrent writers --------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database is not shared between threads like a file "
    "(SQLite is tested with processes below)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_make_one_unbroken_chain(office):
    writers, each = 6, 10
    barrier = threading.Barrier(writers)
    errors = []

    def worker(w):
        try:
            barrier.wait()
            write(office, each, start=w * 100)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    seqs = list(AuditEntry.objects.order_by("pk").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # after the calendar's seeded rows
    assert AuditEntry.objects.filter(action="touch").count() == writers * each
    assert findings() == []


WRITER = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
import django
django.setup()
from django.db import transaction
from gongkai.agencies.models import Agency
from gongkai.auditlog.services import record
office = Agency.objects.get(slug="office")
sys.stdin.readline()  # wait for the start signal, so the writers overlap
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        record(actor=None, action="touch", obj=office, data={"writer": os.getpid(), "i": i})
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL is tested with threads")
def test_concurrent_writer_processes_on_sqlite_make_one_unbroken_chain(tmp_path):
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    gongkai = [sys.executable, "-m", "gongkai"]
    subprocess.run([*gongkai, "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [
            *gongkai,
            "manage",
            "shell",
            "-c",
            "from gongkai.agencies.models import Agency; Agency.objects.create(slug='office', name='办公室')",
        ],
        env=env,
        check=True,
    )
    writers, each = 4, 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(each)], env=env, stdin=subprocess.PIPE, text=True
        )
        for _ in range(writers)
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    assert [proc.wait() for proc in procs] == [0] * writers
    done = subprocess.run(
        [*gongkai, "audit-log", "verify"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "链完整" in done.stdout
    seqs = subprocess.run(
        [
            *gongkai,
            "manage",
            "shell",
            "-v0",
            "-c",
            "from gongkai.auditlog.models import AuditEntry;"
            "print(list(AuditEntry.objects.order_by('pk').values_list('seq', 'action')))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = json.loads(seqs.replace("(", "[").replace(")", "]").replace("'", '"'))
    # The migrations' own rows (the holiday calendar seeded) come first, sealed by migrate.
    assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1))
    assert sum(action == "touch" for _, action in rows) == writers * each


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_seals_rows_written_before_the_chain(office):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("auditlog", "0001_initial")])
    old = executor.loader.project_state([("auditlog", "0001_initial")]).apps
    OldEntry = old.get_model("auditlog", "AuditEntry")
    OldEntry.objects.all().delete()
    for i in range(5):
        OldEntry.objects.create(action="old", object_repr=f"旧记录{i}", data={"i": i})
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = list(AuditEntry.objects.order_by("pk"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5] and all(r.chain for r in rows)
    assert findings() == []
    write(office, 1)  # new rows continue the chain
    assert AuditEntry.objects.order_by("-pk").first().seq == 6 and findings() == []
    AuditEntry.objects.filter(seq=3).update(note="改")
    assert findings() == [("edited", rows[2].pk, 3)]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one write lock: nothing to order"
)
@pytest.mark.django_db(transaction=True)
def test_numbering_after_an_audit_row_never_deadlocks_with_a_submission(office):
    """A transfer writes its audit row (holding the chain's head), then numbers the new
    application; a submission numbers first, then writes its row. Both take the head before
    the counter, so they queue instead of deadlocking. No clock: the transfer waits until
    PostgreSQL shows the submission waiting for a lock."""
    from gongkai.intake.numbering import next_number

    holding = threading.Event()
    errors, numbers = [], []

    def transfer():
        try:
            with transaction.atomic():
                record(actor=None, action="transfer", obj=office)  # the head is held now
                holding.set()
                wait_for_a_lock_waiter()
                numbers.append(next_number(agency_id=office.pk, series="t", year=2026))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    def submission():
        try:
            holding.wait()
            with transaction.atomic():
                numbers.append(next_number(agency_id=office.pk, series="t", year=2026))
                record(actor=None, action="submit", obj=office)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=transfer), threading.Thread(target=submission)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(numbers) == [1, 2] and findings() == []


def wait_for_a_lock_waiter():
    """Return once another session of this database waits for a lock (a fresh connection)."""
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        autocommit=True,
    ) as watcher:
        while not watcher.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]:
            watcher.execute("SELECT pg_sleep(0.05)")
