"""Answering a query from the index (docs/adr/search-exact-substring.md).

A query of one or two characters is one key: its bitmaps, a row per month, are exactly the
items that contain it (no verification). A longer query intersects the bitmaps of its
two-character grams, which gives every item that contains it and a few that only contain its
grams apart; those candidates are verified against the folded text kept in
:class:`~gongkai.search.models.Document` (``instr``/``strpos``). Filters are bitmaps of the
same months; a year filter is a range of months. The total is the sum of the months'
cardinalities; the ranked page (title matches first, then newest: 发布日期, then id) walks the
months from the newest and reads only the rows of the months it needs.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from datetime import date
from functools import cached_property, reduce

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from pyroaring import BitMap

from gongkai.agencies.models import Agency
from gongkai.publications.models import CatalogueCategory, Publication
from gongkai.search.index import bits_of, fold
from gongkai.search.models import Document, Month, Posting, Verified

MAX_QUERY = 40


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


def _query_keys(needle: str) -> list[str]:
    if len(needle) <= 2:
        return [needle]
    return sorted({needle[i : i + 2] for i in range(len(needle) - 1)})


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
        grams = _query_keys(self.needle)
        any_keys = ["g" + g for g in grams]
        title_keys = ["t" + g for g in grams]
        long = len(self.needle) > 2
        # A month's generation is read before its postings: see _verified.
        generations = self._generations() if long else {}
        keys = sorted({*any_keys, *title_keys, *self.facets})
        months: dict[int, dict[str, bytes]] = defaultdict(dict)
        for key, month, bits in self._rows(Posting, '"key", "month", "bits"', '"key"', keys):
            months[month][key] = bits
        candidates = []
        for month in sorted(months, reverse=True):
            found = months[month]
            if any(k not in found for k in any_keys) or any(k not in found for k in self.facets):
                continue
            hits = reduce(BitMap.__and__, (bits_of(found[k]) for k in any_keys))
            if all(k in found for k in title_keys):
                titled = reduce(BitMap.__and__, (bits_of(found[k]) for k in title_keys), hits)
            else:
                titled = BitMap()
            if hits:
                candidates.append((month, hits, titled, [bits_of(found[k]) for k in self.facets]))
        if long:
            verified = self._verified(candidates, generations)
        else:
            verified = {month: (hits, titled) for month, hits, titled, _f in candidates}
        parts = []
        for month, _hits, _titled, facets in candidates:
            hits, titled = verified[month]
            for bits in facets:
                hits = hits & bits
            if hits:
                parts.append((month, hits, titled & hits))
        return parts

    def _rows(self, model, columns: str, match: str, values: list):
        """Rows of ``model`` whose ``match`` column is one of ``values``, in the year if any."""
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"SELECT {columns} FROM {table} WHERE {match} IN ({', '.join(['%s'] * len(values))})"
        params: list = list(values)
        if self.year:
            sql += ' AND "month" BETWEEN %s AND %s'
            params += [self.year * 100, self.year * 100 + 99]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _generations(self) -> dict[int, int]:
        table = connection.ops.quote_name(Month._meta.db_table)
        sql = f'SELECT "month", "generation" FROM {table}'
        params = []
        if self.year:
            sql += ' WHERE "month" BETWEEN %s AND %s'
            params = [self.year * 100, self.year * 100 + 99]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def _verified(self, candidates, generations) -> dict[int, tuple[BitMap, BitMap]]:
        """Per month, the candidates (all items, before filters) whose text holds the query,
        and those whose title does.

        A month verified before is read from :class:`Verified` when its generation is still
        the one read (before the postings) now; the others are verified against the folded
        text (``instr``/``strpos``) and kept for the next query. The generation was read
        first, so the kept rows are at least as new as it: a row is used only while its
        month has not changed since, which keeps it exact under concurrent publishing.
        """
        out: dict[int, tuple[BitMap, BitMap]] = {}
        kept = self._rows(
            Verified, '"month", "generation", "hits", "titled"', '"needle"', [self.needle]
        )
        for month, generation, hits, titled in kept:
            if generations.get(month, 0) == generation:
                out[month] = (bits_of(hits), bits_of(titled))
        todo = [(m, hits, titled) for m, hits, titled, _f in candidates if m not in out]
        if not todo:
            return out
        pool = BitMap.union(*(hits for _m, hits, _t in todo))
        where, param = _ids_param(pool)
        find = "strpos" if connection.vendor == "postgresql" else "instr"
        table = connection.ops.quote_name(Document._meta.db_table)
        sql = (
            f"SELECT publication_id, {find}(title, %s) > 0 FROM {table} "
            f"WHERE publication_id {where} AND ({find}(title, %s) > 0 OR {find}(text, %s) > 0)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.needle, param, self.needle, self.needle])
            found = cursor.fetchall()
        matched = BitMap(pk for pk, _t in found)
        in_title = BitMap(pk for pk, t in found if t)
        fresh = []
        for month, hits, titled in todo:
            hits = hits & matched
            out[month] = (hits, titled & in_title & hits)
            fresh.append(
                Verified(
                    needle=self.needle,
                    month=month,
                    generation=generations.get(month, 0),
                    hits=out[month][0].serialize(),
                    titled=out[month][1].serialize(),
                )
            )
        self._keep(fresh)
        return out

    @staticmethod
    def _keep(rows: list[Verified]) -> None:
        """Store verified months for later queries; a failure to write (a read-only database,
        a busy writer) only loses the shortcut."""
        try:
            with transaction.atomic():
                stale = Q()
                for row in rows:
                    stale |= Q(needle=row.needle, month=row.month)
                Verified.objects.filter(stale).delete()
                Verified.objects.bulk_create(rows, ignore_conflicts=True, batch_size=200)
        except DatabaseError:
            pass

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
