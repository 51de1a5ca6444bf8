"""What a searching process keeps between queries (docs/adr/search-exact-substring.md).

Every change to a month's postings or table comes with a new random version of
the month (:class:`~gongkai.search.models.Month`, written in the same transaction by
``gongkai.search.index``). So a process may keep the bitmaps and tables it has read, each with
the version of its month, and use them again while the month's version is the same:

1. read the versions of the months where the query's first key occurs (one small statement);
2. take from what is kept every (key, month) and table of those versions, and read the rest,
   with the versions again, in one statement;
3. if a month's version changed between the two reads, start again (a publish came between);
   after a few tries, read everything in one statement and keep nothing.

So what a query sees is the index as it was at the first read, as if nothing were kept. Kept
bitmaps are bounded by :data:`MAX_BYTES`: those least recently used go first (a gram every
other query needs, such as 工作, stays); tables take twelve bytes per item, and their joined
copy (:class:`Joined`: a query's places in all its months are looked up in one pass) as much
again and four bytes per block of 64 places.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import connection
from pyroaring import BitMap, FrozenBitMap

from gongkai.search.index import ALIGN_BITS, ITEM, START, TITLE, bits_of, table_rows
from gongkai.search.models import Month, Posting

#: The bitmaps kept, in bytes (as stored) per process.
MAX_BYTES = 256 << 20
#: Tables kept (months) per process before all are dropped.
MAX_TABLES = 4000
TRIES = 4
#: Places per block of :attr:`Table.blocks` (2^6 = 64, the index's ALIGN): four bytes per 64
#: places of a month (about 24 MiB per process for a million items of 360 characters).
BLOCK = ALIGN_BITS
_NONE = np.zeros(0, dtype=np.uint32)


@dataclass(frozen=True)
class Table:
    """A month's places as read, at the month's ``version``: the runs' starts, items and title
    sizes, the end row (end, 0, 0) included."""

    version: int
    starts: np.ndarray
    items: np.ndarray
    titles: np.ndarray

    @property
    def runs(self) -> int:
        """The month's runs (its rows but the end row)."""
        return max(len(self.starts) - 1, 0)

    def blocks(self) -> np.ndarray:
        """For each block of 2^BLOCK places before the free places, the run it lies in (the
        index starts every run at a block's first place, :meth:`of` checks it)."""
        if not self.runs:
            return np.zeros(0, dtype=np.int32)
        firsts = (self.starts.astype(np.int64) + (1 << BLOCK) - 1) >> BLOCK
        return np.repeat(np.arange(self.runs, dtype=np.int32), np.diff(firsts))

    @classmethod
    def of(cls, version: int, slots) -> Table:
        rows = table_rows(slots)
        if (rows[:-1, START] & ((1 << BLOCK) - 1)).any():
            raise ValueError(
                "检索索引的位置表不是按块排列的，请重建检索索引（gongkai.search.index.rebuild）"
                " / a search table's runs do not start at a block: rebuild the search index"
            )
        return cls(version, rows[:, START].copy(), rows[:, ITEM].copy(), rows[:, TITLE].copy())


@dataclass(frozen=True)
class Joined:
    """Months' tables laid end to end, so that a query's places in all its months find their
    items in one pass: a month's blocks are numbered on from ``block_base[month]`` and its runs
    on from the runs of the months before it; ``blocks`` gives each block's run, ``items`` each
    run's item and ``title_ends`` the place after its title (end rows left out).
    ``versions``: each month's table's version."""

    versions: dict[int, int]
    block_base: dict[int, int]
    blocks: np.ndarray
    items: np.ndarray
    title_ends: np.ndarray

    @classmethod
    def of(cls, tables: dict[int, Table]) -> Joined:
        months = sorted(tables)
        parts = [tables[m] for m in months]
        run_base = np.concatenate(([0], np.cumsum([t.runs for t in parts])))[:-1].tolist()
        blocks = [t.blocks() + base for t, base in zip(parts, run_base, strict=True)]
        block_base = np.concatenate(([0], np.cumsum([len(b) for b in blocks])))[:-1].tolist()
        return cls(
            versions={m: t.version for m, t in zip(months, parts, strict=True)},
            block_base=dict(zip(months, block_base, strict=True)),
            blocks=np.concatenate(blocks or [np.zeros(0, dtype=np.int32)]),
            items=np.concatenate([t.items[: t.runs] for t in parts] or [_NONE]),
            title_ends=np.concatenate(
                [t.starts[: t.runs] + t.titles[: t.runs] for t in parts] or [_NONE]
            ),
        )


#: (database, key, month) -> (version, bits, size as stored), the least recently used first
#: (an OrderedDict: a plain dict's first item, once many before it are gone, takes a walk over
#: their empty slots to find, 55 ms for 20,000 evictions in a row against 3)
_bitmaps: OrderedDict[tuple, tuple[int, FrozenBitMap, int]] = OrderedDict()
#: (database, month) -> table
_tables: dict[tuple, Table] = {}
#: database -> the tables kept, joined
_joined: dict[tuple, Joined] = {}
_size = 0
#: A server's threads share what is kept.
_lock = threading.Lock()


def forget() -> None:
    """Drop everything kept (tests; nothing else needs it, versions keep what is kept true)."""
    global _size
    with _lock:
        _bitmaps.clear()
        _tables.clear()
        _joined.clear()
        _size = 0


def _database() -> tuple:
    return (connection.alias, str(connection.settings_dict["NAME"]))


def joined(tables: dict[int, Table]) -> Joined:
    """The tables kept for this database, joined, with ``tables`` (just read) among them:
    the last joined when it holds every one of ``tables``'s versions, else joined anew (after
    a month changed, or when a query reaches months not kept before)."""
    database = _database()
    last = _joined.get(database)
    if last is not None and all(last.versions.get(m) == t.version for m, t in tables.items()):
        return last
    with _lock:
        mine = {key[-1]: t for key, t in _tables.items() if key[:-1] == database}
    mine.update(tables)
    last = Joined.of(mine)
    _joined[database] = last
    return last


def _keep(name: tuple, version: int, bits: FrozenBitMap, size: int) -> None:
    global _size
    with _lock:
        old = _bitmaps.pop(name, None)
        if old is not None:
            _size -= old[2]
        _bitmaps[name] = (version, bits, size)
        _size += size
        while _size > MAX_BYTES and _bitmaps:
            _version, _bits, gone = _bitmaps.popitem(last=False)[1]
            _size -= gone


def _used(names: list[tuple]) -> None:
    """Move the kept bitmaps ``names`` to the end of the eviction order (the first goes
    first), as just used."""
    with _lock:
        for name in names:
            if name in _bitmaps:
                _bitmaps.move_to_end(name)


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


def among(column: str, values) -> tuple[str, list]:
    """The condition that ``column`` is one of ``values``, and its parameters: on PostgreSQL
    ``= ANY(%s)`` with the values as one array, so the statement's text does not change with
    their number (psycopg parses each new text anew: 4 ms for one with 578 marks, 2026-12-06);
    on SQLite ``IN (%s, …)``."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def runs_in(months: list[int]) -> dict[int, int]:
    """The number of runs (items, and runs freed since the table was last packed) in each of
    ``months``'s tables, from the stored table's length alone: neither PostgreSQL (the table
    is stored out of line, uncompressed) nor SQLite reads the table for it."""
    table = connection.ops.quote_name(Month._meta.db_table)
    where, params = among('"month"', months)
    rows = fetch(f'SELECT "month", length("slots") FROM {table} WHERE {where}', params)
    return {month: max(size // 12 - 1, 0) for month, size in rows}


def in_year(year: int | None) -> tuple[str, list]:
    """The condition (and its parameters) that keeps a year's months, if a year is given."""
    if not year:
        return "", []
    return ' AND "month" BETWEEN %s AND %s', [year * 100, year * 100 + 99]


def _months_of(first: str, year: int | None) -> tuple[str, list]:
    """The subquery of the months (of ``year``) where ``first`` occurs or that have items
    without places (``u``), and its parameters."""
    postings = connection.ops.quote_name(Posting._meta.db_table)
    where, params = in_year(year)
    sql = f'(SELECT "month" FROM {postings} WHERE "key" IN (%s, \'u\'){where})'
    return sql, [first, *params]


def read(
    keys: list[str], first: str, year: int | None, *, tables: bool = True
) -> tuple[dict[int, dict[str, BitMap]], dict[int, Table]]:
    """The bitmaps of ``keys`` by month (a key absent from a month is absent from its dict),
    and the months' tables (unless ``tables`` is false: none), for the months (of ``year`` if
    given) where ``first`` occurs or that have items without places (``u``)."""
    for _try in range(TRIES):
        got = _read_kept(keys, first, year, tables)
        if got is not None:
            return got
    return _read_all(keys, first, year, tables)


def _versions(first: str, year: int | None) -> dict[int, int]:
    months = connection.ops.quote_name(Month._meta.db_table)
    which, params = _months_of(first, year)
    return dict(fetch(f'SELECT "month", "version" FROM {months} WHERE "month" IN {which}', params))


def _read_kept(keys: list[str], first: str, year: int | None, with_tables: bool):
    """Steps 1–3 of the module's docstring; None when a month changed between the reads."""
    versions = _versions(first, year)
    if not versions:
        return {}, {}
    database = _database()
    out: dict[int, dict[str, BitMap]] = {m: {} for m in versions}
    tables: dict[int, Table] = {}
    missing: dict[str, list[int]] = defaultdict(list)
    stale: list[int] = []
    used: list[tuple] = []
    for month, version in versions.items():
        table = _tables.get((*database, month))
        if table is not None and table.version == version:
            tables[month] = table
        elif with_tables:
            stale.append(month)
        for key in keys:
            kept = _bitmaps.get((*database, key, month))
            if kept is not None and kept[0] == version:
                used.append((*database, key, month))
                if kept[1]:
                    out[month][key] = kept[1]
            else:
                missing[key].append(month)
    _used(used)
    postings = connection.ops.quote_name(Posting._meta.db_table)
    months = connection.ops.quote_name(Month._meta.db_table)
    parts, params = [], []
    for key, wanted in missing.items():
        where, values = among('"month"', wanted)
        parts.append(
            f'SELECT "key", "month", "bits", CAST(NULL AS bigint) FROM {postings} '
            f'WHERE "key" = %s AND {where}'
        )
        params += [key, *values]
    blob = "bytea" if connection.vendor == "postgresql" else "BLOB"
    where, values = among('"month"', versions)
    parts.append(
        f'SELECT \'\', "month", CAST(NULL AS {blob}), "version" FROM {months} WHERE {where}'
    )
    params += values
    if stale:
        where, values = among('"month"', stale)
        parts.append(f'SELECT \'#\', "month", "slots", "version" FROM {months} WHERE {where}')
        params += values
    rows = fetch(" UNION ALL ".join(parts), params)
    now = {month: version for key, month, _b, version in rows if key == ""}
    if now != versions:
        return None
    slots = {}
    found: set[tuple[str, int]] = set()
    for key, month, bits, _version in rows:
        if key == "#":
            slots[month] = bits
        elif key:
            value = bytes(bits)
            found.add((key, month))
            out[month][key] = bitmap = FrozenBitMap.deserialize(value) if value else FrozenBitMap()
            _keep((*database, key, month), versions[month], bitmap, len(value))
    for key, wanted in missing.items():
        for month in wanted:
            if (key, month) not in found:  # absent from the month: kept as such
                _keep((*database, key, month), versions[month], FrozenBitMap(), 0)
    for month in stale:
        tables[month] = Table.of(versions[month], slots.get(month))
    with _lock:
        if len(_tables) > MAX_TABLES:
            _tables.clear()
            _joined.clear()
        _tables.update(((*database, month), tables[month]) for month in stale)
    return out, tables


def _read_all(keys: list[str], first: str, year: int | None, with_tables: bool):
    """Everything in one statement, nothing kept (when months kept changing between reads)."""
    postings = connection.ops.quote_name(Posting._meta.db_table)
    months = connection.ops.quote_name(Month._meta.db_table)
    where, params = in_year(year)
    which, which_params = _months_of(first, year)
    blob = "bytea" if connection.vendor == "postgresql" else "BLOB"
    slots = '"slots"' if with_tables else f"CAST(NULL AS {blob})"
    among_keys, key_params = among('"key"', keys)
    sql = (
        f'SELECT "key", "month", "bits", CAST(NULL AS bigint) FROM {postings} '
        f"WHERE {among_keys}{where} "
        f'UNION ALL SELECT \'#\', "month", {slots}, "version" FROM {months} '
        f'WHERE "month" IN {which}'
    )
    out: dict[int, dict[str, BitMap]] = defaultdict(dict)
    slots, versions = {}, {}
    for key, month, bits, version in fetch(sql, [*key_params, *params, *which_params]):
        if key == "#":
            slots[month], versions[month] = bits, version
        else:
            out[month][key] = bits_of(bits)
    tables = {}
    if with_tables:
        tables = {m: Table.of(versions[m], slots[m]) for m in slots}
    return {m: out.get(m, {}) for m in slots}, tables
