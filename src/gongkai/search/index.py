"""Keeping the search index (docs/adr/search-exact-substring.md), in the caller's transaction.

An item is in the index exactly while it is published: :func:`sync` (called by every step of
``gongkai.publications.services`` and by ``keep_validity``) takes it out and puts it back as it
now is, so a correction replaces the old text and a withdrawal removes it, committed or rolled
back with the step. Bulk paths (the import, the demo) call :func:`add_many` or :func:`rebuild`.

What is indexed, per published item: every character and every pair of adjacent characters
(one- and two-character grams) of the title, 发文字号, body and attachment text, each field on
its own (no gram spans two fields), folded like ``icontains`` on both databases (ASCII letters
to lower case); the title's grams again under their own key (title matches rank first); and the
filter values (agency, catalogue category, validity, the sites whose columns carry it). Each key
has one row per month of 发布日期 holding the ids as a roaring bitmap.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from pyroaring import BitMap

from gongkai.publications.models import Attachment, Placement, Publication, State
from gongkai.search.models import Document, Month, Posting, Verified

#: Joins the fields of an item's text: a query never contains it (control characters are
#: refused), so no match spans two fields.
SEP = "\x1f"
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CHUNK = 900


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
    return day.year * 100 + day.month


@dataclass(frozen=True)
class Entry:
    """One published item as indexed."""

    pk: int
    month: int
    title: str
    text: str
    facets: str  # space-separated filter keys

    def index_keys(self) -> set[str]:
        title = grams(self.title)
        keys = {"g" + g for g in title | grams(self.text)}
        keys.update("t" + g for g in title)
        keys.update(self.facets.split())
        return keys


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
    """Add and remove ids in the rows of ``month``, locking them (in key order) first."""
    if add:
        Posting.objects.bulk_create(
            [Posting(key=k, month=month, bits=b"") for k in sorted(add)],
            ignore_conflicts=True,
            batch_size=500,
        )
    keys = sorted(set(add) | set(remove))
    updates, deletes = [], []
    for start in range(0, len(keys), _CHUNK):
        rows = (
            Posting.objects.select_for_update()
            .filter(month=month, key__in=keys[start : start + _CHUNK])
            .order_by("key")
            .values_list("pk", "key", "bits")
        )
        for pk, key, value in rows:
            bits = bits_of(value)
            if key in add:
                bits |= add[key]
            if key in remove:
                bits -= remove[key]
            if bits:
                bits.run_optimize()
                updates.append((bits.serialize(), pk))
            else:
                deletes.append(pk)
    table = connection.ops.quote_name(Posting._meta.db_table)
    with connection.cursor() as cursor:
        if updates:
            cursor.executemany(f"UPDATE {table} SET bits = %s WHERE id = %s", updates)
    if deletes:
        Posting.objects.filter(pk__in=deletes).delete()
    # Verified matches of this month are stale now (docs/adr/search-exact-substring.md).
    Month.objects.bulk_create([Month(month=month, generation=0)], ignore_conflicts=True)
    Month.objects.filter(month=month).update(generation=F("generation") + 1)
    Verified.objects.filter(month=month).delete()


def _by_key(group: Iterable[Entry]) -> dict[str, BitMap]:
    ids: dict[str, list[int]] = defaultdict(list)
    for entry in group:
        for key in entry.index_keys():
            ids[key].append(entry.pk)
    return {key: BitMap(pks) for key, pks in ids.items()}


def _write_documents(group: list[Entry]) -> None:
    table = connection.ops.quote_name(Document._meta.db_table)
    rows = [(e.pk, e.month, e.title, e.text, e.facets) for e in group]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (publication_id, month, title, text, facets) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def _entry_of_document(doc: Document) -> Entry:
    return Entry(doc.publication_id, doc.month, doc.title, doc.text, doc.facets)


def remove(pks: Iterable[int]) -> int:
    """Take the items ``pks`` out of the index (those in it); return how many were."""
    docs = list(Document.objects.filter(publication_id__in=list(pks)))
    by_month: dict[int, list[Entry]] = defaultdict(list)
    for doc in docs:
        by_month[doc.month].append(_entry_of_document(doc))
    for month, group in by_month.items():
        _change(month, {}, _by_key(group))
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
        _change(month, _by_key(group), {})
        _write_documents(group)
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


def _months() -> list[int]:
    days = Publication.objects.filter(state=State.PUBLISHED).dates("published_on", "month")
    return sorted({month_of(d) for d in days})


def _month_entries(month: int) -> list[Entry]:
    year, number = divmod(month, 100)
    where = {
        "publication__state": State.PUBLISHED,
        "publication__published_on__year": year,
        "publication__published_on__month": number,
    }
    rows = Publication.objects.filter(
        state=State.PUBLISHED, published_on__year=year, published_on__month=number
    ).order_by("pk")
    texts, sites = _extras(**where)
    return _entries(rows.values_list(*_COLUMNS).iterator(chunk_size=2000), texts, sites)


def rebuild(out: Callable[[str], None] | None = None) -> int:
    """Empty the index and build it again from the published items, a month at a time; return
    how many items it holds. Run it inside a transaction to swap the index atomically."""
    Posting.objects.all().delete()
    Document.objects.all().delete()
    Verified.objects.all().delete()
    Month.objects.update(generation=F("generation") + 1)
    table = connection.ops.quote_name(Posting._meta.db_table)
    # Rows go in month by month, so their (key, month) index grows by random inserts: on
    # PostgreSQL it is built once at the end instead (a sort); SQLite keeps it inside the table
    # and gets a larger page cache for the rebuild.
    unique = connection.ops.quote_name("search_posting_key_month")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {unique}")
        else:
            cursor.execute("PRAGMA cache_size = -262144")
    total = 0
    for month in _months():
        group = _month_entries(month)
        rows = []
        for key, bits in _by_key(group).items():
            bits.run_optimize()
            rows.append((key, month, bits.serialize()))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(
                    f'INSERT INTO {table} ("key", "month", "bits") VALUES (%s, %s, %s)',
                    rows[start : start + 5000],
                )
        _write_documents(group)
        total += len(group)
        if out is not None:
            out(f"{month}: {len(group)}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT {unique} UNIQUE ("key", "month")')
        else:
            cursor.execute("PRAGMA cache_size = -2000")
    return total


def stats() -> Iterator[tuple[str, int]]:
    yield "items", Document.objects.count()
    yield "posting rows", Posting.objects.count()
