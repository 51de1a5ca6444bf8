"""索引号 under concurrent publishing: eight clerks publish at the same moment, on real
connections, and get eight different numbers 1–8 (the locked counter of
gongkai.intake.numbering).

On PostgreSQL the threads share the test database. On SQLite the test database lives in
memory, which other connections cannot open like a file, so the committed database is copied
to a file and the threads publish there, with the installation's own SQLite settings (WAL,
IMMEDIATE transactions, the busy timeout).
"""

import sqlite3
import threading
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection, connections

from gongkai.publications import services as s
from gongkai.publications.models import Publication
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, walk_to_approved

N = 8


@contextmanager
def database_for_threads(tmp_path):
    """Inside, threads started open a database they share (see the module docstring)."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrent.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishing_hands_out_each_index_number_once(office, tmp_path):
    clerk = f.staff("clerk", office, "clerk")
    approver = f.staff("approver", office, "approver")
    ids = []
    for i in range(N):
        item = s.create_draft(actor=clerk, agency=office, data=draft_data(title=f"第{i}条"))
        walk_to_approved(item, clerk, approver)
        ids.append(item.pk)
    barrier = threading.Barrier(N)
    errors, numbers = [], []

    def publish(pk):
        try:
            item = Publication.objects.get(pk=pk)
            barrier.wait()
            s.run_step(
                "publish",
                actor=clerk,
                publication=item,
                published_on=date(2020, 6, 1),
                placements=[{"channel": "website", "placed_on": "2020-06-01"}],
            )
            numbers.append(Publication.objects.get(pk=pk).index_number)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    with database_for_threads(tmp_path):
        threads = [threading.Thread(target=publish, args=(pk,)) for pk in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors, errors
    assert sorted(numbers) == [f"{office.slug}/2020-{n:05d}" for n in range(1, N + 1)]
