"""Blank cells in column-aligned text (PDF converters): place each number under its column.

A blank cell prints nothing, so ``26            26`` has two numbers for seven cells. Where the
header of table 三 prints the seven column names on lines of their own, each number goes to the
column whose name starts at or left of it (names and numbers are left- or right-aligned in a
column, never across the next name) — only when every number lands in a different column, the
rows printed in full agree with the header, and the row total still holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.annual.parse.digits import Value, parse_number

#: The first characters of each applicant column's name, as converters break them.
_HEADER_KEYS: tuple[tuple[str, ...], ...] = (
    ("自然",),
    ("商业",),
    ("科研",),
    ("社会", "公益"),
    ("法律",),
    ("其他",),
    ("总计", "总 计"),
)


def header_starts(lines: Sequence[str]) -> list[float] | None:
    """Where (in characters) each of the seven column names of 三 starts, from its header lines."""
    centers: list[float] = []
    for keys in _HEADER_KEYS:
        best: float | None = None
        for line in lines:
            for key in keys:
                at = line.find(key)
                while at >= 0 and key == "其他" and line[at - 1 : at] == "或":
                    at = line.find(key, at + 1)  # 「法人或其他组织」 is not the column 其他
                if at >= 0 and best is None:
                    best = at
        if best is None:
            return None
        centers.append(best)
    if any(b - a < 2 for a, b in zip(centers, centers[1:], strict=False)):
        return None
    return centers


def place(cols: Sequence[tuple[int, int]], starts: Sequence[float]) -> list[int] | None:
    """Index of the column each number falls in, or None if any is not clearly in one."""
    spacing = min(b - a for a, b in zip(starts, starts[1:], strict=False))
    out: list[int] = []
    for start, end in cols:
        middle = (start + end) / 2
        if middle < starts[0] - 1 or middle > starts[-1] + 2 * spacing:
            return None
        index = max(i for i in range(len(starts)) if i == 0 or starts[i] - 1 <= middle)
        if out and index <= out[-1]:
            return None
        out.append(index)
    return out


def usual_offset(
    placements: Sequence[tuple[Sequence[tuple[int, int]], list[int]]], starts: Sequence[float]
) -> int | None:
    """The distance from a column name's start to a number's end that most rows share."""
    counts: dict[int, int] = {}
    for cols, where in placements:
        for (_, end), index in zip(cols, where, strict=True):
            offset = round(end - starts[index])
            counts[offset] = counts.get(offset, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda o: counts[o])
    near = sum(n for o, n in counts.items() if abs(o - best) <= 1)
    return best if near * 2 > sum(counts.values()) else None


def read_by_columns(
    tokens: Sequence[str | None],
    cols: Sequence[tuple[int, int]],
    starts: Sequence[float],
    offset: int,
) -> list[Value] | None:
    """The seven cells of a row whose blank cells printed nothing, or None if not certain.

    Every number must sit where the table's other rows put theirs (``offset`` from its
    column name, give or take a character), and the row total must hold.
    """
    where = place(cols, starts)
    if where is None:
        return None
    if any(abs(end - starts[i] - offset) > 1 for (_, end), i in zip(cols, where, strict=True)):
        return None
    values: list[Value] = [None] * len(starts)
    try:
        for index, token in zip(where, tokens, strict=True):
            values[index] = None if token is None else parse_number(token)
    except ValueError:
        return None
    parts = sum(v or 0 for v in values[:-1])
    if values[-1] is None or abs(parts - values[-1]) > 1e-6:
        return None
    return values
