"""What every table reader shares: the result, reading one row's run, and the findings.

A cell that cannot be read is ``None`` with a ``cell.unreadable`` finding naming the row and
the line (docs/adr/auditor-never-guesses.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.annual.checks import CELL_INFERRED, CELL_UNREADABLE, FORMAT_LAYOUT, make_finding
from gongkai.annual.document import Finding
from gongkai.annual.parse import digits
from gongkai.annual.parse.columns_text import read_by_columns
from gongkai.annual.parse.labels import EXACT, Anchor
from gongkai.annual.parse.normalize import label_key
from gongkai.annual.parse.stream import Run, Stream


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


def drift(
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


def apply_run(
    out: Tables,
    stream: Stream,
    run: Run | None,
    n: int,
    groups: list[digits.Group],
    cells: list[str],
    label: str,
    anchor_pos: int,
    pending: dict[str, Pending] | None = None,
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
        strict_padding=run.wide_rows > 1,
        open_start=run.open_start,
        open_end=run.open_end,
        padding_first="end" if cells[0].startswith("proactive.") else "start",
    )
    if reading.status == digits.OK and not (run.per_line and len(run.tokens) > n):
        return reading.values
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
        pending[cells[0].split(".")[1]] = Pending(reading, raw, line, cells, label)
    elif reading.status in (digits.AMBIGUOUS, digits.UNREADABLE):
        unreadable(out, reading, raw, line, cells, label, n)
    return reading.values


@dataclass
class Pending:
    reading: digits.Reading
    raw: str
    line: int
    cells: list[str]
    label: str


def unreadable(
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


def withdraw(
    out: Tables, stream: Stream, anchor: Anchor, label: str, paths: list[str], why: str
) -> None:
    """Leave a row whose label and numbers cannot be paired with certainty unread."""
    out.unreadable.update(paths)
    line = stream.line_at(anchor.pos)
    out.findings.append(
        make_finding(CELL_UNREADABLE, f"「{label}」（第{line}行）：{why}，本行单元格留空", paths)
    )


def missing_row(out: Tables, stream: Stream, label: str, paths: list[str], pos: int) -> None:
    out.unreadable.update(paths)
    out.findings.append(
        make_finding(FORMAT_LAYOUT, f"表中找不到「{label}」这一行，其单元格留空", paths)
    )
