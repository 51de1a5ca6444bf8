"""Find tables 二, 三 and 四 in a report's stream and read their cells.

Each row's numbers are the first run after its label and before the next label found; how a
run becomes cells is :mod:`gongkai.annual.parse.digits`. Never a guess: a cell that cannot be
read is ``None`` with a ``cell.unreadable`` finding naming the row and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gongkai.annual.checks import CELL_INFERRED, CELL_UNREADABLE, FORMAT_LAYOUT, make_finding
from gongkai.annual.document import Finding
from gongkai.annual.formats import (
    APPLICATION_COLUMN_KEYS,
    MONEY_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Format,
)
from gongkai.annual.parse import digits
from gongkai.annual.parse.assign import assign_runs, region_end
from gongkai.annual.parse.columns import resolve_by_columns
from gongkai.annual.parse.columns_text import (
    header_starts,
    place,
    read_by_columns,
    usual_offset,
)
from gongkai.annual.parse.consistency import doubtful_rows
from gongkai.annual.parse.labels import EXACT, Anchor, find_rows
from gongkai.annual.parse.normalize import label_key
from gongkai.annual.parse.stream import Run, Stream

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


@dataclass
class Tables:
    proactive: dict = field(default_factory=dict)
    applications: dict = field(default_factory=dict)
    review_litigation: dict = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    rows_found: int = 0  # labels of 二 and 三 found verbatim: does this look like a report?


def find_headings(compact: str) -> dict[str, tuple[int, int]]:
    """Return (start, end) in ``compact`` of each section heading found, searched in order."""
    found: dict[str, tuple[int, int]] = {}
    cursor = 0
    for name, pattern in HEADINGS.items():
        match = pattern.search(compact, cursor)
        if match:
            found[name] = match.span()
            cursor = match.end()
    return found


def _window(headings: dict[str, tuple[int, int]], name: str, size: int) -> tuple[int, int]:
    order = list(HEADINGS)
    index = order.index(name)
    start = headings[name][1] if name in headings else None
    if start is None:
        start = max((headings[n][1] for n in order[:index] if n in headings), default=0)
    end = min((headings[n][0] for n in order[index + 1 :] if n in headings), default=size)
    return start, max(start, end)


def read_tables(stream: Stream, fmt: Format) -> Tables:
    """Read every table of ``fmt`` from ``stream``."""
    out = Tables()
    headings = find_headings(stream.compact)
    size = len(stream.compact)
    _read_proactive(stream, fmt, _window(headings, "二", size), out)
    _read_applications(stream, fmt, _window(headings, "三", size), out)
    _read_review(stream, _window(headings, "四", size), out)
    return out


def _drift(
    out: Tables, anchor: Anchor, label: str, cells: list[str], stream: Stream, end: int
) -> None:
    """``format.layout`` for a row label printed otherwise than the template's."""
    if anchor.how == EXACT:
        return
    # Quote the label as printed: up to its numbers, the next label, or a little past its length.
    stop = min(
        [end, anchor.pos + len(label_key(label)) + 4]
        + [run.pos for run in stream.runs_between(anchor.pos, len(stream.compact))[:1]]
    )
    printed = stream.compact[anchor.pos : max(stop, anchor.end)]
    line = stream.line_at(anchor.pos)
    out.findings.append(
        make_finding(
            FORMAT_LAYOUT,
            f"第{line}行：行标签「{printed}」与模板「{label}」不一致，按「{label}」读取",
            cells,
        )
    )


def _apply(
    out: Tables,
    stream: Stream,
    run: Run | None,
    n: int,
    groups: list[digits.Group],
    cells: list[str],
    label: str,
    anchor_pos: int,
    pending: dict[str, _Pending] | None = None,
    centers: tuple[list[float], int] | None = None,
) -> list[digits.Value]:
    """Read ``run`` into ``n`` cells, recording findings; return the values.

    With ``pending``, a row left ambiguous with several arithmetic-consistent readings is
    parked there (no finding yet) for the column checks of :mod:`.columns` to settle.
    """
    line = run.line if run else stream.line_at(anchor_pos)
    if run is None:
        out.unreadable.update(cells)
        out.findings.append(
            make_finding(CELL_UNREADABLE, f"「{label}」（第{line}行）：未找到数值", cells)
        )
        return [None] * n
    if centers and run.cols and not run.reliable and len(run.tokens) < n:
        placed = read_by_columns(run.tokens, run.cols, *centers)
        if placed is not None:
            return placed
    reading = digits.read_row(
        run.tokens,
        n,
        groups,
        gaps_may_be_blank=not run.reliable and not run.in_cell,
        split=not run.reliable,
        open_start=run.open_start,
        open_end=run.open_end,
        padding_first="end" if cells[0].startswith("proactive.") else "start",
    )
    raw = " ".join("□" if t is None else t for t in run.tokens)
    if run.per_line and len(run.tokens) > n and reading.status != digits.OK:
        joined = digits.read_joins(run.tokens, n, groups)
        if joined.status == digits.INFERRED:
            out.findings.append(
                make_finding_inferred(
                    f"「{label}」（第{line}行）：每行一个数，{n}个单元格印出{len(run.tokens)}个数"
                    f"（“{raw}”），按数字跨行断开理解有{joined.candidates}种接法，"
                    f"按表格自身的合计关系只有一种成立，据此接合",
                    cells,
                )
            )
            return joined.values
    if reading.status == digits.INFERRED and run.reliable:
        out.findings.append(
            make_finding_inferred(
                f"「{label}」（第{line}行）：{n}个单元格只印出{len(run.tokens)}个数（“{raw}”），"
                f"按相邻相同的单元格被合并理解有{reading.candidates}种分法，"
                f"按表格自身的合计关系只有一种成立，据此补全",
                cells,
            )
        )
    elif reading.status == digits.INFERRED:
        out.findings.append(
            make_finding_inferred(
                f"「{label}」（第{line}行）：数字连在一起（“{raw}”），有{reading.candidates}种拆法，"
                f"按表格自身的合计关系只有一种成立，据此拆分",
                cells,
            )
        )
    elif pending is not None and reading.status == digits.AMBIGUOUS and reading.pool:
        pending[cells[0].split(".")[1]] = _Pending(reading, raw, line, cells, label)
    elif reading.status in (digits.AMBIGUOUS, digits.UNREADABLE):
        _unreadable(out, reading, raw, line, cells, label, n)
    return reading.values


@dataclass
class _Pending:
    reading: digits.Reading
    raw: str
    line: int
    cells: list[str]
    label: str


def _unreadable(
    out: Tables, reading: digits.Reading, raw: str, line: int, cells: list[str], label: str, n: int
) -> None:
    unknown = [cells[i] for i in sorted(reading.unknown)]
    out.unreadable.update(unknown)
    why = (
        f"有{reading.candidates}种读法无法确定"
        if reading.status == digits.AMBIGUOUS
        else "无法拆分为" + str(n) + "个单元格"
    )
    out.findings.append(
        make_finding(
            CELL_UNREADABLE, f"「{label}」（第{line}行）：“{raw}”{why}，相关单元格留空", unknown
        )
    )


def make_finding_inferred(message: str, cells: list[str]) -> Finding:
    """``cell.inferred`` (warning): cells split from glued digits by the table's arithmetic."""
    return make_finding(CELL_INFERRED, message, cells)


def _read_proactive(stream: Stream, fmt: Format, window: tuple[int, int], out: Tables) -> None:
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
                _missing_row(out, stream, row, paths, start)
                continue
            if anchor.how != EXACT:
                _drift(out, anchor, row, paths, stream, region_end(anchor, anchors, end))
            run = runs.get(row)
            if row in doubt:
                _withdraw(out, stream, anchor, row, paths, doubt[row])
                continue
            values = _apply(out, stream, run, len(table.columns), [], paths, row, anchor.pos)
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


def _withdraw(
    out: Tables, stream: Stream, anchor: Anchor, label: str, paths: list[str], why: str
) -> None:
    """Leave a row whose label and numbers cannot be paired with certainty unread."""
    out.unreadable.update(paths)
    line = stream.line_at(anchor.pos)
    out.findings.append(
        make_finding(CELL_UNREADABLE, f"「{label}」（第{line}行）：{why}，本行单元格留空", paths)
    )


def _missing_row(out: Tables, stream: Stream, label: str, paths: list[str], pos: int) -> None:
    out.unreadable.update(paths)
    out.findings.append(
        make_finding(FORMAT_LAYOUT, f"表中找不到「{label}」这一行，其单元格留空", paths)
    )


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
    pending: dict[str, _Pending] = {}
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
            _missing_row(out, stream, labels[key], paths, start)
            continue
        if anchor is not single and anchor.how != EXACT:
            _drift(out, anchor, labels[key], paths, stream, region_end(anchor, anchors, end))
        run = runs.get(anchor.key if anchor is single else key)
        if anchor.key in doubt:
            _withdraw(out, stream, anchor, labels[key], paths, doubt[anchor.key])
            continue
        values = _apply(
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


def _settle(out: Tables, fmt: Format, pending: dict[str, _Pending]) -> None:
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
            _unreadable(out, item.reading, item.raw, item.line, item.cells, item.label, 7)
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
    values = _apply(out, stream, row, 15, _T4_GROUPS, paths, "四、行政复议、行政诉讼", header)
    it = iter(values)
    out.review_litigation = {
        group: {col: next(it) for col, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS
    }
