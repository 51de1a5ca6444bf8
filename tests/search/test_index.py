"""The search index follows publishing in the same transaction: published → found, corrected
→ the old text gone and the new found, withdrawn → never found, rolled back → unchanged; and,
for generated texts and queries, the index finds exactly what the LIKE scan finds."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from gongkai.publications import services as s
from gongkai.publications.models import Attachment, Publication, State
from gongkai.search import index, kept
from gongkai.search.models import Document, Month, Posting
from gongkai.sites.search import scan, search
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db(transaction=False)


def found(q, **filters):
    return set(search(q, **filters).ids())


def snapshot():
    postings = {(p.key, p.month): bytes(p.bits) for p in Posting.objects.all()}
    documents = set(
        Document.objects.values_list("publication_id", "title", "text", "facets", "slot")
    )
    months = {m.month: bytes(m.slots) for m in Month.objects.all()}
    return postings, documents, months


@pytest.fixture
def item(office, clerk, approver):
    draft = s.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(title="关于城乡居民医保参保缴费的通知", body="<p>请于3月底前缴费。</p>"),
    )
    walk_to_approved(draft, clerk, approver)
    return draft


def test_a_draft_is_not_found_and_publishing_adds_it(item, clerk):
    assert found("医保") == set() and Document.objects.count() == 0
    publish(item, clerk, day=date(2020, 3, 2))
    assert found("医保") == {item.pk} == found("城乡居民医保") == found("3月底")
    assert found("城府办发") == {item.pk}  # the 文号
    assert search("医保").count() == 1 and search("医保")[0:1] == [item]


def test_a_correction_replaces_the_old_text(item, clerk):
    publish(item, clerk)
    s.run_step(
        "correct",
        actor=clerk,
        publication=item,
        data={"title": "关于城乡低保资金发放的公示"},
        reason="标题有误",
    )
    assert found("医保") == set() and found("参保") == set()
    assert found("低保") == {item.pk} == found("低保资金发放")
    assert found("3月底") == {item.pk}  # the body was not changed


def test_a_withdrawn_item_is_never_found(item, clerk):
    publish(item, clerk)
    s.run_step("withdraw", actor=clerk, publication=item, reason="内容已过时")
    for q in ("医保", "医", "城乡居民医保参保", "3月底", "城府办发"):
        assert found(q) == set(), q
    assert not Document.objects.filter(publication=item).exists()
    assert not Posting.objects.filter(key="t医保").exists()


def sizes_agree() -> None:
    """Every posting's stored size is its bitmap's number of values (a count reads only it)."""
    rows = list(Posting.objects.values_list("key", "month", "size", "bits"))
    assert rows
    for key, month, size, bits in rows:
        assert size == len(index.bits_of(bits)), (key, month)


def test_sizes_follow_every_change_and_count_without_reading_bitmaps(item, office, clerk, approver):
    publish(item, clerk, day=date(2020, 3, 2))
    other = s.create_draft(
        actor=clerk, agency=office, data=draft_data(title="医保缴费提醒", body="<p>医保</p>")
    )
    walk_to_approved(other, clerk, approver)
    publish(other, clerk, day=date(2020, 3, 9))
    sizes_agree()
    assert search("医保").count() == 2 == len(search("医保").ids())
    s.run_step(
        "correct", actor=clerk, publication=item, data={"title": "医保缴费须知"}, reason="标题有误"
    )
    sizes_agree()
    results = search("医保")
    assert results.count() == 2 and [p.pk for p in results[0:2]] == [other.pk, item.pk]
    s.run_step("withdraw", actor=clerk, publication=other, reason="内容已过时")
    sizes_agree()
    assert search("医保").count() == 1 and search("医保")[0:5] == [item]


def test_a_rolled_back_step_leaves_the_index_unchanged(item, clerk):
    publish(item, clerk)
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        s.run_step("withdraw", actor=clerk, publication=item, reason="内容已过时")
        assert found("医保") == set()  # inside the transaction it is gone …
        raise RuntimeError("the caller fails after the step")
    assert snapshot() == before  # … and back after the rollback
    assert found("医保") == {item.pk}


def test_validity_and_filters_follow_the_item(item, clerk, office):
    publish(item, clerk, day=date(2021, 5, 6))
    assert found("医保", validity="in_force") == {item.pk}
    assert found("医保", year=2021) == {item.pk} and found("医保", year=2020) == set()
    assert found("医保", agency=office.slug) == {item.pk}
    assert found("医保", agency="no-such") == set()
    assert found("医保", category="a20-13") == {item.pk}
    assert found("医保", category="a20-01") == set()
    s.keep_validity(actor=clerk, publication=item, validity="repealed", on=date(2022, 1, 1))
    assert found("医保", validity="in_force") == set()
    assert found("医保", validity="repealed") == {item.pk}


def test_rebuild_gives_the_same_index(item, clerk):
    publish(item, clerk)
    before = snapshot()
    assert index.rebuild() == 1
    assert snapshot() == before


def test_a_rebuild_a_few_items_at_a_time_gives_the_same_index(office, monkeypatch):
    """A period's postings computed a few entries at a time (``GROUP``) and merged are those
    computed at once."""
    with transaction.atomic():
        for i in range(7):
            Publication.objects.create(
                agency=office, title=f"医保通知{i}", body="<p>城乡居民医保</p>" * (i + 1),
                state=State.PUBLISHED, published_on=date(2020, 1 + i, 3),
            )  # fmt: skip
        index.rebuild()
        whole = snapshot()
        monkeypatch.setattr(index, "GROUP", 2)
        index.rebuild()
        assert snapshot() == whole and len(whole[0]) > 50
        transaction.set_rollback(True)


# --- the property: index == LIKE, for generated texts and queries -------------------------

ALPHABET = "县医保通知低公示2020aAbBx 　，。-%_"
texts = st.text(alphabet=ALPHABET, max_size=30)
rows = st.lists(
    st.tuples(texts, texts, texts, st.booleans(), st.integers(0, 3)), min_size=1, max_size=8
)
queries = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), min_size=1, max_size=6)


#: The places as configured, and a month of 60 places, room for a few items, so that some
#: items get none (and are checked by their text).
LAYOUTS = {"default": index.MAX_PLACES, "tiny": 60}


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=rows, queries=queries)
@example(rows=[("a医保b", "", "", True, 0)], queries=["医保", "A医", "保B", "a医保b", "医保x"])
@example(rows=[("县县", "县县县", "", True, 1)], queries=["县县县", "县县县县"])
def test_the_index_finds_exactly_what_like_finds(office, monkeypatch, layout, rows, queries):
    monkeypatch.setattr(index, "MAX_PLACES", LAYOUTS[layout])
    with transaction.atomic():
        for i, (title, body, attachment, published, month) in enumerate(rows):
            p = Publication.objects.create(
                agency=office,
                title=title,
                doc_number=f"第{i}号",
                body=body,
                state=State.PUBLISHED if published else State.WITHDRAWN,
                published_on=date(2019 + month % 2, 1 + month, 1 + i),  # two years, two periods
            )
            if attachment:
                Attachment.objects.create(
                    publication=p, name="a.pdf", content_type="application/pdf", size=1,
                    text=attachment,
                )  # fmt: skip
        index.rebuild()
        for q in queries:
            if not q.strip():
                continue
            like = list(scan(q).values_list("pk", flat=True))
            results = search(q)
            assert set(results.ids()) == set(like), q
            assert results.count() == len(like)
            assert [p.pk for p in results[0 : len(like)]] == like, q  # the same ranking
        transaction.set_rollback(True)


def test_the_doc_level_keys_are_every_gram_of_each_field():
    entry = index.Entry(7, 202001, "ab县医", index.SEP.join(["x县", "", "医保a"]), "a1 v2")
    bits = index.postings([replace(entry, slot=0)])
    doc_keys = {k for k in bits if k[0] in "gtav"}
    want = {"g" + g for g in index.grams(entry.title) | index.grams(entry.text)}
    want |= {"t" + g for g in index.grams(entry.title)} | {"a1", "v2"}
    assert doc_keys == want
    assert all(list(bits[k]) == [7] for k in want)
    # Places of the three-character grams of "ab县医␟x县␟␟医保a␟" (none holds ␟): "医保a"
    # starts at offset 9; the title is places 0–3.
    places = {k: list(v) for k, v in bits.items() if k[0] == "p"}
    assert places == {"pab县": [0], "pb县医": [1], "p医保a": [9]}
    assert "u" not in bits and set(bits) == doc_keys | set(places)


def published(office, title, body, day, **fields):
    """A published item (not indexed yet)."""
    return Publication.objects.create(
        agency=office, title=title, body=body, state=State.PUBLISHED, published_on=day, **fields
    )


def test_items_lie_side_by_side_and_phrases_never_span_items(office, clerk):
    long_body = "甲" * 5000 + "城乡居民医保" + "乙" * 4000
    a = published(office, "一", long_body, date(2020, 1, 1))
    b = published(office, "乙丙", "保参保", date(2020, 1, 2))
    index.add_many([a.pk, b.pk])
    doc, next_doc = Document.objects.get(publication=a), Document.objects.get(publication=b)
    # "一", SEP, the (empty) 文号, SEP, the body, and the closing SEP: 9,010 places.
    assert index.Entry(a.pk, 0, doc.title, doc.text, "").size() == 1 + 1 + 1 + 9006 + 1
    # b went in first: "乙丙", SEP, SEP "保参保", SEP take places 0–7, and a starts at the next
    # multiple of ALIGN (64), so that no block of 64 places holds two items.
    assert (next_doc.slot, doc.slot) == (0, index.ALIGN) == (0, 64)
    table = kept.Table.of(1, Month.objects.get(month=202001).slots)
    assert table.starts.tolist() == [0, 64, 64 + 9010] and table.titles.tolist() == [2, 1, 0]
    assert table.items.tolist() == [b.pk, a.pk, 0]
    assert found("城乡居民医保") == {a.pk} == found("甲甲甲甲城乡")
    assert found("乙乙乙乙") == {a.pk} and found("乙乙丙") == set()  # a's end, b's title
    assert found("医保参保") == set() and found("参保") == {b.pk}
    assert search("乙丙").count() == 1 and found("乙乙") == {a.pk}


def test_items_without_room_are_checked_by_their_text(office, monkeypatch):
    monkeypatch.setattr(index, "MAX_PLACES", 20)  # one item of the three
    items = [
        published(office, f"关于医保的通知{i}", "参保缴费", date(2020, 1, 1 + i)) for i in range(3)
    ]
    index.add_many([p.pk for p in items])
    slots = dict(Document.objects.values_list("publication_id", "slot"))
    assert sorted(slots.values(), key=str) == [0, None, None]
    assert found("医保的通知") == {p.pk for p in items} == found("参保缴费")
    assert [p.pk for p in search("的通知")[0:3]] == [p.pk for p in reversed(items)]
    assert found("通知0") == {items[0].pk} and found("通知2") == {items[2].pk}
    first = next(pk for pk, slot in slots.items() if slot == 0)
    s_withdraw = Publication.objects.filter(pk=first)
    s_withdraw.update(state=State.WITHDRAWN)
    index.sync(first)
    assert found("参保缴费") == {p.pk for p in items} - {first}
    assert bytes(Month.objects.get(month=202001).slots) == b""


def test_a_phrase_right_after_the_title_is_not_a_title_match(office):
    """A title's matches are the places within its size from the item's start: a phrase
    that begins the 文号, one place past the title's end, ranks with the body's."""
    newer = published(office, "通知", "正文", date(2020, 5, 1), doc_number="城医保〔2020〕1号")
    older = published(office, "关于城医保〔2020〕1号的解读", "正文", date(2020, 4, 1))
    index.add_many([newer.pk, older.pk])
    for q in ("城医保", "城医保〔2020"):
        assert [p.pk for p in search(q)[0:2]] == [older.pk, newer.pk], q
    assert [p.pk for p in search("〔2020〕1号")[0:2]] == [older.pk, newer.pk]


# --- the page: walking the month's items in rank order gives what sorting the ids gives ----


#: How pages are made: every segment walked (as many rows as it takes); walked a few rows at
#: a time (each next read starting after the last row, ties on 发布日期 by id); walked with so
#: few rows allowed that the walk often gives way to the lookup; looked up.
PAGINGS = {
    "walk": {"WALK_FROM": 0, "WALK_ROWS_PER_ID": 10**9},
    "walk in steps": {"WALK_FROM": 0, "WALK_ROWS_PER_ID": 10**9, "WALK_EXTRA": 0},
    "walk, few rows": {"WALK_FROM": 0, "WALK_ROWS_PER_ID": 1, "WALK_EXTRA": 0},
    "lookup": {"WALK_FROM": 10**9},
}


@pytest.mark.parametrize("how", PAGINGS)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    days=st.lists(st.integers(1, 3), min_size=1, max_size=14),
    marked=st.lists(st.booleans(), min_size=14, max_size=14),
    start=st.integers(0, 8),
    size=st.integers(1, 6),
)
def test_every_page_is_ranked_as_the_like_scan(office, monkeypatch, how, days, marked, start, size):
    """Items on a few days of two months in each of two years, so two periods (several a day:
    ties go by id), some holding the query in the title, some in the body: every slice of the
    results is the LIKE scan's, in its order, however pages are made (:data:`PAGINGS`)."""
    from gongkai.search import engine

    for name, value in PAGINGS[how].items():
        monkeypatch.setattr(engine, name, value)
    calls = {"walk": 0, "walked": 0, "lookup": 0}
    walk, lookup = engine.walk, engine.lookup

    def counted_walk(*args):
        calls["walk"] += 1
        page = walk(*args)
        calls["walked"] += page is not None
        return page

    def counted_lookup(*args):
        calls["lookup"] += 1
        return lookup(*args)

    monkeypatch.setattr(engine, "walk", counted_walk)
    monkeypatch.setattr(engine, "lookup", counted_lookup)
    with transaction.atomic():
        for i, day in enumerate(days):
            where = marked[i] and i % 3 == 0  # in the title, else in the body (or not at all)
            Publication.objects.create(
                agency=office,
                title="医保通知" if where else "通知",
                body="<p>医保</p>" if marked[i] and not where else "<p>其他</p>",
                state=State.PUBLISHED,
                published_on=date(2019 + i % 3 // 2, 1 + i % 2, day),
            )
        index.rebuild()
        like = list(scan("医保").values_list("pk", flat=True))
        results = search("医保")
        assert [p.pk for p in results[start : start + size]] == like[start : start + size]
        if like[start : start + size]:
            if how == "lookup":
                assert calls["walk"] == 0 and calls["lookup"] > 0
            else:
                assert calls["walk"] > 0
            if how in ("walk", "walk in steps"):
                assert calls["lookup"] == 0
        transaction.set_rollback(True)


def test_a_walk_reads_on_until_it_has_the_page_or_its_rows_run_out(office, monkeypatch):
    """Forty items on one day (ranked by id alone), the matches the four oldest: the walk
    reads 4, 8, 16 and 32 rows, each read starting after the last row, and finds them; allowed
    fewer rows (three per id: 12), it gives way (None) and the lookup finds them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.search import engine

    monkeypatch.setattr(engine, "WALK_EXTRA", 0)
    with transaction.atomic():
        pks = [
            Publication.objects.create(
                agency=office, title="通知", body="<p>医保</p>" if i < 4 else "<p>其他</p>",
                state=State.PUBLISHED, published_on=date(2020, 3, 5),
            ).pk
            for i in range(40)
        ]  # fmt: skip
        index.rebuild()
        ids = search("医保").ids()
        assert ids == BitMap(pks[:4])
        period = index.month_of(date(2020, 3, 5))
        monkeypatch.setattr(engine, "WALK_ROWS_PER_ID", 25)
        with CaptureQueriesContext(connection) as reads:
            assert engine.walk(period, ids, 0, 1) == [pks[3]]
        assert len(reads) == 4  # 4, 8, 16 and 32 rows (12 left: the period's end)
        assert engine.walk(period, ids, 1, 2) == [pks[2], pks[1]]
        assert engine.walk(period, BitMap(pks[-2:]), 1, 1) == [pks[-2]]  # the second newest
        # A match that is the last row of a read (the eighth newest) is kept once.
        assert engine.walk(period, ids | BitMap([pks[32]]), 0, 2) == [pks[32], pks[3]]
        # Told the period's 40 items, it reads first twice the 10 rows that hold one of the 4
        # ids on average: 20, then 40.
        with CaptureQueriesContext(connection) as reads:
            assert engine.walk(period, ids, 0, 1, 40) == [pks[3]]
        assert len(reads) == 2
        monkeypatch.setattr(engine, "WALK_ROWS_PER_ID", 3)
        with CaptureQueriesContext(connection) as reads:
            assert engine.walk(period, ids, 0, 1, 40) is None  # 20 rows, over the 12 allowed
        assert len(reads) == 0  # not begun
        assert engine.walk(period, ids, 0, 1) is None  # 4 + 8 rows read, 16 more not allowed
        assert engine.lookup(ids, 0, 1) == [pks[3]]
        transaction.set_rollback(True)


def test_on_postgresql_the_rebuild_lays_each_keys_rows_together(item, clerk):
    """PostgreSQL: after a rebuild the postings lie in (key, month) order on disk (CLUSTER),
    so a key's rows of every month are read from neighbouring pages; but the rows of the
    newest month, which publishing writes to, lie together at the end, in (month, key) order."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its rows in rowid order")
    publish(item, clerk)  # the newest month
    for year in (2017, 2018, 2019):
        Publication.objects.create(
            agency=item.agency, title="医保通知", body="<p>医保缴费</p>", state=State.PUBLISHED,
            published_on=date(year, 3, 5),
        )  # fmt: skip
    index.rebuild()
    newest = max(Posting.objects.values_list("month", flat=True))
    assert newest > index.month_of(date(2019, 12, 31))
    with connection.cursor() as cursor:
        cursor.execute('SELECT "key", "month" FROM search_posting ORDER BY ctid')
        on_disk = cursor.fetchall()
        cursor.execute(
            'SELECT "key", "month" FROM search_posting WHERE "month" <> %s ORDER BY "key", "month"',
            [newest],
        )
        older = cursor.fetchall()
        cursor.execute(
            'SELECT "key", "month" FROM search_posting WHERE "month" = %s ORDER BY "key"', [newest]
        )
        recent = cursor.fetchall()
    assert len({month for _k, month in older}) == 3 and recent
    assert on_disk == older + recent


@pytest.mark.parametrize("months", [1, 2, 3, 4, 6, 12])
@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_a_day_lies_in_its_period(months, day):
    """A period (``PERIOD_MONTHS`` months, named by its first month) holds its days and no
    others: from its first day to the day before the next period's first."""
    from unittest import mock

    with mock.patch.object(index, "PERIOD_MONTHS", months):
        period = index.month_of(day)
        first, after = index.month_days(period)
        assert first <= day < after and first.day == 1 == after.day
        assert (after.year - first.year) * 12 + after.month - first.month == months
        assert period == first.year * 100 + first.month and (first.month - 1) % months == 0
        last = after - timedelta(days=1)
        assert index.month_of(first) == index.month_of(last) == period
        assert index.month_of(after) != period != index.month_of(first - timedelta(days=1))
