"""Read the cells of one table row from a run of numbers whose cell boundaries may be lost.

Crawlers concatenate a row's cells (``2000002``) and pad with stray spaces (``10 0 00 01``).
Spaces never fall inside a number, so each whitespace-separated token holds one or more whole
cells; a cell is ``0`` or has no leading zero; a blank cell prints nothing, so it can only sit
in whitespace. Of the readings that leaves, the table's own arithmetic picks one (row total =
sum of the six applicant columns; each 四 group's total = sum of its four results). If exactly
one reading is possible at all, it is the printed table, even when its arithmetic is wrong (the
checks then report the report's error). If several remain, only the cells every reading agrees
on, from the left, are kept; the rest are ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

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
    if text.isdigit() and text.isascii() and len(text) <= _MAX_DIGITS:
        if text[0] != "0" or len(text) == 1:
            return int(text)
        raise ValueError(text)
    if not _CELL.fullmatch(text):
        raise ValueError(text)
    return float(text) if "." in text else int(text)


def read_row(
    tokens: Sequence[str | None],
    n: int,
    groups: Sequence[Group] = (),
    *,
    gaps_may_be_blank: bool = False,
    open_start: bool = False,
    open_end: bool = False,
    padding_first: str = "end",
    split: bool = True,
    strict_padding: bool = False,
) -> Reading:
    """Read ``n`` cells from ``tokens`` (``None`` = a cell known to be blank).

    Table cells beyond the row's ``n`` that are blank are padding: the empty positions a
    converter leaves for a merged cell. ``padding_first`` says where to drop them from first:
    ``"start"`` where labels are merged across columns (table 三), ``"end"`` where values are
    (table 二).

    In text (``gaps_may_be_blank``), a blank cell prints nothing, so one or more blank cells may
    sit in any whitespace between tokens — and before the first (``open_start``) or after the
    last (``open_end``) when whitespace is there. Without whitespace there is no blank.
    """
    tokens = list(tokens)
    # Blank cells beyond the row's width are the padding merged cells leave (on the side the
    # template puts them); numbers gathered from several rows (``strict_padding``) are read
    # only if dropping blanks from either end gives the same reading.
    if not gaps_may_be_blank and len(tokens) > n:
        sides = (0, -1) if padding_first == "start" else (-1, 0)
        trimmed = _trim(tokens, n, sides)
        if strict_padding and trimmed != _trim(tokens, n, sides[::-1]):
            # Blank cells on both sides, more than the row has: which are padding is a guess.
            return Reading([None] * n, UNREADABLE, set(range(n)), 0)
        tokens = trimmed
    if len(tokens) == n:
        try:
            return Reading([None if t is None else parse_number(t) for t in tokens], OK)
        except ValueError:
            pass
    if not split:
        # Each token is a whole table cell: never cut one into several cells.
        if len(tokens) < n and groups:
            return read_repeats(tokens, n, groups)
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    gaps = (gaps_may_be_blank, gaps_may_be_blank and open_start, gaps_may_be_blank and open_end)
    if all(t is None or not t.strip("0") for t in tokens):
        # Only zeros: a cell never starts with 0 and goes on, so each 0 is a cell of its own,
        # and when they fill the row there is no room left for a blank.
        if sum(len(t) if t else 1 for t in tokens) == n:
            return Reading([None if t is None else 0 for t in tokens for _ in (t or "-")], OK)
    elif (
        not (gaps[1] or gaps[2] or (gaps[0] and len(tokens) > 1))
        and sum(len(t) for t in tokens if t) == n
        and all(t is not None and t.isdigit() and t.isascii() for t in tokens)
    ):
        # One digit per cell and nowhere for a blank: the only reading.
        return Reading([int(d) for t in tokens for d in t or ""], OK)
    walker = _Walker(tokens, n, gaps, ())
    count = walker.count()
    if count == 0:
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    if count == 1:
        (only,), _ = walker.readings(limit=1)
        return Reading(list(only), OK)
    if groups:
        valid, complete = _Walker(tokens, n, gaps, groups).readings(limit=_LIMIT)
        if len(valid) == 1 and complete:
            return Reading(list(valid[0]), INFERRED, candidates=count)
        if len(valid) > 1 and complete:
            # Keep only what every reading shares, not just those that add up: a report that
            # does not add up must not have cells inferred without saying so.
            agreed = walker.prefix()
            values = [*agreed, *([None] * (n - len(agreed)))]
            return Reading(values, AMBIGUOUS, set(range(len(agreed), n)), len(valid), valid)
    agreed = walker.prefix()
    values = [*agreed, *([None] * (n - len(agreed)))]
    return Reading(values, AMBIGUOUS, set(range(len(agreed), n)), count)


def _trim(tokens: list[str | None], n: int, sides: tuple[int, int]) -> list[str | None]:
    """Drop blank tokens beyond ``n`` from the ends, ``sides[0]`` first."""
    out = list(tokens)
    for side in sides:
        while len(out) > n and out[side] is None:
            out.pop(side)
    return out


def read_repeats(tokens: Sequence[str | None], n: int, groups: Sequence[Group]) -> Reading:
    """Read ``n`` cells from fewer whole cells, each standing for one or more equal cells in a
    row (a tool that keeps one of consecutive identical lines stored 3/0/0/0/0/0/3 as 3, 0, 3).

    Only a reading the table's arithmetic (``groups``) leaves alone is taken, as INFERRED.
    """
    k = len(tokens)
    try:
        values = [None if t is None else parse_number(t) for t in tokens]
    except ValueError:
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    if k == 0:
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    found: list[tuple[Value, ...]] = []
    candidates = 0
    for cuts in combinations(range(1, n), k - 1):
        bounds = (0, *cuts, n)
        row = tuple(
            value for i, value in enumerate(values) for _ in range(bounds[i + 1] - bounds[i])
        )
        candidates += 1
        if row not in found and all(
            abs(sum(row[p] or 0 for p in parts) - (row[t] or 0)) < 1e-6 for parts, t in groups
        ):
            found.append(row)
            if len(found) > 1:
                break
    if len(found) == 1:
        return Reading(list(found[0]), INFERRED, candidates=candidates)
    return Reading([None] * n, UNREADABLE, set(range(n)), candidates)


def read_joins(tokens: Sequence[str | None], n: int, groups: Sequence[Group]) -> Reading:
    """Read ``n`` cells from more numbers than cells, printed one per line, where a number may
    be broken over two lines (``1`` then ``62`` for 162): join neighbours until ``n`` remain.

    Only a reading the table's arithmetic (``groups``) leaves alone is taken, as INFERRED.
    """
    k = len(tokens)
    if k <= n or k - n > 4 or not groups or any(t is None or "." in t for t in tokens):
        return Reading([None] * n, UNREADABLE, set(range(n)), 0)
    found: list[tuple[Value, ...]] = []
    candidates = 0
    for joins in combinations(range(1, k), k - n):
        cells: list[str] = []
        for index, token in enumerate(tokens):
            if index in joins:
                cells[-1] += token  # type: ignore[operator]
            else:
                cells.append(token)  # type: ignore[arg-type]
        if not all(_CELL.fullmatch(cell) for cell in cells):
            continue
        row = tuple(parse_number(cell) for cell in cells)
        candidates += 1
        if row not in found and all(
            abs(sum(row[p] or 0 for p in parts) - (row[t] or 0)) < 1e-6 for parts, t in groups
        ):
            found.append(row)
            if len(found) > 1:
                break
    if len(found) == 1:
        return Reading(list(found[0]), INFERRED, candidates=candidates)
    return Reading([None] * n, UNREADABLE, set(range(n)), candidates)


_LIMIT = 2000
_STEPS = 50_000


def capacity(token: str | None) -> int:
    """The most cells a token can hold (one per digit; a decimal or blank holds one)."""
    if token is None or "." in token:
        return 1
    return len(token.lstrip("-"))


class _Walker:
    """Walk every way to cut ``tokens`` into ``n`` cells (cells never span tokens).

    ``gaps`` = (between tokens, before the first, after the last): where blank cells may sit.
    With ``groups``, a group's total cell is not chosen but required to print the sum of its
    parts, which prunes the search to the readings the table's arithmetic allows.
    """

    def __init__(
        self,
        tokens: list[str | None],
        n: int,
        gaps: tuple[bool, bool, bool],
        groups: Sequence[Group],
    ) -> None:
        self.tokens = tokens
        self.n = n
        self.inner, self.before, self.after = gaps
        self.totals = {total: parts for parts, total in groups}
        self.memo: dict[tuple[int, int, int], int] = {}
        self.cells: dict[tuple[int, int], list[tuple[Value, int, int]]] = {}
        self.steps = 0

    def _blank_here(self, ti: int, off: int) -> bool:
        """May a blank cell sit at (token ti, offset off)?"""
        if off:
            return False
        if ti == 0:
            return self.before
        if ti == len(self.tokens):
            return self.after
        return self.inner

    def _ways(self, ti: int, off: int) -> list[tuple[Value, int, int]]:
        """Every cell that can start here, as (value, next ti, next off); a blank stays put."""
        ways = list(self._cells(ti, off)) if ti < len(self.tokens) else []
        if self._blank_here(ti, off):
            ways.append((None, ti, off))
        return ways

    def count(self, ti: int = 0, off: int = 0, i: int = 0) -> int:
        key = (ti, off, i)
        if key in self.memo:
            return self.memo[key]
        if i == self.n:
            result = int(ti == len(self.tokens))
        else:
            result = min(sum(self.count(t, o, i + 1) for _, t, o in self._ways(ti, off)), 10**9)
        self.memo[key] = result
        return result

    def prefix(self) -> list[Value]:
        """The cells every reading agrees on, from the left (walk while only one way on)."""
        out: list[Value] = []
        ti, off = 0, 0
        while len(out) < self.n:
            i = len(out)
            ways = [w for w in self._ways(ti, off) if self.count(w[1], w[2], i + 1)]
            if len(ways) != 1:
                break
            value, ti, off = ways[0]
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

    def readings(self, limit: int) -> tuple[list[tuple[Value, ...]], bool]:
        """Up to ``limit`` readings (allowed by the groups); False when the search was cut."""
        if self.totals.get(self.n - 1) == tuple(range(self.n - 1)):
            return self._readings_by_total(limit)
        out: list[tuple[Value, ...]] = []

        def walk(ti: int, off: int, acc: tuple[Value, ...]) -> bool:
            self.steps += 1
            if self.steps > _STEPS or len(out) > limit:
                return False
            i = len(acc)
            if i == self.n:
                if ti == len(self.tokens):
                    out.append(acc)
                return True
            if self.count(ti, off, i) == 0:
                return True
            required = None
            if i in self.totals:
                required = sum(acc[p] or 0 for p in self.totals[i])
            for value, t, o in self._ways(ti, off):
                if required is not None and (value or 0) != required:
                    continue
                if not walk(t, o, (*acc, value)):
                    return False
            return True

        complete = walk(0, 0, ())
        return out, complete and len(out) <= limit

    def _readings_by_total(self, limit: int) -> tuple[list[tuple[Value, ...]], bool]:
        """Readings of a row whose last cell is the sum of all the others (table 三).

        The total is a suffix of the row, so try each; counts are never negative, so the
        search for the other cells stops as soon as they add up to more than that total.
        """
        out: list[tuple[Value, ...]] = []
        last = self.tokens[-1] if self.tokens else None
        # (total, the tokens left for the other cells, may blanks end those tokens?)
        endings: list[tuple[Value, list[str | None], bool]] = []
        if last is not None and "." not in last:
            for cut in range(max(0, len(last) - _MAX_DIGITS), len(last)):
                if _CELL.fullmatch(last[cut:]) and not last[cut:].startswith("-"):
                    head = [last[:cut]] if cut else []
                    # a cut inside a token leaves no whitespace for a blank before the total
                    endings.append((int(last[cut:]), [*self.tokens[:-1], *head], not cut))
        elif last is None:
            endings.append((None, self.tokens[:-1], False))
        if self.after and self.tokens:
            endings.append((None, list(self.tokens), True))
        for total, rest, open_end in endings:
            target = total or 0
            inner = _Walker(rest, self.n - 1, (self.inner, self.before, False), ())
            inner.after = open_end and (self.inner if total is not None else self.after)

            def walk(
                ti: int,
                off: int,
                acc: tuple[Value, ...],
                partial: float,
                inner: _Walker = inner,
                rest: list[str | None] = rest,
                target: float = target,
                total: Value = total,
            ) -> bool:
                self.steps += 1
                if self.steps > _STEPS or len(out) > limit:
                    return False
                if len(acc) == inner.n:
                    if ti == len(rest) and abs(partial - target) < 1e-6:
                        out.append((*acc, total))
                    return True
                if inner.count(ti, off, len(acc)) == 0:
                    return True
                for value, t, o in inner._ways(ti, off):
                    if partial + (value or 0) > target + 1e-6:
                        continue
                    if not walk(t, o, (*acc, value), partial + (value or 0)):
                        return False
                return True

            if not walk(0, 0, (), 0):
                return out, False
        return out, len(out) <= limit
