"""Answering a query from the index (docs/adr/search-exact-substring.md).

A query of one or two characters is one key: its bitmaps, a row per month, are exactly the
items that contain it. A longer query is a phrase of two-character grams: the places where it
starts are those where its first gram occurs and each further gram occurs as many places on
(the position bitmaps shifted and intersected; grams at offsets 0, 2, 4, … and the last one
cover every character), so it is exact without reading any text; the month's table of starts
gives the items, the title's places the title matches. Items without positions (only when a month's
position space was full) are checked against the folded text kept in
:class:`~gongkai.search.models.Document`. Filters are bitmaps of the same months; a year filter
is a range of months. The total is the sum of the months' cardinalities; the ranked page (title
matches first, then newest: 发布日期, then id) walks the months from the newest and reads only
the rows of the months it needs.
"""

from __future__ import annotations

import array
import itertools
import json
import unicodedata
from collections import defaultdict
from datetime import date
from functools import cached_property

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection
from pyroaring import BitMap

from gongkai.agencies.models import Agency
from gongkai.publications.models import CatalogueCategory, Publication
from gongkai.search.index import MAX_QUERY, bits_of, fold
from gongkai.search.models import Document, Month, Posting

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
    """Offsets of two-character grams that cover a query of ``size`` (≥ 3) characters."""
    offsets = list(range(0, size - 1, 2))
    if offsets[-1] != size - 2:
        offsets.append(size - 2)
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


def items_at(found: list[tuple[BitMap, BitMap, bytes]]) -> list[tuple[BitMap, BitMap]]:
    """For each month's (places, title places, table of starts and items), the items holding
    the places and those holding the title places (a place belongs to the run that starts at or
    before it): one pass of array operations over all the months, each month's places and
    starts lifted above the previous months' by its rank."""
    if not found:
        return []
    parts = [(places, titled) for places, titled, _t in found]
    tables = np.frombuffer(b"".join(t for _p, _t, t in found), dtype="<u4").reshape(-1, 2)
    rows = [len(t) // 8 for _p, _t, t in found]
    lifts = np.arange(len(found), dtype=np.int64) << 32
    starts = tables[:, 0].astype(np.int64) + np.repeat(lifts, rows)
    sets = [bits for part in parts for bits in part]
    sizes = [len(bits) for bits in sets]
    at = np.frombuffer(b"".join(bits.to_array() for bits in sets), dtype=np.uint32)
    at = at.astype(np.int64) + np.repeat(np.repeat(lifts, 2), sizes)
    ids = tables[:, 1][np.searchsorted(starts, at, side="right") - 1].tobytes()
    cuts = np.cumsum([0, *sizes]).tolist()
    out = [BitMap(array.array("I", ids[4 * a : 4 * b])) for a, b in itertools.pairwise(cuts)]
    return list(zip(out[::2], out[1::2], strict=True))


def fetch(sql: str, params: list) -> list[tuple]:
    """Run a query and return its rows; on PostgreSQL in binary format (bitmaps arrive as
    their bytes, not as hex text the server encodes and the client decodes)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids_param(ids: BitMap | list[int]):
    """A list of ids as one SQL parameter: ``(sql, param)`` for ``id IN``."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", list(ids)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))


def _ordinal(day) -> int:
    """A date's day number (SQLite hands dates back as text here, PostgreSQL as dates)."""
    if isinstance(day, str):
        return date.fromisoformat(day).toordinal()
    return day.toordinal()


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
    def _parts(self) -> list[tuple[int, BitMap, BitMap]]:
        """(month, matches, title matches) for each month with a match, the newest first."""
        if self.facets is None:
            return []
        found = self._short() if len(self.needle) <= 2 else self._long()
        parts = []
        for month in sorted(found, reverse=True):
            hits, titled, facets = found[month]
            for bits in facets:
                hits = hits & bits
            if hits:
                parts.append((month, hits, titled & hits))
        return parts

    def _short(self) -> dict[int, tuple[BitMap, BitMap, list[BitMap]]]:
        """A query of one or two characters: its key's ids, exact."""
        any_key, title_key = "g" + self.needle, "t" + self.needle
        months: dict[int, dict[str, bytes]] = defaultdict(dict)
        keys = sorted({any_key, title_key, *self.facets})
        for key, month, bits in self._rows(Posting, '"key", "month", "bits"', '"key"', keys):
            months[month][key] = bits
        found = {}
        for month, row in months.items():
            if any_key not in row or any(k not in row for k in self.facets):
                continue
            hits = bits_of(row[any_key])
            titled = bits_of(row.get(title_key))
            found[month] = (hits, titled, [bits_of(row[k]) for k in self.facets])
        return found

    def _long(self) -> dict[int, tuple[BitMap, BitMap, list[BitMap]]]:
        """A longer query: the places where its grams follow each other, as items; the items
        without positions (``u``) checked against their text."""
        grams = {
            offset: "p" + self.needle[offset : offset + 2] for offset in cover(len(self.needle))
        }
        keys = sorted({*grams.values(), "T", "u", *self.facets})
        months: dict[int, dict[str, bytes]] = defaultdict(dict)
        for key, month, bits in self._long_rows(keys, grams[0]):
            months[month][key] = bits
        found: dict[int, tuple[BitMap, BitMap, list[BitMap]]] = {}
        unplaced: dict[int, BitMap] = {}
        lookups: list[tuple[BitMap, BitMap, bytes]] = []  # (places, in titles, month's table)
        at: list[int] = []  # the month of each lookup
        for month, row in months.items():
            if any(k not in row for k in self.facets):
                continue
            places = BitMap()
            if all(g in row for g in grams.values()) and "" in row:
                places = phrase({offset: bits_of(row[g]) for offset, g in grams.items()})
            if places:
                slots = bytes(row[""])
                at.append(month)
                lookups.append((places, places & bits_of(row.get("T")), slots))
            if "u" in row:
                unplaced[month] = bits_of(row["u"])
            if places or month in unplaced:
                found[month] = (BitMap(), BitMap(), [bits_of(row[k]) for k in self.facets])
        for month, (hits, titled) in zip(at, items_at(lookups), strict=True):
            found[month] = (hits, titled, found[month][2])
        if unplaced:
            matched, in_title = self._check(BitMap.union(*unplaced.values()))
            for month, ids in unplaced.items():
                hits, titled, facets = found[month]
                found[month] = (hits | (ids & matched), titled | (ids & in_title), facets)
        return found

    def _long_rows(self, keys: list[str], first: str):
        """The rows of ``keys`` and, in the same statement (so both are of one moment), the
        slot maps of the months where the first gram occurs (under the key '')."""
        postings = connection.ops.quote_name(Posting._meta.db_table)
        months = connection.ops.quote_name(Month._meta.db_table)
        in_year, year = "", []
        if self.year:
            in_year = ' AND "month" BETWEEN %s AND %s'
            year = [self.year * 100, self.year * 100 + 99]
        sql = (
            f'SELECT "key", "month", "bits" FROM {postings} '
            f'WHERE "key" IN ({", ".join(["%s"] * len(keys))}){in_year} '
            f'UNION ALL SELECT \'\', "month", "slots" FROM {months} WHERE "month" IN '
            f'(SELECT "month" FROM {postings} WHERE "key" = %s{in_year})'
        )
        return fetch(sql, [*keys, *year, first, *year])

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

    def _rows(self, model, columns: str, match: str, values: list):
        """Rows of ``model`` whose ``match`` column is one of ``values``, in the year if any."""
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"SELECT {columns} FROM {table} WHERE {match} IN ({', '.join(['%s'] * len(values))})"
        params: list = list(values)
        if self.year:
            sql += ' AND "month" BETWEEN %s AND %s'
            params += [self.year * 100, self.year * 100 + 99]
        return fetch(sql, params)

    def count(self) -> int:
        return sum(len(hits) for _m, hits, _t in self._parts)

    def __len__(self) -> int:
        return self.count()

    def ids(self) -> BitMap:
        """Every matching id (unordered)."""
        return BitMap.union(*(hits for _m, hits, _t in self._parts)) if self._parts else BitMap()

    def _segments(self):
        for _month, _hits, titled in self._parts:
            yield titled
        for _month, hits, titled in self._parts:
            yield hits - titled

    def page_ids(self, start: int, stop: int) -> list[int]:
        """The ids ranked ``start`` to ``stop`` (exclusive): whole months are skipped by their
        cardinality; the months the page falls in are read in one query and ordered here."""
        taken: list[tuple[int, BitMap]] = []
        skip, have = start, 0
        for rank, segment in enumerate(self._segments()):
            if have >= stop - start:
                break
            if not taken and skip >= len(segment):
                skip -= len(segment)
                continue
            taken.append((rank, segment))
            have += len(segment) - (skip if len(taken) == 1 else 0)
        if not taken:
            return []
        rank_of = {pk: rank for rank, segment in taken for pk in segment}
        where, param = _ids_param(list(rank_of))
        table = connection.ops.quote_name(Publication._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, published_on FROM {table} WHERE id {where}", [param])
            rows = cursor.fetchall()
        rows.sort(key=lambda r: (rank_of[r[0]], -_ordinal(r[1]), -r[0]))
        return [pk for pk, _day in rows[skip : skip + stop - start]]

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
