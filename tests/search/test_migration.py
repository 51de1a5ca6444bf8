"""The upgrade that put each run's title size into its month's table (search 0007): the size
comes from the title places the index kept under ``T`` before, which then go; a database
written by the present code is left as it is. On SQLite and PostgreSQL (run with DATABASE_URL
for the latter)."""

from __future__ import annotations

import numpy as np
import pytest
from pyroaring import BitMap

from gongkai.search.index import table_rows
from gongkai.testing.migrations import migrate, migrate_to_latest

BEFORE = [("search", "0006_three_character_places")]
AFTER = [("search", "0007_title_sizes_in_tables")]


@pytest.fixture(autouse=True)
def latest_after():
    """0007 is not the latest migration: the database goes back to the latest after each test
    (on PostgreSQL the next test module's commands refused it as unmigrated)."""
    yield
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_title_sizes_come_from_the_title_places():
    old = migrate(BEFORE)
    Month, Posting = old.get_model("search", "Month"), old.get_model("search", "Posting")
    # Two months as the index wrote them before: rows (start, item), the last (end, 0); a
    # freed run (item 0) has no title places left.
    runs = {202001: [(0, 7), (64, 0), (128, 9), (200, 0)], 202002: [(0, 3), (64, 0)]}
    titles = {202001: [*range(0, 4), *range(128, 134)], 202002: [0, 1]}
    for month, rows in runs.items():
        Month.objects.create(month=month, version=5, slots=np.array(rows, "<u4").tobytes())
        Posting.objects.create(key="T", month=month, size=0, bits=BitMap(titles[month]).serialize())
        Posting.objects.create(key="p医保局", month=month, size=1, bits=BitMap([1]).serialize())
    Month.objects.create(month=202003, version=5, slots=b"")

    new = migrate(AFTER)
    Month, Posting = new.get_model("search", "Month"), new.get_model("search", "Posting")
    tables = {m: table_rows(s).tolist() for m, s in Month.objects.values_list("month", "slots")}
    assert tables == {
        202001: [[0, 7, 4], [64, 0, 0], [128, 9, 6], [200, 0, 0]],
        202002: [[0, 3, 2], [64, 0, 0]],
        202003: [],
    }
    assert (
        set(Month.objects.filter(month__lt=202003).values_list("version", flat=True)) & {5} == set()
    )
    assert sorted(Posting.objects.values_list("key", "month")) == [
        ("p医保局", 202001),
        ("p医保局", 202002),
    ]


@pytest.mark.django_db(transaction=True)
def test_tables_written_by_the_present_code_stay_as_they_are():
    old = migrate(BEFORE)
    Month = old.get_model("search", "Month")
    slots = np.array([(0, 7, 4), (64, 0, 0)], "<u4").tobytes()
    Month.objects.create(month=202001, version=5, slots=slots)

    new = migrate(AFTER)
    assert list(new.get_model("search", "Month").objects.values_list("version", "slots")) == [
        (5, slots)
    ]
