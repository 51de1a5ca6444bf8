"""Table 二 (主动公开政府信息情况): one small table per item of 条例第二十条.

Rows are found by their labels (:mod:`.labels`) and read like every row (:mod:`.rows`). A
report that prints fewer columns than the template, naming the ones it prints (or naming them
by year: 「2019年项目数量」 for 上一年项目数量 in a report on 2020), has its values placed under
those columns; the columns it leaves out are ``null`` with a ``format.layout`` finding.
"""

from __future__ import annotations

import re

from gongkai.annual.formats import MONEY_COLUMNS, Format
from gongkai.annual.parse.assign import assign_runs, region_end
from gongkai.annual.parse.consistency import doubtful_rows
from gongkai.annual.parse.labels import EXACT, find_rows
from gongkai.annual.parse.rows import Tables, apply_run, drift, missing_row, withdraw
from gongkai.annual.parse.stream import Stream


def read_proactive(stream: Stream, fmt: Format, window: tuple[int, int], out: Tables) -> None:
    start, end = window
    rows = [(row, row) for table in fmt.proactive for row in table.rows]
    first = stream.compact.find("第二十条", start, end)
    anchors = find_rows(stream.compact, rows, first if first >= 0 else start, end)
    if first > start and not any(row in anchors for row in fmt.proactive[0].rows):
        # The first table's caption is lost (a converter's generic header): its rows come
        # before the first 「第二十条」 found.
        early = find_rows(stream.compact, rows, start, end)
        if all(early.get(row) for row in fmt.proactive[0].rows):
            anchors = early
    else:
        start = first if first >= 0 else start
    out.rows_found += sum(1 for a in anchors.values() if a.how == EXACT)
    if not anchors:
        out.proactive = {}
        return
    runs = assign_runs(stream, anchors, end)
    doubt = doubtful_rows(stream, anchors, runs, [row for row, _ in rows], end)
    for table in fmt.proactive:
        for row in table.rows:
            paths = [f"proactive.{row}.{col}" for col in table.columns]
            out.proactive[row] = dict.fromkeys(table.columns)
            anchor = anchors.get(row)
            if anchor is None:
                missing_row(out, stream, row, paths, start)
                continue
            if anchor.how != EXACT:
                drift(out, anchor, row, paths, stream, region_end(anchor, anchors, end))
            run = runs.get(row)
            if row in doubt:
                withdraw(out, stream, anchor, row, paths, doubt[row])
                continue
            values = apply_run(out, stream, run, len(table.columns), [], paths, row, anchor.pos)
            out.proactive[row] = dict(zip(table.columns, values, strict=True))
            money = [col for col in table.columns if col in MONEY_COLUMNS]
            unit = (run.unit if run else None) or _header_unit(stream.compact, start, end)
            if money and unit and unit != ("万元" if "万元" in money[-1] else None):
                out.units[f"proactive.{row}.{money[-1]}"] = unit


_HEADER_UNIT = re.compile(r"(?:采购总金额|收费金额)\((?:单位:)?(万元|元)\)")


def _header_unit(compact: str, start: int, end: int) -> str | None:
    """The unit a money column's header prints (「采购总金额（万元）」「本年收费金额（单位：元）」)."""
    match = _HEADER_UNIT.search(compact, start, end)
    return match.group(1) if match else None
