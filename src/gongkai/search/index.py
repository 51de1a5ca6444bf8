"""Keeping the search index (docs/adr/search-exact-substring.md), in the caller's transaction.

An item is in the index exactly while it is published: :func:`sync` (called by every step of
``gongkai.publications.services`` and by ``keep_validity``) takes it out and puts it back as it
now is, so a correction replaces the old text and a withdrawal removes it, committed or rolled
back with the step. Bulk paths (the import, the demo) call :func:`add_many` or :func:`rebuild`.

What is indexed, per published item, all folded like ``icontains`` on both databases (ASCII
letters to lower case): its text is the title, then 发文字号, body and attachment text, joined
by :data:`SEP`. Per period of 发布日期 (:data:`PERIOD_MONTHS` months, a year; the code and
the columns call a period a *month*, and name it by its first month: 202001 for 2020) there is
one row per key, holding a roaring bitmap:

- of ids: every one- and two-character gram of any field (``g``; no gram spans two fields),
  the title's grams again (``t``: title matches rank first), the filter values (agency,
  catalogue category, validity, the sites whose columns carry it), and ``u``, the items that
  got no positions (only when a month's position space is full);
- of positions: every place of every three-character gram (``p``; a phrase of three or more
  characters is found by the places of the grams that cover it, and a three-character gram is
  far rarer than the two-character ones in it: 工作落到实处 reads about a third of what its
  two-character grams would, 2日工作 a twenty-eighth). An item's text takes a run of its
  month's free places (its *start*, then one place per character and one for the SEP that
  ends it) that starts at the next multiple of :data:`ALIGN`, so items lie side by side, a few
  places apart, and every block of ALIGN places belongs to one item's run: a searching process
  finds a place's item by its block alone (``gongkai.search.kept.Table``).
  :class:`~gongkai.search.models.Month` keeps the starts in order with the item at each and
  the size of its title (the title takes the run's first places: a phrase starting there is a
  title match). A phrase never matches across two items or two fields, since no indexed gram
  holds a SEP.
"""

from __future__ import annotations

import array
import secrets
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from django.db import connection
from pyroaring import BitMap

from gongkai.publications.models import Attachment, Placement, Publication, State
from gongkai.search.models import Document, Month, Posting

#: Joins the fields of an item's text: a query never contains it (control characters are
#: refused), so no match spans two fields.
SEP = "\x1f"
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CHUNK = 900
#: The longest query.
MAX_QUERY = 40
#: Months per period of the index (see the module's docstring): a key has a row per period,
#: and a period a table of places. A year: a phrase found in a fifth of 1,000,000 items
#: (2010–2025) then reads 32 rows instead of 384 and intersects as many bitmaps (the same
#: bytes), and its places find their items in 16 tables instead of 192 (docs/benchmarks.md,
#: 2026-12-06 14:00). A year filter is a period. Changing it needs the index built again
#: (:func:`rebuild`; migration search 0008 did so).
PERIOD_MONTHS = 12
#: Places per month (positions are 31-bit, so a start fits a 32-bit signed column): room for
#: millions of items a month; an item that finds none is in ``u`` and checked by its text.
MAX_PLACES = (1 << 31) - 1
#: Characters per positional gram (``p`` keys, :func:`postings`); ``gongkai.search.engine``
#: covers a phrase with grams of this length.
SPAN = 3
#: An item's first place is a multiple of ALIGN (2^6 = 64): about 32 places unused per item
#: (texts take 350 places on average), so that a block of 64 places never holds two items.
ALIGN_BITS = 6
ALIGN = 1 << ALIGN_BITS


def places_needed(title: str, text: str) -> int:
    """Places for an item's text: the title, SEP, the rest, and the SEP that ends it."""
    return len(title) + 1 + len(text) + 1


def fold(text: str) -> str:
    """``text`` as compared: ASCII letters in lower case (what ``icontains`` folds on SQLite and
    PostgreSQL alike for Latin letters); everything else as it is."""
    return text.translate(_FOLD)


def grams(text: str) -> set[str]:
    """The one- and two-character grams of ``text`` (never one holding :data:`SEP`)."""
    out = set(text)
    out.update(text[i : i + 2] for i in range(len(text) - 1))
    if SEP in text:
        out = {g for g in out if SEP not in g}
    return out


def month_of(day) -> int:
    """The period of ``day``, named by its first month (年×100+月)."""
    return day.year * 100 + (day.month - 1) // PERIOD_MONTHS * PERIOD_MONTHS + 1


@dataclass(frozen=True)
class Entry:
    """One published item as indexed (``slot``: its first place, its *start*; None before it
    has one, or when its month had no room)."""

    pk: int
    month: int
    title: str
    text: str
    facets: str  # space-separated filter keys
    slot: int | None = field(default=None, compare=False)

    def size(self) -> int:
        return places_needed(self.title, self.text)


def _entry(pk, title, doc_number, body, agency_id, category_id, validity, day, texts, sites):
    facets = [f"a{agency_id}", f"v{validity}"]
    if category_id:
        facets.append(f"c{category_id}")
    facets += [f"s{s}" for s in sorted(set(sites))]
    text = SEP.join(fold(x) for x in (doc_number, body, *texts))
    return Entry(pk, month_of(day), fold(title), text, " ".join(facets))


_COLUMNS = (
    "pk",
    "title",
    "doc_number",
    "body",
    "agency_id",
    "category_id",
    "validity",
    "published_on",
)


def _entries(rows: Iterable[tuple], texts: dict, sites: dict) -> list[Entry]:
    out = []
    for pk, title, doc_number, body, agency_id, category_id, validity, day in rows:
        extra = (texts.get(pk, ()), sites.get(pk, ()))
        out.append(
            _entry(pk, title, doc_number, body, agency_id, category_id, validity, day, *extra)
        )
    return out


def entries(pks: Iterable[int]) -> list[Entry]:
    """The entries of the published items among ``pks``."""
    out: list[Entry] = []
    pks = list(pks)
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start : start + _CHUNK]
        rows = Publication.objects.filter(pk__in=chunk, state=State.PUBLISHED)
        texts, sites = _extras(publication__in=chunk)
        out += _entries(rows.values_list(*_COLUMNS), texts, sites)
    return out


def _extras(**where) -> tuple[dict, dict]:
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, text in (
        Attachment.objects.filter(**where).order_by("pk").values_list("publication_id", "text")
    ):
        texts[pk].append(text)
    sites: dict[int, list[int]] = defaultdict(list)
    rows = Placement.objects.filter(site_column__isnull=False, **where)
    for pk, site in rows.values_list("publication_id", "site_column__site_id"):
        sites[pk].append(site)
    return texts, sites


def bits_of(value) -> BitMap:
    """A stored bitmap (bytes, or PostgreSQL's memoryview) as a BitMap; empty for none."""
    return BitMap.deserialize(bytes(value)) if value else BitMap()


def _change(month: int, add: dict[str, BitMap], remove: dict[str, BitMap]) -> None:
    """Add and remove values in the rows of ``month``, locking them (in key order) first.
    The rows are read as bytes (PostgreSQL: binary, not as hex text) and, on PostgreSQL,
    written back in one statement, its arrays sent in binary (``%b``; as text, psycopg escapes
    every bitmap: 0.5 s for a publish's 765 rows): a publish changes some 700 rows, one
    ``UPDATE`` each took most of its time."""
    from gongkai.search.kept import among, fetch

    if add:
        Posting.objects.bulk_create(
            [Posting(key=k, month=month, size=0, bits=b"") for k in sorted(add)],
            ignore_conflicts=True,
            batch_size=500,
        )
    keys = sorted(set(add) | set(remove))
    table = connection.ops.quote_name(Posting._meta.db_table)
    updates, deletes = [], []
    # SQLite has no row locks: its transactions take the database's write lock at BEGIN
    # (IMMEDIATE, gongkai.settings), as the ORM's select_for_update there does nothing.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    for start in range(0, len(keys), _CHUNK):
        where, params = among('"key"', keys[start : start + _CHUNK])
        rows = fetch(
            f'SELECT "id", "key", "bits" FROM {table} WHERE "month" = %s AND {where} '
            f'ORDER BY "key"{lock}',
            [month, *params],
        )
        for pk, key, value in rows:
            bits = bits_of(value)
            if key in add:
                bits |= add[key]
            if key in remove:
                bits -= remove[key]
            if bits:
                bits.run_optimize()
                updates.append((len(bits), bits.serialize(), pk))
            else:
                deletes.append(pk)
    if updates and connection.vendor == "postgresql":
        import psycopg

        sizes, blobs, ids = (list(column) for column in zip(*updates, strict=True))
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f'UPDATE {table} AS p SET "size" = u.size, "bits" = u.bits '
                "FROM unnest(%b::integer[], %b::bytea[], %b::bigint[]) AS u(size, bits, id) "
                'WHERE p."id" = u.id',
                [sizes, blobs, ids],
            )
    elif updates:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET size = %s, bits = %s WHERE id = %s", updates)
    if deletes:
        Posting.objects.filter(pk__in=deletes).delete()


def _gram(code: int) -> str:
    """The gram of a code from :func:`postings`: a character, (c1 + 1) << 21 | c2, or
    (c1 + 1) << 42 | c2 << 21 | c3."""
    if code < 1 << 21:
        return chr(code)
    if code < 1 << 42:
        return chr((code >> 21) - 1) + chr(code & 0x1FFFFF)
    return chr((code >> 42) - 1) + chr((code >> 21) & 0x1FFFFF) + chr(code & 0x1FFFFF)


def _bitmaps(pairs: np.ndarray, names: list[str], prefix: str, out: dict[str, BitMap]) -> None:
    """``pairs`` (name number << 32 | value, sorted) as one bitmap per name."""
    if not len(pairs):
        return
    numbers = pairs >> np.uint64(32)
    values = (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    cuts = (np.flatnonzero(numbers[1:] != numbers[:-1]) + 1).tolist()
    for a, b in zip([0, *cuts], [*cuts, len(pairs)], strict=True):
        out[prefix + names[int(numbers[a])]] = BitMap(array.array("I", values[a:b].tobytes()))


def postings(group: list[Entry]) -> dict[str, BitMap]:
    """Every key's bitmap for ``group``, entries of one month (their ``slot`` set where they
    have one): computed for the whole group at once, on arrays of code points."""
    out: dict[str, BitMap] = {}
    if not group:
        return out
    texts = [e.title + SEP + e.text + SEP for e in group]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(joined, dtype="<u4").astype(np.uint64)
    doc = np.repeat(np.arange(len(group)), lengths)
    offset = np.arange(len(codes), dtype=np.int64) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    title_sizes = np.fromiter((len(e.title) for e in group), dtype=np.int64, count=len(group))
    in_title = offset < title_sizes[doc]
    sep = np.uint64(ord(SEP))
    one = codes != sep
    following = np.append(codes[1:], sep)  # every text ends with SEP: no gram spans two items
    two = one & (following != sep)
    pair_codes = ((codes[two] + np.uint64(1)) << np.uint64(21)) | following[two]
    gram_codes, numbers = np.unique(np.concatenate((codes[one], pair_codes)), return_inverse=True)
    names = [_gram(c) for c in gram_codes.tolist()]
    numbers = numbers.astype(np.uint64).reshape(-1)
    pks = np.fromiter((e.pk for e in group), dtype=np.uint64, count=len(group))
    ids = (numbers << np.uint64(32)) | pks[np.concatenate((doc[one], doc[two]))]
    _bitmaps(np.unique(ids), names, "g", out)
    _bitmaps(np.unique(ids[np.concatenate((in_title[one], in_title[two]))]), names, "t", out)
    # Positions of the three-character grams, for the items that have places.
    third = np.append(following[1:], sep)
    three = two & (third != sep)
    triple_codes = (
        ((codes[three] + np.uint64(1)) << np.uint64(42))
        | (following[three] << np.uint64(21))
        | third[three]
    )
    starts = np.fromiter((-1 if e.slot is None else e.slot for e in group), np.int64, len(group))
    first = starts[doc[three]]
    placed = first >= 0
    if placed.any():
        triples, numbers = np.unique(triple_codes[placed], return_inverse=True)
        where = (first[placed] + offset[three][placed]).astype(np.uint64)
        places = (numbers.astype(np.uint64).reshape(-1) << np.uint64(32)) | where
        places.sort()
        _bitmaps(places, [_gram(c) for c in triples.tolist()], "p", out)
    unplaced = BitMap()
    keys: dict[str, list[int]] = defaultdict(list)
    for e in group:
        if e.slot is None:
            unplaced.add(e.pk)
        for key in e.facets.split():
            keys[key].append(e.pk)
    out.update((key, BitMap(pks)) for key, pks in keys.items())
    if unplaced:
        out["u"] = unplaced
    return out


#: Columns of a month's table (:func:`table_rows`).
START, ITEM, TITLE = 0, 1, 2


def table_rows(value) -> np.ndarray:
    """A month's places as stored (:class:`Month`), read-only: rows (start, item, title size),
    the starts ascending; item 0 is a run no item holds any more, and the last row, (end, 0,
    0), says where the free places begin. No rows for a month without items."""
    return np.frombuffer(bytes(value or b""), dtype="<u4").reshape(-1, 3)


def _table(value) -> np.ndarray:
    """A month's places as rows to change (see :func:`table_rows`), (0, 0, 0) for an empty
    month."""
    table = table_rows(value).astype(np.int64)
    return table if len(table) else np.zeros((1, 3), dtype=np.int64)


def _month_table(month: int) -> np.ndarray:
    """The month's places, its row locked until the transaction ends."""
    Month.objects.bulk_create([Month(month=month)], ignore_conflicts=True)
    value = Month.objects.select_for_update().filter(month=month).values_list("slots", flat=True)
    return _table(value.get())


def _packed(table: np.ndarray) -> bytes:
    """The table as stored: the runs freed at the end given back to the free places (nothing
    at all for a month with no items left)."""
    live = np.flatnonzero(table[:-1, ITEM])
    table = table[: live[-1] + 2] if len(live) else table[:1]
    if len(table) == 1:
        return b""
    table[-1, ITEM:] = 0
    return table.astype("<u4").tobytes()


def _version() -> int:
    """A new version of a month's table: random, so no two states of a month (or of two
    databases) share one, rebuilds and rolled-back transactions included."""
    return secrets.randbits(62)


def _save_table(month: int, table: np.ndarray) -> None:
    Month.objects.filter(month=month).update(slots=_packed(table), version=_version())


def _place(table: np.ndarray, group: list[Entry]) -> tuple[np.ndarray, list[Entry]]:
    """Give each entry a run of the free places at the month's end, starting at the next
    multiple of :data:`ALIGN`; none when the month has no room left (the entry is then in
    ``u``)."""
    end = int(table[-1, START])
    rows, placed = [table[:-1]], []
    added = []
    for entry in group:
        size, start = entry.size(), -(-end // ALIGN) * ALIGN
        if start + size <= MAX_PLACES:
            end = start + size
            added.append((start, entry.pk, len(entry.title)))
        else:
            start = None
        placed.append(replace(entry, slot=start))
    rows.append(np.array(added, dtype=np.int64).reshape(-1, 3))
    rows.append(np.array([[end, 0, 0]], dtype=np.int64))
    return np.concatenate(rows), placed


def _write_documents(group: list[Entry]) -> None:
    table = connection.ops.quote_name(Document._meta.db_table)
    rows = [(e.pk, e.month, e.title, e.text, e.facets, e.slot) for e in group]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (publication_id, month, title, text, facets, slot) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def _entry_of_document(doc: Document) -> Entry:
    return Entry(doc.publication_id, doc.month, doc.title, doc.text, doc.facets, doc.slot)


def remove(pks: Iterable[int]) -> int:
    """Take the items ``pks`` out of the index (those in it); return how many were."""
    docs = list(Document.objects.filter(publication_id__in=list(pks)))
    by_month: dict[int, list[Entry]] = defaultdict(list)
    for doc in docs:
        by_month[doc.month].append(_entry_of_document(doc))
    for month, group in sorted(by_month.items()):
        table = _month_table(month)
        _change(month, {}, _postings_of_many(group))
        gone = [e.slot for e in group if e.slot is not None]
        table[np.isin(table[:, START], gone), ITEM:] = 0  # (no item starts at the end row's)
        _save_table(month, table)
    Document.objects.filter(publication_id__in=[d.publication_id for d in docs]).delete()
    return len(docs)


def add_many(pks: Iterable[int]) -> int:
    """(Re-)index the items ``pks``: the published ones go in as they now are, the others out."""
    pks = list(pks)
    remove(pks)
    found = entries(pks)
    by_month: dict[int, list[Entry]] = defaultdict(list)
    for entry in found:
        by_month[entry.month].append(entry)
    for month, group in sorted(by_month.items()):
        table, group = _place(_month_table(month), group)
        _change(month, _postings_of_many(group), {})
        _write_documents(group)
        _save_table(month, table)
    return len(found)


def sync(publication: Publication | int) -> None:
    """Bring one item's index rows up to its present state (inside the caller's transaction)."""
    pk = publication if isinstance(publication, int) else publication.pk
    new = entries([pk])
    old = Document.objects.filter(publication_id=pk).first()
    if old is None and not new:
        return  # a draft, or an item not published: nothing to do
    if old is not None and new and _entry_of_document(old) == new[0]:
        return
    add_many([pk])


def unindexed() -> bool:
    """Whether some published item is not in the index (bulk rows written past the services,
    such as the demo's, before their :func:`rebuild`)."""
    indexed = Document.objects.values("publication_id")
    return Publication.objects.filter(state=State.PUBLISHED).exclude(pk__in=indexed).exists()


def _months() -> list[int]:
    days = Publication.objects.filter(state=State.PUBLISHED).dates("published_on", "month")
    return sorted({month_of(d) for d in days})


def month_days(month: int) -> tuple[date, date]:
    """The first day of the period named by ``month`` (:func:`month_of`), and the first day
    after it."""
    year, number = divmod(month, 100)
    after = number - 1 + PERIOD_MONTHS
    return date(year, number, 1), date(year + after // 12, after % 12 + 1, 1)


def _month_entries(month: int) -> list[Entry]:
    start, end = month_days(month)
    where = {
        "publication__state": State.PUBLISHED,
        "publication__published_on__gte": start,
        "publication__published_on__lt": end,
    }
    rows = Publication.objects.filter(
        state=State.PUBLISHED, published_on__gte=start, published_on__lt=end
    ).order_by("pk")
    texts, sites = _extras(**where)
    return _entries(rows.values_list(*_COLUMNS).iterator(chunk_size=2000), texts, sites)


#: Entries whose postings :func:`_postings_of_many` computes at once: :func:`postings` holds
#: a few arrays of 8 bytes per character of the group's texts (about 400 characters an item).
GROUP = 20_000


def _postings_of_many(group: list[Entry]) -> dict[str, BitMap]:
    """:func:`postings` of ``group`` (of one month), :data:`GROUP` entries at a time, so
    that a period of any size takes bounded memory."""
    out: dict[str, BitMap] = {}
    for start in range(0, len(group), GROUP):
        for key, bits in postings(group[start : start + GROUP]).items():
            if key in out:
                out[key] |= bits
            else:
                out[key] = bits
    return out


def rebuild(out: Callable[[str], None] | None = None) -> int:
    """Empty the index and build it again from the published items, a period at a time; return
    how many items it holds. Run it inside a transaction to swap the index atomically."""
    # Emptied by plain DELETEs: the ORM's delete() would first read every row as a model
    # instance to send each a post_delete signal (a receiver listens to every model), about
    # 190,000 rows on the demo, 5 s of a 14 s rebuild on PostgreSQL.
    with connection.cursor() as cursor:
        for model in (Posting, Document, Month):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    table = connection.ops.quote_name(Posting._meta.db_table)
    # Rows go in period by period, so their (key, month) index grows by random inserts: on
    # PostgreSQL it is built once at the end instead (a sort); SQLite keeps it inside the table
    # and gets a larger page cache for the rebuild.
    unique = connection.ops.quote_name("search_posting_key_month")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {unique}")
        else:
            cursor.execute("PRAGMA cache_size = -262144")
    total = 0
    months = _months()
    for month in months:
        places, group = _place(_table(b""), _month_entries(month))
        rows = []
        for key, bits in _postings_of_many(group).items():
            bits.run_optimize()
            rows.append((key, month, len(bits), bits.serialize()))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(
                    f'INSERT INTO {table} ("key", "month", "size", "bits") VALUES (%s, %s, %s, %s)',
                    rows[start : start + 5000],
                )
        _write_documents(group)
        Month.objects.create(month=month, slots=_packed(places), version=_version())
        total += len(group)
        if out is not None:
            out(f"{month}: {len(group)}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT {unique} UNIQUE ("key", "month")')
            # Rows were written period by period, so a key's rows (one a period) lie on as many
            # pages, and their bitmaps (TOAST) as far apart: CLUSTER writes the table again in
            # (key, month) order. A phrase's first read at 1,000,000 items in monthly periods,
            # two grams' 384 rows from the operating system's cache: 21–33 ms before, 8–15 ms
            # after (27 s, once).
            cursor.execute(f"CLUSTER {table} USING {unique}")
            # … except the periods that publishing writes to (the newest and this one): their
            # rows go back together at the end, as they lay before, a publish changing some
            # 700 of them (one per key of its text). At 1,000,000 items in monthly periods the
            # newest month's 12,652 rows lay on 12,615 pages after the CLUSTER, on 398 after
            # this; publishing took the same time either way with the database in the OS cache
            # (226–250 ms).
            _gather(cursor, table, sorted({months[-1], month_of(date.today())}) if months else [])
        else:
            cursor.execute("PRAGMA cache_size = -2000")
    return total


def _gather(cursor, table: str, months: list[int]) -> None:
    """Write the posting rows of ``months`` again at the table's end, in (month, key) order
    (PostgreSQL)."""
    cursor.execute(
        f'WITH moved AS (DELETE FROM {table} WHERE "month" = ANY(%s) '
        'RETURNING "id", "key", "month", "size", "bits") '
        f'INSERT INTO {table} ("id", "key", "month", "size", "bits") '
        'SELECT * FROM moved ORDER BY "month", "key"',
        [months],
    )


def stats() -> Iterator[tuple[str, int]]:
    yield "items", Document.objects.count()
    yield "posting rows", Posting.objects.count()
