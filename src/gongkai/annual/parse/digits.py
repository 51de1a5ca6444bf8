"""Read the cells of one table row from a run of numbers whose cell boundaries may be lost.

Crawlers concatenate a row's cells (``2000002``) and pad with stray spaces (``10 0 00 01``).
Spaces never fall inside a number, so each whitespace-separated token holds one or more whole
cells; a cell is ``0`` or has no leading zero. Of the readings that leaves, the table's own
arithmetic picks one (row total = sum of the six applicant columns; each 四 group's total = sum
of its four results). If exactly one reading is possible at all, it is the printed table, even
when its arithmetic is wrong (the checks then report the report's error). If several remain,
only the cells every reading agrees on, from the left, are kept; the rest are ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Value = int | float | None
#: A constraint: the cells at ``parts`` add up to the cell at ``total``.
Group = tuple[tuple[int, ...], int]

_CELL = re.compile(r"-?(?:0|[1-9]\d{0,11})(?:\.\d+)?")
_MAX_DIGITS = 12
_BUDGET = 20000

OK = "ok"  # every cell read as printed, one reading only
INFERRED = "inferred"  # several readings; the table's arithmetic left exactly one
AMBIGUOUS = "ambiguous"  # several readings remain; agreed cells kept, others None
UNREADABLE = "unreadable"  # no reading at all (or too many to enumerate)


@dataclass
class Reading:
    values: list[Value]
    status: str
    unknown: set[int] = field(default_factory=set)  # indices left None because unreadable
    candidates: int = 1
    #: For AMBIGUOUS rows: the readings the row's own arithmetic allows (for column checks).
    pool: list[tuple[Value, ...]] = field(default_factory=list)


def parse_number(text: str) -> Value:
    """Return the number a cell prints (``"18651.064104"`` → float, ``"12"`` → int)."""
    if not _CELL.fullmatch(text):
        raise ValueError(text)
    return float(text) if "." in text else int(text)


def read_row(
    tokens: Sequence[str | None],
    n: int,
    groups: Sequence[Group] = (),
    *,
    gaps_may_be_blank: bool = False,
) -> Reading:
    """Read ``n`` cells from ``tokens`` (``None`` = a cell known to be blank)."""
    tokens = list(tokens)
    if not gaps_may_be_blank:  # table cells: blank cells beyond the row's width are padding
        while len(tokens) > n and tokens[-1] is None:
            tokens.pop()
        while len(tokens) > n and tokens[0] is None:
            tokens.pop(0)
    if len(tokens) == n:
        try:
            return Reading([None if t is None else parse_number(t) for t in tokens], OK)
        except ValueError:
            pass
    blanks = _blanks_needed(tokens, n, gaps_may_be_blank)
    if blanks < 0:
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    count = _Walker(tokens, n, blanks, ()).count()
    if count == 0:
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    if count == 1:
        (only,), _ = _Walker(tokens, n, blanks, ()).readings(limit=1)
        return Reading(list(only), OK)
    walker = _Walker(tokens, n, blanks, ())
    if groups:
        valid, complete = _Walker(tokens, n, blanks, groups).readings(limit=_LIMIT)
        if len(valid) == 1 and complete:
            return Reading(list(valid[0]), INFERRED, candidates=count)
        if len(valid) > 1 and complete:
            agreed = _agreed_prefix(valid)
            values = [*agreed, *([None] * (n - len(agreed)))]
            return Reading(values, AMBIGUOUS, set(range(len(agreed), n)), len(valid), valid)
    agreed = walker.prefix()
    values = [*agreed, *([None] * (n - len(agreed)))]
    return Reading(values, AMBIGUOUS, set(range(len(agreed), n)), count)


def _agreed_prefix(pool: list[tuple[Value, ...]]) -> list[Value]:
    """The cells every reading of ``pool`` agrees on, from the left."""
    out: list[Value] = []
    for index in range(len(pool[0])):
        first = pool[0][index]
        if not all(r[index] == first and type(r[index]) is type(first) for r in pool):
            break
        out.append(first)
    return out


_LIMIT = 2000
_STEPS = 100_000


def _capacity(token: str | None) -> int:
    """The most cells a token can hold (one per digit; a decimal or blank holds one)."""
    if token is None or "." in token:
        return 1
    return len(token.lstrip("-"))


def _blanks_needed(tokens: list[str | None], n: int, gaps_may_be_blank: bool) -> int:
    """Blank cells that must sit in the gaps between tokens (-1: impossible)."""
    capacity = sum(_capacity(t) for t in tokens)
    if capacity >= n:
        return 0
    if not gaps_may_be_blank or n - capacity > len(tokens) - 1:
        return -1
    return n - capacity


class _Walker:
    """Walk every way to cut ``tokens`` into ``n`` cells (cells never span tokens).

    With ``groups``, a group's total cell is not chosen but required to print the sum of its
    parts, which prunes the search to the readings the table's arithmetic allows.
    """

    def __init__(
        self, tokens: list[str | None], n: int, blanks: int, groups: Sequence[Group]
    ) -> None:
        self.tokens = tokens
        self.n = n
        self.blanks = blanks
        self.totals = {total: parts for parts, total in groups}
        self.memo: dict[tuple[int, int, int, int, bool], int] = {}
        self.cells: dict[tuple[int, int], list[tuple[Value, int, int]]] = {}
        self.steps = 0

    def prefix(self) -> list[Value]:
        """The cells every reading agrees on, from the left (walk while only one way on)."""
        out: list[Value] = []
        ti, off, blanks, gap = 0, 0, self.blanks, False
        while len(out) < self.n and ti < len(self.tokens):
            i = len(out)
            ways = [
                (value, t, o, blanks, False)
                for value, t, o in self._cells(ti, off)
                if self.count(t, o, i + 1, blanks)
            ]
            if (
                off == 0
                and ti > 0
                and blanks
                and not gap
                and self.count(ti, 0, i + 1, blanks - 1, True)
            ):
                ways.append((None, ti, 0, blanks - 1, True))
            if len(ways) != 1:
                break
            value, ti, off, blanks, gap = ways[0]
            out.append(value)
        return out

    def _cells(self, ti: int, off: int) -> list[tuple[Value, int, int]]:
        """Cells that can start at (token ti, offset off): (value, next ti, next off)."""
        key = (ti, off)
        if key not in self.cells:
            self.cells[key] = self._cells_at(ti, off)
        return self.cells[key]

    def _cells_at(self, ti: int, off: int) -> list[tuple[Value, int, int]]:
        token = self.tokens[ti]
        if token is None:
            return [(None, ti + 1, 0)] if off == 0 else []
        if "." in token:
            if off:
                return []
            try:
                return [(parse_number(token), ti + 1, 0)]
            except ValueError:
                return []
        out: list[tuple[Value, int, int]] = []
        for end in range(off + 1, min(len(token), off + _MAX_DIGITS + 1) + 1):
            piece = token[off:end]
            if _CELL.fullmatch(piece):
                nxt = (ti + 1, 0) if end == len(token) else (ti, end)
                out.append((int(piece), *nxt))
        return out

    def count(
        self, ti: int = 0, off: int = 0, i: int = 0, blanks: int = -1, gap: bool = False
    ) -> int:
        blanks = self.blanks if blanks < 0 else blanks
        key = (ti, off, i, blanks, gap)
        if key in self.memo:
            return self.memo[key]
        if i == self.n:
            result = int(ti == len(self.tokens) and blanks == 0)
        elif ti == len(self.tokens):
            result = 0
        else:
            result = sum(self.count(t, o, i + 1, blanks) for _, t, o in self._cells(ti, off))
            if off == 0 and ti > 0 and blanks and not gap:
                result += self.count(ti, 0, i + 1, blanks - 1, True)
            result = min(result, 10**9)
        self.memo[key] = result
        return result

    def readings(self, limit: int) -> tuple[list[tuple[Value, ...]], bool]:
        """Up to ``limit`` readings (allowed by the groups); False when the search was cut."""
        out: list[tuple[Value, ...]] = []

        def walk(ti: int, off: int, acc: tuple[Value, ...], blanks: int, gap: bool) -> bool:
            self.steps += 1
            if self.steps > _STEPS or len(out) > limit:
                return False
            i = len(acc)
            if i == self.n:
                if ti == len(self.tokens) and blanks == 0:
                    out.append(acc)
                return True
            if ti == len(self.tokens) or self.count(ti, off, i, blanks, gap) == 0:
                return True
            required = None
            if i in self.totals:
                required = sum(acc[p] or 0 for p in self.totals[i])
            for value, t, o in self._cells(ti, off):
                if required is not None and (value or 0) != required:
                    continue
                if not walk(t, o, (*acc, value), blanks, False):
                    return False
            can_blank = off == 0 and ti > 0 and blanks and not gap and not required
            return not can_blank or walk(ti, 0, (*acc, None), blanks - 1, True)

        complete = walk(0, 0, (), self.blanks, False)
        return out, complete and len(out) <= limit
