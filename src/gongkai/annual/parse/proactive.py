"""Table 二 (主动公开政府信息情况): one small table per item of 条例第二十条.

Rows are found by their labels (:mod:`.labels`) and read like every row (:mod:`.rows`). A
report that prints fewer columns than the template, naming the ones it prints (or naming them
by year: 「2019年项目数量」 for 上一年项目数量 in a report on 2020), has its values placed under
those columns; the columns it leaves out are ``null`` with a ``format.layout`` finding.
"""

from __future__ import annotations

import re

from gongkai.annual.checks import FORMAT_LAYOUT, make_finding
from gongkai.annual.formats import MONEY_COLUMNS, Format
from gongkai.annual.parse.assign import assign_runs, region_end
from gongkai.annual.parse.consistency import doubtful_rows
from gongkai.annual.parse.labels import EXACT, find_rows
from gongkai.annual.parse.normalize import label_key
from gongkai.annual.parse.rows import Tables, apply_run, drift, missing_row, withdraw
from gongkai.annual.parse.stream import Stream


def read_proactive(
    stream: Stream, fmt: Format, window: tuple[int, int], out: Tables, year: int | None = None
) -> None:
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
    low = start
    for table in fmt.proactive:
        found = [anchors[row] for row in table.rows if row in anchors]
        printed = None
        if found:
            header = stream.compact[low : min(a.pos for a in found)]
            printed = printed_columns(header, table.columns, year)
            low = max(a.end for a in found)
        if printed is not None:
            _missing_columns(out, table.caption, table.rows, table.columns, printed)
        for row in table.rows:
            columns = printed or table.columns
            paths = [f"proactive.{row}.{col}" for col in columns]
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
            values = apply_run(out, stream, run, len(columns), [], paths, row, anchor.pos)
            out.proactive[row].update(zip(columns, values, strict=True))
            money = [col for col in table.columns if col in MONEY_COLUMNS]
            unit = (run.unit if run else None) or _header_unit(stream.compact, start, end)
            if money and unit and unit != ("万元" if "万元" in money[-1] else None):
                out.units[f"proactive.{row}.{money[-1]}"] = unit


def printed_columns(
    header: str, columns: tuple[str, ...], year: int | None
) -> tuple[str, ...] | None:
    """The template's columns a table's header names, in order, when it names some but not
    all of them (``None`` otherwise: all named, none, or out of order).

    A column named by year counts: 「2019年项目数量」 is 上一年项目数量 in a report on 2020.
    """
    if year:
        header = header.replace(f"{year - 1}年", "上一年").replace(f"{year}年", "本年")
    found = []
    for column in columns:
        key = label_key(column.split("（")[0])
        at = header.find(key)
        if at >= 0:
            found.append((at, column))
    if not found or len(found) == len(columns):
        return None
    if [column for _, column in sorted(found)] != [column for _, column in found]:
        return None
    rest = header
    for column in columns:
        rest = rest.replace(label_key(column.split("（")[0]), "")
    if _HEADER_WORDS.sub("", rest):
        return None  # more words than the columns found: a name cut or split, not left out
    return tuple(column for _, column in found)


def _missing_columns(
    out: Tables, caption: str, rows: tuple[str, ...], columns: tuple[str, ...], printed
) -> None:
    absent = [f"proactive.{row}.{col}" for row in rows for col in columns if col not in printed]
    names = "、".join(f"「{col}」" for col in columns if col not in printed)
    out.unreadable.update(absent)
    out.findings.append(
        make_finding(
            FORMAT_LAYOUT,
            f"表二{caption}没有印出{names}列（只印出{len(printed)}列），这些单元格留空",
            absent,
        )
    )


#: What a header of table 二 prints besides column names.
_HEADER_WORDS = re.compile(
    r"第二十条第\([一二三四五六七八九十]+\)项|信息内容|项目|数据\d*|[(:)单位万元]"
)
_HEADER_UNIT = re.compile(r"(?:采购总金额|收费金额)\((?:单位:)?(万元|元)\)")


def _header_unit(compact: str, start: int, end: int) -> str | None:
    """The unit a money column's header prints (「采购总金额（万元）」「本年收费金额（单位：元）」)."""
    match = _HEADER_UNIT.search(compact, start, end)
    return match.group(1) if match else None
