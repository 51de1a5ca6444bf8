"""Which run of numbers belongs to which row label.

Normally a row's numbers are the first run after its label (and before the next label). PDF
text sometimes prints a row's numbers on the line above its label (the label is centred lower
in a tall cell), which shows as one label followed by two runs and a later label by none. Then
the rows are matched by lines instead: a run on a label's own line(s) is that row's; another
run goes to the nearest row still without numbers, and where two rows are equally near, to
neither (those cells are reported unreadable rather than guessed).
"""

from __future__ import annotations

from bisect import bisect_right

from gongkai.annual.parse.labels import Anchor
from gongkai.annual.parse.stream import Run, Stream


def region_end(anchor: Anchor, anchors: dict[str, Anchor], end: int) -> int:
    """Where a row's region ends: at the next label found, or at the end of the table."""
    return min((a.pos for a in anchors.values() if a.pos > anchor.pos), default=end)


def first_run(stream: Stream, start: int, end: int) -> Run | None:
    """The first run with a number after ``start`` (else the first all-blank one)."""
    runs = stream.runs_between(start, end)
    for run in runs:
        if run.has_numbers:
            return run
    return runs[0] if runs else None


def region_ends(anchors: dict[str, Anchor], end: int) -> dict[str, int]:
    """:func:`region_end` of every anchor at once."""
    positions = sorted({a.pos for a in anchors.values()})
    out = {}
    for key, anchor in anchors.items():
        index = bisect_right(positions, anchor.pos)
        out[key] = positions[index] if index < len(positions) else end
    return out


def assign_runs(stream: Stream, anchors: dict[str, Anchor], end: int) -> dict[str, Run | None]:
    """The run of each row label in ``anchors`` (``None``: no numbers found for it)."""
    ends = region_ends(anchors, end)
    by_order = {key: first_run(stream, anchor.pos, ends[key]) for key, anchor in anchors.items()}
    misaligned = False
    for key, anchor in anchors.items():
        runs = stream.runs_between(anchor.pos, ends[key])
        numeric = [run for run in runs if run.has_numbers and not run.reliable]
        if len(numeric) > 1 and len({run.line for run in numeric}) > 1:
            misaligned = True
    return _by_lines(stream, anchors, end) if misaligned else by_order


def _by_lines(stream: Stream, anchors: dict[str, Anchor], end: int) -> dict[str, Run | None]:
    spans = {
        key: (stream.line_at(a.pos), stream.line_at(max(a.pos, a.end - 1)))
        for key, a in anchors.items()
    }
    low = min(a.pos for a in anchors.values())
    runs = [run for run in stream.runs if low < run.pos <= end and run.has_numbers]
    assigned: dict[str, Run] = {}
    left: list[Run] = []
    for run in runs:
        owners = [key for key, (a, b) in spans.items() if a <= run.line <= b]
        if len(owners) == 1 and owners[0] not in assigned:
            assigned[owners[0]] = run
        else:
            left.append(run)
    for run in sorted(left, key=lambda r: r.line):
        distance = {
            key: min(abs(run.line - a), abs(run.line - b))
            for key, (a, b) in spans.items()
            if key not in assigned
        }
        if not distance:
            break
        nearest = min(distance.values())
        owners = [key for key, d in distance.items() if d == nearest]
        if nearest <= 2 and len(owners) == 1:
            assigned[owners[0]] = run
    return {key: assigned.get(key) for key in anchors}
