"""Find tables 二, 三 and 四 in a report's stream and read their cells.

Each row's numbers are the first run after its label and before the next label found; how a
run becomes cells is :mod:`gongkai.annual.parse.digits`. Never a guess: a cell that cannot be
read is ``None`` with a ``cell.unreadable`` finding naming the row and the line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from gongkai.annual.checks import FORMAT_LAYOUT, make_finding
from gongkai.annual.formats import (
    APPLICATION_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Format,
)
from gongkai.annual.parse import digits
from gongkai.annual.parse.assign import assign_runs, region_end
from gongkai.annual.parse.columns import resolve_by_columns
from gongkai.annual.parse.columns_text import header_starts, place, usual_offset
from gongkai.annual.parse.consistency import doubtful_rows
from gongkai.annual.parse.labels import EXACT, Anchor, find_rows
from gongkai.annual.parse.proactive import read_proactive
from gongkai.annual.parse.rows import (
    Pending,
    Tables,
    apply_run,
    drift,
    make_finding_inferred,
    missing_row,
    unreadable,
    withdraw,
)
from gongkai.annual.parse.stream import Run, Stream

__all__ = ["HEADINGS", "Tables", "find_headings", "read_tables"]

#: Section headings (on the compact text): 二 … 六.
HEADINGS: dict[str, re.Pattern[str]] = {
    "一": re.compile(r"一[.、]总体情况"),
    "二": re.compile(r"二[.、]主动公开"),
    "三": re.compile(r"三[.、]收到和处理"),
    "四": re.compile(r"四[.、][^。]{0,14}?行政复议"),
    "五": re.compile(r"五[.、][^。]{0,16}?问题"),
    "六": re.compile(r"六[.、]其他需要报告"),
}
_T3_GROUPS: list[digits.Group] = [(tuple(range(6)), 6)]
_T4_GROUPS: list[digits.Group] = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]


#: Headings worded or numbered otherwise (「（三）政府信息公开申请办理情况」「第四部分 因政府信息
#: 公开工作被申请行政复议、提起行政诉讼情况」), looked for where the template's is missing.
#: Each names its section in full, so a sub-heading of 一 (「（一）主动公开情况」) is not taken.
ALTERNATE_HEADINGS: dict[str, re.Pattern[str]] = {
    "一": re.compile(r"总体情况|基本情况"),
    "二": re.compile(r"主动公开政府信息(?:的|工作)?情况|政府信息主动公开(?:工作)?情况"),
    "三": re.compile(r"收到和处理政府信息公开申请|政府信息公开申请(?:的)?(?:收到|受理|办理|处理)"),
    "四": re.compile(r"行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况|被申请行政复议"),
    "五": re.compile(r"存在的主要问题|主要问题(?:及|和)改进"),
    "六": re.compile(r"其他需要报告的事项"),
}


@functools.lru_cache(maxsize=8)
def find_headings(compact: str) -> dict[str, tuple[int, int]]:
    """Return (start, end) in ``compact`` of each section heading found, searched in order:
    the template's wording first, then (between the headings found) other wordings."""
    found: dict[str, tuple[int, int]] = {}
    cursor = 0
    for name, pattern in HEADINGS.items():
        match = pattern.search(compact, cursor)
        if match:
            found[name] = match.span()
            cursor = match.end()
    order = list(HEADINGS)
    for index, name in enumerate(order):
        if name in found:
            continue
        low = max((found[n][1] for n in order[:index] if n in found), default=0)
        high = min((found[n][0] for n in order[index + 1 :] if n in found), default=len(compact))
        match = ALTERNATE_HEADINGS[name].search(compact, low, high)
        if match:
            found[name] = match.span()
    return dict(sorted(found.items(), key=lambda item: order.index(item[0])))


def _window(headings: dict[str, tuple[int, int]], name: str, size: int) -> tuple[int, int]:
    order = list(HEADINGS)
    index = order.index(name)
    start = headings[name][1] if name in headings else None
    if start is None:
        start = max((headings[n][1] for n in order[:index] if n in headings), default=0)
    end = min((headings[n][0] for n in order[index + 1 :] if n in headings), default=size)
    return start, max(start, end)


def read_tables(stream: Stream, fmt: Format, year: int | None = None) -> Tables:
    """Read every table of ``fmt`` from ``stream``."""
    out = Tables()
    headings = find_headings(stream.compact)
    size = len(stream.compact)
    read_proactive(stream, fmt, _window(headings, "二", size), out, year)
    _read_applications(stream, fmt, _window(headings, "三", size), out)
    _read_review(stream, _window(headings, "四", size), out)
    return out


def _read_applications(stream: Stream, fmt: Format, window: tuple[int, int], out: Tables) -> None:
    start, end = window
    rows = [(row.key, row.label) for row in fmt.application_rows]
    anchors = find_rows(stream.compact, rows, start, end)
    out.rows_found += sum(1 for a in anchors.values() if a.how == EXACT)
    if not anchors:
        out.applications = {}
        return
    single = None
    sub_rows = ("other_overdue_correction", "other_overdue_fee", "other_other")
    if fmt.code == "2021" and not any(key in anchors for key in sub_rows):
        low = anchors["not_processed_confirm"].end if "not_processed_confirm" in anchors else start
        high = anchors["total_processed"].pos if "total_processed" in anchors else end
        found = find_rows(stream.compact, [("other", "（六）其他处理")], low, high)
        if "other" in found:
            single = replace(found["other"], key="other_single")
            anchors["other_single"] = single
    labels = {row.key: row.label for row in fmt.application_rows}
    pending: dict[str, Pending] = {}
    runs = assign_runs(stream, anchors, end)
    order = [*fmt.application_row_keys[:-2], "other_single", *fmt.application_row_keys[-2:]]
    doubt = doubtful_rows(stream, anchors, runs, order, end)
    centers = _column_centers(stream, start, anchors, runs)
    for key in fmt.application_row_keys:
        paths = [f"applications.{key}.{col}" for col in APPLICATION_COLUMN_KEYS]
        out.applications[key] = dict.fromkeys(APPLICATION_COLUMN_KEYS)
        if key in sub_rows and single is not None:
            if key != "other_other":
                out.absent.update(paths)
                continue
            anchor: Anchor | None = single
        else:
            anchor = anchors.get(key)
        if anchor is None:
            missing_row(out, stream, labels[key], paths, start)
            continue
        if anchor is not single and anchor.how != EXACT:
            drift(out, anchor, labels[key], paths, stream, region_end(anchor, anchors, end))
        run = runs.get(anchor.key if anchor is single else key)
        if anchor.key in doubt:
            withdraw(out, stream, anchor, labels[key], paths, doubt[anchor.key])
            continue
        values = apply_run(
            out, stream, run, 7, _T3_GROUPS, paths, labels[key], anchor.pos, pending, centers
        )
        out.applications[key] = dict(zip(APPLICATION_COLUMN_KEYS, values, strict=True))
    _settle(out, fmt, pending)
    if single is not None:
        cells = [
            f"applications.{key}.{col}" for key in sub_rows[:2] for col in APPLICATION_COLUMN_KEYS
        ]
        out.findings.append(
            make_finding(
                FORMAT_LAYOUT,
                "（六）其他处理印成一行（2021年格式应分三行）：数值计入「3.其他」，另两行留空",
                cells,
            )
        )


def _column_centers(
    stream: Stream, start: int, anchors: dict[str, Anchor], runs: dict[str, Run | None]
) -> tuple[list[float], int] | None:
    """Where table 三's columns start in column-aligned text, and where numbers end in them."""
    first = min(anchors.values(), key=lambda a: a.pos)
    lines = range(stream.line_at(start), stream.line_at(first.pos) + 1)
    starts = header_starts([stream.spaced.get(n, "") for n in lines])
    if starts is None:
        return None
    placements = []
    for run in runs.values():
        if not run or not run.cols or len(run.tokens) > 7:
            continue
        where = place(run.cols, starts)
        if len(run.tokens) == 7 and where != list(range(7)):
            return None  # rows printed in full disagree with the header
        if where is not None:
            placements.append((run.cols, where))
    offset = usual_offset(placements, starts)
    return None if offset is None else (starts, offset)


def _settle(out: Tables, fmt: Format, pending: dict[str, Pending]) -> None:
    """Settle ambiguous rows of 三 by the columns' arithmetic (outcome sums, the balance)."""
    if not pending:
        return
    chosen = resolve_by_columns(
        out.applications,
        {key: item.reading.pool for key, item in pending.items()},
        outcome_keys=fmt.outcome_row_keys,
        unreadable=out.unreadable,
    )
    for key, item in pending.items():
        if chosen is None:
            unreadable(out, item.reading, item.raw, item.line, item.cells, item.label, 7)
            continue
        out.applications[key] = dict(zip(APPLICATION_COLUMN_KEYS, chosen[key], strict=True))
        out.findings.append(
            make_finding_inferred(
                f"「{item.label}」（第{item.line}行）：数字连在一起（“{item.raw}”），"
                f"本行有{len(item.reading.pool)}种拆法都合计正确，按各列的合计关系"
                f"（办理结果之和、第一项加第二项等于第三项加第四项）只有一种成立，据此拆分",
                item.cells,
            )
        )


def _read_review(stream: Stream, window: tuple[int, int], out: Tables) -> None:
    start, end = window
    header = stream.compact.find("维持", start, end)
    if header < 0:
        header = stream.compact.find("复议", start, end)
    if header < 0 and "四" in find_headings(stream.compact):
        header = start  # a header without its words (「数据1」…): the table follows the heading
    if header < 0:
        out.review_litigation = {}
        return
    used: list[Run] = []
    blank_row: Run | None = None  # a data row printed with every cell empty
    for run in stream.runs_between(header, end):
        if not run.has_numbers and not used:
            blank_row = blank_row or (run if len(run.tokens) >= 15 else None)
            continue
        used.append(run)
        if sum(digits.capacity(t) for r in used for t in r.tokens) >= 15:
            break
    paths = [f"review_litigation.{g}.{c}" for g, _ in REVIEW_GROUPS for c, _ in REVIEW_COLUMNS]
    if not used and blank_row is not None:
        used = [blank_row]
    row: Run | None = None
    if used:
        row = Run(
            [t for r in used for t in r.tokens],
            all(r.reliable for r in used),
            used[0].line,
            open_start=used[0].open_start,
            open_end=used[-1].open_end,
            per_line=any(r.per_line for r in used),
        )
    values = apply_run(out, stream, row, 15, _T4_GROUPS, paths, "四、行政复议、行政诉讼", header)
    it = iter(values)
    out.review_litigation = {
        group: {col: next(it) for col, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS
    }
