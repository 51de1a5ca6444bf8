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
    readings, complete = _enumerate(tokens, n, gaps_may_be_blank)
    if not complete or not readings:
        return Reading([None] * n, UNREADABLE, set(range(n)), len(readings))
    if len(readings) == 1:
        return Reading(list(readings[0]), OK)
    valid = [r for r in readings if _satisfies(r, groups)] if groups else []
    if len(valid) == 1:
        return Reading(list(valid[0]), INFERRED, candidates=len(readings))
    pool = valid or readings
    values: list[Value] = [None] * n
    agreed = 0
    for index in range(n):
        first = pool[0][index]
        if not all(r[index] == first and type(r[index]) is type(first) for r in pool):
            break
        values[index] = first
        agreed += 1
    return Reading(values, AMBIGUOUS, set(range(agreed, n)), len(pool))


def _satisfies(reading: Sequence[Value], groups: Sequence[Group]) -> bool:
    for parts, total in groups:
        if abs(sum(reading[i] or 0 for i in parts) - (reading[total] or 0)) > 1e-6:
            return False
    return True


def _splits(token: str, k: int) -> list[list[Value]]:
    """Every way to cut one token into ``k`` valid cells."""
    if k == 1:
        try:
            return [[parse_number(token)]] if len(token) <= _MAX_DIGITS + 8 else []
        except ValueError:
            return []
    if "." in token:
        return []
    out: list[list[Value]] = []
    start = 1 if token.startswith("-") else 0
    for cut in range(start + 1, min(len(token), start + _MAX_DIGITS + 1)):
        head = token[:cut]
        if not _CELL.fullmatch(head):
            continue
        for rest in _splits(token[cut:], k - 1):
            out.append([parse_number(head), *rest])
            if len(out) > _BUDGET:
                return out
    return out


def _capacity(token: str | None) -> int:
    if token is None or "." in token:
        return 1
    return len(token.lstrip("-"))


def _enumerate(
    tokens: list[str | None], n: int, gaps_may_be_blank: bool
) -> tuple[list[tuple[Value, ...]], bool]:
    """Every reading of ``tokens`` as ``n`` cells; second item False when the budget ran out."""
    if not tokens:
        return [], True
    blanks = 0
    capacity = sum(_capacity(t) for t in tokens)
    if capacity < n:
        if not gaps_may_be_blank or n - capacity > len(tokens) - 1:
            return [], True
        blanks = n - capacity
    out: list[tuple[Value, ...]] = []
    steps = 0

    def walk(i: int, left: int, blanks_left: int, acc: tuple[Value, ...]) -> bool:
        nonlocal steps
        steps += 1
        if steps > _BUDGET or len(out) > _BUDGET:
            return False
        if i == len(tokens):
            if left == 0 and blanks_left == 0:
                out.append(acc)
            return True
        token = tokens[i]
        rest_min = len(tokens) - i - 1
        rest_cap = sum(_capacity(t) for t in tokens[i + 1 :]) + blanks_left
        options: list[tuple[list[Value], int]] = []
        if token is None:
            options.append(([None], 0))
        else:
            for k in range(1, min(_capacity(token), left - rest_min) + 1):
                if left - k > rest_cap:
                    continue
                options += [(cells, 0) for cells in _splits(token, k)]
        for cells, _ in options:
            rest = acc + tuple(cells)
            if not walk(i + 1, left - len(cells), blanks_left, rest):
                return False
            gap = blanks_left and i + 1 < len(tokens) and left - len(cells) > 0
            if gap and not walk(i + 1, left - len(cells) - 1, blanks_left - 1, (*rest, None)):
                return False
        return True

    complete = walk(0, n, blanks, ())
    return out, complete
