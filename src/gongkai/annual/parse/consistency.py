"""The reader's last word on a table: are its labels and numbers paired one to one?

Every row of a table prints a label and then its numbers. When a report's layout defeats the
reader — a label cut short, merged with another, lost, or matched to the wrong text — a row
can end up with the numbers of its neighbour. That shifted reading would look like any other,
so this pass looks for its traces, whatever the layout:

- a run of numbers in the table that no row took (numbers without a label), next to a row whose
  label is not certain (:func:`certain`): that row may hold the numbers of the row whose label
  is lost;
- a row whose label is not certain and sits out of the template's order;
- a row whose numbers another row also took;
- a row whose label is not printed verbatim and whose numbers come before the label ends.

Such rows are withdrawn: their cells are ``null`` with a ``cell.unreadable`` finding that says
where and why (docs/adr/auditor-never-guesses.md). A row whose label is printed verbatim and
whose numbers follow it keeps them: numbers follow their label.
"""

from __future__ import annotations

from gongkai.annual.parse.labels import EXACT, KEY, PREFIX, Anchor
from gongkai.annual.parse.stream import Run, Stream

UNPAIRED = "表中有一组数字找不到对应的行标签，本行的标签与数字无法一一对应"
OUT_OF_ORDER = "本行标签出现的位置与表格行序不符"
SHARED = "本行与另一行取到同一组数字"
BEFORE_LABEL = "本行标签不完整，而取到的数字在标签结束之前"


def certain(anchor: Anchor) -> bool:
    """Whether a label found is surely this row's: printed verbatim, by a distinctive key of
    four characters or more, or by a long beginning (a label cut short). A fuzzy match, or a
    short key, may be another row's label misprinted."""
    if anchor.how == EXACT:
        return True
    if anchor.how == KEY:
        return len(anchor.found.lstrip("0123456789.()一二三四五六七八")) >= 4
    return anchor.how == PREFIX and len(anchor.found) >= 8


def doubtful_rows(
    stream: Stream,
    anchors: dict[str, Anchor],
    runs: dict[str, Run | None],
    order: list[str],
    end: int,
) -> dict[str, str]:
    """Rows (keys of ``anchors``) whose numbers cannot be trusted, with the reason why.

    ``order`` is the template's row order; ``end`` where the table's window ends.
    """
    doubtful: dict[str, str] = {}
    placed = sorted(anchors.values(), key=lambda a: a.pos)
    if not placed:
        return doubtful
    taken: dict[int, str] = {}
    for key, run in runs.items():
        if run is None:
            continue
        anchor = anchors.get(key)
        if anchor is not None and anchor.how != EXACT and run.pos < anchor.end:
            doubtful[key] = BEFORE_LABEL
        if id(run) in taken:
            doubtful[key] = SHARED
            doubtful[taken[id(run)]] = SHARED
        taken[id(run)] = key
    # Template order: a row found by key or fuzzily must sit between its neighbours.
    rank = {key: index for index, key in enumerate(order)}
    ranked = [a for a in placed if a.key in rank]
    for before, after in zip(ranked, ranked[1:], strict=False):
        if rank[before.key] > rank[after.key]:
            for anchor in (before, after):
                if not certain(anchor):
                    doubtful.setdefault(anchor.key, OUT_OF_ORDER)
    # Numbers no row took, between the first row and the last row's numbers.
    last_taken = max((run.pos for run in runs.values() if run is not None), default=-1)
    for run in stream.runs_between(placed[0].pos, min(end, last_taken)):
        if not run.has_numbers or id(run) in taken:
            continue
        earlier = [a for a in placed if a.pos < run.pos]
        later = [a for a in placed if a.pos >= run.pos]
        for neighbour in earlier[-1:] + later[:1]:
            if not certain(neighbour):
                doubtful.setdefault(neighbour.key, UNPAIRED)
    return doubtful
