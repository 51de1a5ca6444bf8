"""What a searching process keeps between queries is used only at the version it was read at:
a publish, a withdrawal or a rolled-back step in between is seen at once, a month that changes
between the two reads is read again, and reading everything in one statement (the last resort)
gives the same results."""

from datetime import date

import numpy as np
import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from gongkai.publications.models import Publication, State
from gongkai.search import index, kept
from gongkai.search.models import Month
from gongkai.sites.search import scan, search

pytestmark = pytest.mark.django_db(transaction=False)

#: (query, filters): phrases, and one- and two-character queries with a filter (both kept;
#: without a filter a short query reads only sizes, kept nothing).
QUERIES = [
    *((q, {}) for q in ["城乡居民医保", "医保参保", "低保资金发放", "关于城乡", "3月底前"]),
    *((q, {"validity": "in_force"}) for q in ["医保", "低", "3月"]),
]


def item(office, title, body, day=date(2020, 3, 2)):
    p = Publication.objects.create(
        agency=office, title=title, body=body, state=State.PUBLISHED, published_on=day
    )
    index.add_many([p.pk])
    return p


def answers():
    return {q: (search(q, **f).count(), [p.pk for p in search(q, **f)[0:20]]) for q, f in QUERIES}


def like():
    return {q: list(scan(q, **f).values_list("pk", flat=True)) for q, f in QUERIES}


def test_a_change_after_a_query_is_seen_by_the_next(office):
    kept.forget()
    a = item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    assert search("城乡居民医保").count() == 1
    assert search("医保", validity="in_force").count() == 1
    assert kept._bitmaps and kept._tables  # the months read are kept …
    b = item(office, "关于城乡低保资金发放的公示", "城乡居民医保参保人员名单")
    assert [p.pk for p in search("城乡居民医保")[0:5]] == [a.pk, b.pk]  # … and read again
    assert [p.pk for p in search("医保", validity="in_force")[0:5]] == [a.pk, b.pk]
    Publication.objects.filter(pk=a.pk).update(state=State.WITHDRAWN)
    index.add_many([a.pk])
    assert [p.pk for p in search("城乡居民医保")[0:5]] == [b.pk]
    assert [p.pk for p in search("医保", validity="in_force")[0:5]] == [b.pk]
    assert {q: pks for q, (_n, pks) in answers().items()} == like()


def test_a_rolled_back_change_leaves_what_is_kept_true(office):
    kept.forget()
    a = item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    before = answers()
    with transaction.atomic():
        item(office, "城乡居民医保参保", "医保参保", day=date(2020, 3, 9))
        assert search("医保参保").count() == 2  # kept inside the transaction …
        transaction.set_rollback(True)
    assert answers() == before  # … is not taken for the month as it is now
    assert search("医保参保").count() == 1 and search("医保参保")[0:1][0].pk == a.pk


def test_a_month_changed_between_the_two_reads_is_read_again(office, monkeypatch):
    kept.forget()
    item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    versions = kept._versions
    calls = []

    def first_one_stale(first, year):
        out = versions(first, year)
        calls.append(out)
        return {m: v + 1 for m, v in out.items()} if len(calls) == 1 else out

    monkeypatch.setattr(kept, "_versions", first_one_stale)
    assert search("城乡居民医保").count() == 1
    assert len(calls) == 2  # the first read saw another version: asked again


def test_reading_everything_at_once_gives_the_same_results(office, monkeypatch):
    kept.forget()
    item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    item(office, "关于城乡低保资金发放的公示", "城乡居民医保参保人员名单", date(2021, 1, 4))
    expected = answers()
    monkeypatch.setattr(kept, "_read_kept", lambda *args: None)  # months never hold still
    kept.forget()
    assert answers() == expected
    assert {q: pks for q, (_n, pks) in expected.items()} == like()
    assert not kept._bitmaps and not kept._tables  # nothing kept on that path


def test_every_change_gives_the_month_a_new_version(office):
    a = item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    month = index.month_of(a.published_on)
    seen = {Month.objects.get(month=month).version}
    item(office, "另一条", "正文", day=a.published_on)
    seen.add(Month.objects.get(month=month).version)
    Publication.objects.filter(pk=a.pk).update(state=State.WITHDRAWN)
    index.add_many([a.pk])
    seen.add(Month.objects.get(month=month).version)
    assert len(seen) == 3


def test_the_runs_of_a_period_are_counted_without_reading_its_table(office):
    """``runs_in``: a period's runs, items and freed runs alike, as its table holds them."""
    a = item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。")
    item(office, "另一条", "正文", day=a.published_on)
    item(office, "第三条", "正文", day=date(2021, 1, 4))
    Publication.objects.filter(pk=a.pk).update(state=State.WITHDRAWN)
    index.add_many([a.pk])
    periods = sorted(Month.objects.values_list("month", flat=True))
    tables = {m: kept.Table.of(0, Month.objects.get(month=m).slots) for m in periods}
    assert kept.runs_in(periods) == {m: t.runs for m, t in tables.items()}
    assert [t.runs for t in tables.values()] == [2, 1]  # the withdrawn item's run is freed


def test_the_bitmaps_least_recently_used_go_first(office, monkeypatch):
    """Over the budget, what was used longest ago goes: a query asked again keeps its bitmaps
    ahead of one asked after it but not since."""
    kept.forget()
    item(office, "关于城乡居民医保参保的通知", "请于3月底前缴费。城乡低保资金发放。")

    def names(q):
        grams = {"p" + q[i : i + 3] for i in range(len(q) - 2)}
        return {name for name in kept._bitmaps if name[2] in grams}

    search("城乡居民").count()
    search("低保资金").count()
    assert names("城乡居民") and names("低保资金")
    search("城乡居民").count()  # used again: now the most recent
    monkeypatch.setattr(kept, "MAX_BYTES", kept._size)
    search("3月底前").count()  # over the budget: the least recently used go
    assert names("城乡居民") and not names("低保资金")


def placed_month(sizes: list[int], titles: list[int], first_pk: int):
    """A month's items as the index places them (``index._place``: each at the next multiple
    of 64), of the given text sizes and title sizes: (entries with their starts, its table)."""
    entries = [
        index.Entry(first_pk + i, 202001, "t" * title, "x" * (size - 2 - title), "")
        for i, (size, title) in enumerate(zip(sizes, titles, strict=True))
    ]
    rows, placed = index._place(index._table(b""), entries)
    return placed, kept.Table.of(1, index._packed(rows))


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(2, 300), min_size=1, max_size=60), data=st.data())
def test_runs_placed_by_the_index_are_found_by_their_block_alone(sizes, data):
    """Items placed as the index places them give a table whose every run starts at a block,
    so a place's block gives its run as a binary search over the starts does; the table holds
    each item's title size."""
    titles = [data.draw(st.integers(0, size - 2)) for size in sizes]
    placed, table = placed_month(sizes, titles, 1)
    assert [e.slot for e in placed] == table.starts[:-1].tolist()
    assert table.titles[:-1].tolist() == titles and table.items[:-1].tolist() == [
        e.pk for e in placed
    ]
    pool = sorted({p for e in placed for p in range(e.slot, e.slot + e.size())})
    places = np.array(
        sorted(data.draw(st.sets(st.sampled_from(pool), min_size=1, max_size=200))),
        dtype=np.int64,
    )
    want = np.searchsorted(table.starts, places, side="right") - 1
    assert np.array_equal(table.blocks()[places >> kept.BLOCK], want)


@settings(max_examples=150, deadline=None)
@given(
    months=st.lists(st.lists(st.integers(2, 200), min_size=1, max_size=25), min_size=1, max_size=6),
    data=st.data(),
)
def test_places_in_many_months_find_their_items_in_one_pass(months, data):
    """``engine.items_at`` over months joined (``kept.Joined``) gives, for each month's places,
    exactly the items whose runs hold them (each once, in place order) and, among them, those
    whose first place found lies in the title: as worked out month by month by hand."""
    from gongkai.search.engine import items_at

    tables, found, want = {}, [], []
    pk = 1
    for number, sizes in enumerate(months):
        titles = [data.draw(st.integers(0, size - 2)) for size in sizes]
        placed, table = placed_month(sizes, titles, pk)
        pk += len(sizes)
        month = 202001 + number
        tables[month] = table
        pool = sorted({p for e in placed for p in range(e.slot, e.slot + e.size())})
        places = sorted(data.draw(st.sets(st.sampled_from(pool), max_size=120)))
        if not places:
            continue  # the engine looks up only months with places
        found.append((month, BitMap(places)))
        items, titled = [], []
        for e in placed:
            mine = [p for p in places if e.slot <= p < e.slot + e.size()]
            if mine:
                items.append(e.pk)
                if mine[0] < e.slot + len(e.title):
                    titled.append(e.pk)
        want.append((items, titled))
    if data.draw(st.booleans()):  # a month kept, not asked about, before the others
        tables[200001] = placed_month([50, 120], [3, 0], 10_000)[1]
    got = items_at(found, kept.Joined.of(tables))
    assert [(i.tolist(), t.tolist()) for i, t in got] == want


def test_a_table_whose_runs_do_not_start_at_a_block_is_refused():
    """A month's runs must start at a block (every table the index writes does): a table that
    does not would give wrong items, so reading it fails, saying to rebuild the index."""
    aligned = np.array([(0, 7, 2), (64, 8, 1), (100, 0, 0)], "<u4").tobytes()
    assert kept.Table.of(1, aligned).items.tolist() == [7, 8, 0]
    unaligned = np.array([(0, 7, 2), (30, 8, 1), (100, 0, 0)], "<u4").tobytes()
    with pytest.raises(ValueError, match="重建检索索引"):
        kept.Table.of(1, unaligned)
