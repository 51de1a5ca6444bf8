"""Answering a query from the index (docs/adr/search-exact-substring.md).

A query of one or two characters is one key: its bitmaps, a row per period of 发布日期 (a year,
``index.PERIOD_MONTHS``; the code calls a period a month), are exactly the items that contain
it. A longer query is a phrase of three-character grams: the places where
it starts are those where its first gram occurs and each further gram occurs as many places on
(the position bitmaps shifted and intersected; grams at offsets 0, 3, 6, … and the last one
cover every character; a query of three characters is one gram), so it is exact without
reading any text; the month's table of starts gives the items, the title's places the title
matches. Items without positions (only when a month's position space was full) are checked
against the folded text kept in
:class:`~gongkai.search.models.Document`. Filters are bitmaps of the same months; a year filter
is a range of months. The total is the sum of the months' cardinalities; the ranked page (title
matches first, then newest: 发布日期, then id) walks the months from the newest and reads only
the rows of the months it needs.
"""

from __future__ import annotations

import array
import json
import unicodedata
from collections import defaultdict
from functools import cached_property

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from pyroaring import BitMap, FrozenBitMap

from gongkai.agencies.models import Agency
from gongkai.publications.models import CatalogueCategory, Publication, State
from gongkai.search import kept
from gongkai.search.index import MAX_QUERY, SPAN, bits_of, fold, month_days
from gongkai.search.kept import Joined, among, fetch
from gongkai.search.models import Document, Posting

__all__ = ["MAX_QUERY", "Results", "clean_query", "search"]


def clean_query(q: str) -> str:
    """The query as searched: trimmed, inner spaces kept; refused when empty, too long or
    holding control characters."""
    q = (q or "").strip()
    if not q:
        raise ValidationError({"q": "请输入检索词 / enter a search term"})
    if len(q) > MAX_QUERY:
        raise ValidationError(
            {"q": f"检索词不超过{MAX_QUERY}个字 / at most {MAX_QUERY} characters"}
        )
    if any(unicodedata.category(c) == "Cc" for c in q):
        raise ValidationError({"q": "检索词含有控制字符 / the term holds control characters"})
    return q


def cover(size: int) -> list[int]:
    """Offsets of three-character grams that cover a query of ``size`` (≥ 3) characters: every
    third one from the first, and the last."""
    offsets = list(range(0, size - SPAN + 1, SPAN))
    if offsets[-1] != size - SPAN:
        offsets.append(size - SPAN)
    return offsets


def phrase(grams: dict[int, BitMap]) -> BitMap:
    """The places where a phrase starts, given each of its grams' places by its offset: the
    smallest first, each step shifting the places found so far to the next gram's offset."""
    order = sorted(grams, key=lambda offset: len(grams[offset]))
    at, places = order[0], grams[order[0]]
    for offset in order[1:]:
        places = places.shift(offset - at) & grams[offset]
        at = offset
        if not places:
            return places
    return places.shift(-at) if at else places


def items_at(
    found: list[tuple[int, BitMap]], tables: Joined
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each (month, places) of ``found``, the items holding the places and those among them
    where a place is in the title, each item once, all months in one pass over ``tables``: a
    place's block gives its run (items start at a block's first place); places come in order,
    so an item's places are next to each other; its first place is in its title when it lies
    within the title's size from the run's start (a title takes the first places of its run).
    """
    if not found:
        return []
    arrays = [np.frombuffer(places.to_array(), dtype=np.uint32) for _m, places in found]
    counts = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    at = np.concatenate(arrays)
    bases = np.fromiter((tables.block_base[m] for m, _p in found), np.uint32, len(found))
    block = at >> kept.BLOCK
    block += np.repeat(bases, counts)
    runs = tables.blocks[block]
    first = np.ones(len(runs), dtype=bool)
    np.not_equal(runs[1:], runs[:-1], out=first[1:])
    firsts = np.flatnonzero(first)
    runs = runs[firsts]
    titled = at[firsts] < tables.title_ends[runs]
    items = tables.items[runs]
    # Each month's items: those of its places (a month's first place is always an item's).
    cuts = np.searchsorted(firsts, np.cumsum(counts)).tolist()
    out = []
    for a, b in zip([0, *cuts[:-1]], cuts, strict=True):
        out.append((items[a:b], items[a:b][titled[a:b]]))
    return out


_EMPTY = FrozenBitMap()


class Stored:
    """A key's ids in one month, known by their number (``Posting.size``) and read from the
    index only when needed: a query of one or two characters without a filter counts its
    matches without reading a bitmap, and its page reads only the months it falls in. The
    count and the page are then two reads, as for any paged list: a publish between them shows
    in the page."""

    __slots__ = ("_bits", "key", "month", "size")

    def __init__(self, key: str, month: int, size: int) -> None:
        self.key, self.month, self.size = key, month, size
        self._bits: BitMap | None = None if size else BitMap()

    def __len__(self) -> int:
        return self.size

    def bits(self) -> BitMap:
        if self._bits is None:
            load([self])
        assert self._bits is not None
        return self._bits


def load(stored: list) -> None:
    """Read the bitmaps of those of ``stored`` not read yet, in one statement (a row gone since
    its size was read is empty)."""
    wanted = {(s.key, s.month): s for s in stored if isinstance(s, Stored) and s._bits is None}
    if not wanted:
        return
    keys = sorted({key for key, _m in wanted})
    months = sorted({month for _k, month in wanted})
    table = connection.ops.quote_name(Posting._meta.db_table)
    among_keys, key_params = among('"key"', keys)
    among_months, month_params = among('"month"', months)
    sql = f'SELECT "key", "month", "bits" FROM {table} WHERE {among_keys} AND {among_months}'
    for key, month, bits in fetch(sql, [*key_params, *month_params]):
        if (key, month) in wanted:
            wanted[key, month]._bits = bits_of(bits)
    for s in wanted.values():
        if s._bits is None:
            s._bits = BitMap()


#: Ids found: a bitmap, an array (:func:`items_at`) or a bitmap not read yet (:class:`Stored`).
Ids = BitMap | np.ndarray | Stored


def bitmap(ids: Ids) -> BitMap:
    """Ids as a bitmap (those that :func:`items_at` found are an array until one is needed;
    a :class:`Stored` bitmap is read)."""
    if isinstance(ids, np.ndarray):
        return BitMap(array.array("I", ids.astype(np.uint32).tobytes()))
    if isinstance(ids, Stored):
        return ids.bits()
    return ids


#: A segment of at least this many ids is paged by :func:`walk` first.
WALK_FROM = 200
#: :func:`walk` reads four rows per id wanted, and this many more, then twice as many rows
#: each time until it has them.
WALK_EXTRA = 64
#: :func:`walk` reads at most this many rows per id of the segment, then gives way to
#: :func:`lookup`: a row read in rank order costs about a third of an id looked up (a year of
#: 62,317 items: PostgreSQL 0.9 µs a row against 2.8 µs an id, SQLite 0.45 against 1.5,
#: 2026-12-06), so a walk that gives up has cost at most as much as the lookup after it.
WALK_ROWS_PER_ID = 3


def walk(
    month: int, ids: BitMap, skip: int, need: int, items: int | None = None
) -> list[int] | None:
    """Ranks ``skip`` to ``skip + need`` of the items ``ids`` of ``month`` (a period), by
    reading the period's published items in rank order (发布日期, then id, newest first; an
    index serves it), a few rows and then twice as many each time, and keeping those among
    ``ids``; None when the rows it may read (:data:`WALK_ROWS_PER_ID`) did not reach them
    (then :func:`lookup`). Cheap when ``ids`` are a good part of the period, as for a common
    query: its page is in the first few dozen rows, where :func:`lookup` would fetch every id's
    row to sort them (a year's 8,000 ids: 24 ms on PostgreSQL, 2026-12-06). Given the period's
    number of ``items``, the first read is twice the rows that hold ``skip + need`` of ``ids``
    on average, and a walk that would read more than it may is not begun."""
    wanted = skip + need
    limit, most = 4 * wanted + WALK_EXTRA, WALK_ROWS_PER_ID * len(ids)
    if items and ids:
        limit = max(limit, 2 * wanted * items // len(ids) + WALK_EXTRA)
    if limit > most:
        return None
    first, after = month_days(month)
    ranked = Publication.objects.filter(
        state=State.PUBLISHED, published_on__gte=first, published_on__lt=after
    ).order_by("-published_on", "-pk")
    found: list[int] = []
    read, rows = 0, ranked
    while True:
        chunk = list(rows.values_list("pk", "published_on")[:limit])
        read += len(chunk)
        found += [pk for pk, _day in chunk if pk in ids]
        if len(found) >= wanted or len(chunk) < limit:
            return found[skip:wanted]
        last, day = chunk[-1]
        rows = ranked.filter(Q(published_on__lt=day) | Q(published_on=day, pk__lt=last))
        limit *= 2
        if read + limit > most:
            return None


def lookup(ids: BitMap, skip: int, need: int) -> list[int]:
    """Ranks ``skip`` to ``skip + need`` of the items ``ids``: the database fetches every id's
    row and sorts them."""
    table = connection.ops.quote_name(Publication._meta.db_table)
    where, param = _ids_param(ids)
    # On PostgreSQL the ids are looked up first (by primary key) and then sorted: without the
    # fence (a subquery with OFFSET 0 is not merged into the outer query) it may walk the whole
    # 发布日期 index from the newest item down, testing each row against the list (a segment of
    # 2012 among a million items: 5.7 s of CPU, 2026-12-06). SQLite looks them up first as it is.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = (
        f"SELECT id FROM (SELECT id, published_on FROM {table} WHERE id {where}{fence}) "
        "AS found ORDER BY published_on DESC, id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param, need, skip])
        return [pk for (pk,) in cursor.fetchall()]


def _ids_param(ids: BitMap | list[int]):
    """A list of ids as one SQL parameter: ``(sql, param)`` for ``id IN``."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", list(ids)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))


class Results:
    """The items containing ``q`` that pass the filters, in rank order; sliceable (the page's
    :class:`~gongkai.publications.models.Publication` rows, agency loaded) and countable, so
    Django's Paginator and the API page it the same way."""

    def __init__(
        self,
        q: str,
        *,
        agency: str = "",
        site: str = "",
        year: int | None = None,
        category: str = "",
        validity: str = "",
    ) -> None:
        self.q = clean_query(q)
        self.needle = fold(self.q)
        self.year = year
        self.facets: list[str] | None = self._facets(agency, site, category, validity)

    @staticmethod
    def _facets(agency: str, site: str, category: str, validity: str) -> list[str] | None:
        """Filter keys; None when a filter names nothing (no item can pass)."""
        from gongkai.sites.models import Site

        keys = []
        for value, model, field, prefix in (
            (agency, Agency, "slug", "a"),
            (site, Site, "slug", "s"),
            (category, CatalogueCategory, "code", "c"),
        ):
            if value:
                pk = model.objects.filter(**{field: value}).values_list("pk", flat=True).first()
                if pk is None:
                    return None
                keys.append(f"{prefix}{pk}")
        if validity:
            keys.append(f"v{validity}")
        return keys

    @cached_property
    def _parts(self) -> list[tuple[int, Ids, Ids]]:
        """(month, matches, title matches) for each month with a match, the newest first. The
        title matches are always among the matches (a title's grams and places are the item's
        too); so only a filter needs the bitmaps, and without one the items found stay arrays
        of distinct ids until a page needs them."""
        if self.facets is None:
            return []
        found = self._short() if len(self.needle) <= 2 else self._long()
        parts = []
        for month in sorted(found, reverse=True):
            hits, titled, facets = found[month]
            if facets:
                hits = bitmap(hits)
                for bits in facets:
                    hits = hits & bits
                titled = bitmap(titled) & hits
            if len(hits):
                parts.append((month, hits, titled))
        return parts

    def _short(self) -> dict[int, tuple[BitMap | Stored, BitMap | Stored, list[BitMap]]]:
        """A query of one or two characters: its key's ids, exact. Without a filter, only the
        numbers of ids are read (:class:`Stored`)."""
        any_key, title_key = "g" + self.needle, "t" + self.needle
        if not self.facets:
            sizes: dict[int, dict[str, Stored]] = defaultdict(dict)
            for key, month, size in self._sizes([any_key, title_key]):
                sizes[month][key] = Stored(key, month, size)
            return {
                month: (row[any_key], row.get(title_key, Stored(title_key, month, 0)), [])
                for month, row in sizes.items()
                if any_key in row
            }
        keys = sorted({any_key, title_key, *self.facets})
        months, _none = kept.read(keys, any_key, self.year, tables=False)
        found: dict[int, tuple[BitMap | Stored, BitMap | Stored, list[BitMap]]] = {}
        for month, row in months.items():
            if any_key not in row or any(k not in row for k in self.facets):
                continue
            titled = row.get(title_key, _EMPTY)
            found[month] = (row[any_key], titled, [row[k] for k in self.facets])
        return found

    def _long(self) -> dict[int, tuple[BitMap, BitMap, list[BitMap]]]:
        """A longer query: the places where its grams follow each other, as items; the items
        without positions (``u``) checked against their text."""
        grams = {
            offset: "p" + self.needle[offset : offset + SPAN] for offset in cover(len(self.needle))
        }
        keys = sorted({*grams.values(), "u", *self.facets})
        months, read = kept.read(keys, grams[0], self.year)
        found: dict[int, tuple[BitMap | np.ndarray, BitMap | np.ndarray, list[BitMap]]] = {}
        unplaced: dict[int, BitMap] = {}
        lookups: list[tuple[int, BitMap]] = []  # (month, places)
        for month, row in months.items():
            if any(k not in row for k in self.facets):
                continue
            places = BitMap()
            if all(g in row for g in grams.values()) and month in read:
                places = phrase({offset: row[g] for offset, g in grams.items()})
            if places:
                lookups.append((month, places))
            if "u" in row:
                unplaced[month] = row["u"]
            if places or month in unplaced:
                found[month] = (BitMap(), BitMap(), [row[k] for k in self.facets])
        if lookups:
            joined = kept.joined({month: read[month] for month, _p in lookups})
            for (month, _p), (hits, titled) in zip(lookups, items_at(lookups, joined), strict=True):
                found[month] = (hits, titled, found[month][2])
        if unplaced:
            matched, in_title = self._check(BitMap.union(*unplaced.values()))
            for month, ids in unplaced.items():
                hits, titled, facets = found[month]
                hits, titled = bitmap(hits) | (ids & matched), bitmap(titled) | (ids & in_title)
                found[month] = (hits, titled, facets)
        return found

    def _check(self, ids: BitMap) -> tuple[BitMap, BitMap]:
        """Of the items ``ids`` (without positions), those whose text holds the query, and
        those whose title does (``instr``/``strpos`` on the folded text)."""
        where, param = _ids_param(ids)
        find = "strpos" if connection.vendor == "postgresql" else "instr"
        table = connection.ops.quote_name(Document._meta.db_table)
        sql = (
            f"SELECT publication_id, {find}(title, %s) > 0 FROM {table} "
            f"WHERE publication_id {where} AND ({find}(title, %s) > 0 OR {find}(text, %s) > 0)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.needle, param, self.needle, self.needle])
            found = cursor.fetchall()
        return BitMap(pk for pk, _t in found), BitMap(pk for pk, t in found if t)

    def _sizes(self, keys: list[str]):
        """(key, month, size) of the posting rows of ``keys``, in the year if any."""
        table = connection.ops.quote_name(Posting._meta.db_table)
        where, params = kept.in_year(self.year)
        among_keys, key_params = among('"key"', keys)
        sql = f'SELECT "key", "month", "size" FROM {table} WHERE {among_keys}'
        return fetch(sql + where, [*key_params, *params])

    def count(self) -> int:
        return sum(len(hits) for _m, hits, _t in self._parts)

    def __len__(self) -> int:
        return self.count()

    def ids(self) -> BitMap:
        """Every matching id (unordered)."""
        if not self._parts:
            return BitMap()
        load([hits for _m, hits, _t in self._parts])
        return BitMap.union(*(bitmap(hits) for _m, hits, _t in self._parts))

    def _segments(self):
        """(month, size, the ids) of each rank segment, in rank order: every month's title
        matches, then every month's other matches; the ids are made only for a segment asked
        for."""
        for month, _hits, titled in self._parts:
            yield month, len(titled), lambda titled=titled: bitmap(titled)
        for month, hits, titled in self._parts:
            yield month, len(hits) - len(titled), lambda h=hits, t=titled: self._minus(h, t)

    @staticmethod
    def _minus(hits, titled) -> BitMap:
        load([hits, titled])
        return bitmap(hits) - bitmap(titled)

    def page_ids(self, start: int, stop: int) -> list[int]:
        """The ids ranked ``start`` to ``stop`` (exclusive): whole segments (a month's title
        matches, or its other matches) are skipped by their cardinality; in each segment the
        page falls in, the ids in rank order are those of :func:`walk` (told the period's size,
        :func:`~gongkai.search.kept.runs_in`, read once for the page) or, when it cannot tell,
        of :func:`lookup`."""
        out: list[int] = []
        skip = start
        runs: dict[int, int] | None = None
        for month, size, ids in self._segments():
            if len(out) >= stop - start:
                break
            if skip >= size:
                skip -= size
                continue
            need = stop - start - len(out)
            segment = ids()
            page = None
            if size >= WALK_FROM:
                if runs is None:  # the periods' sizes, read once for the page
                    runs = kept.runs_in([m for m, _h, _t in self._parts])
                page = walk(month, segment, skip, need, runs.get(month))
            out += lookup(segment, skip, need) if page is None else page
            skip = 0
        return out

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Results are sliced: results[start:stop]")
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        ids = self.page_ids(start, stop)
        rows = Publication.objects.filter(pk__in=ids).select_related("agency", "category")
        by_pk = {p.pk: p for p in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def search(q: str, **filters) -> Results:
    """The published items containing ``q`` (filters: ``agency`` slug, ``site`` slug,
    ``year``, ``category`` code, ``validity``), title matches first, then the newest."""
    return Results(q, **filters)
