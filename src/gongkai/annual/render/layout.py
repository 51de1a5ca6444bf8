"""A report as ``pdftotext -layout`` prints a PDF of it (tests/corpus/004-hongze-2023.extracted.txt):
columns aligned with spaces, long labels broken over lines with the numbers on a line of their
own, vertical group labels on a line of their own, pages ending in a footer (「-3-」) and a form
feed — with one page break always falling inside table 三, as in real PDFs.
"""

from __future__ import annotations

import re
import textwrap

from gongkai.annual.document import Document
from gongkai.annual.formats import RESULTS_GROUP
from gongkai.annual.render.grid import Cell, CellText, Table, format_value, report_blocks

TEXT_WIDTH = 30  # characters of body text per line (A4, 16 pt 仿宋)
LABEL_WIDTHS = (24, 20, 14)  # label room at indent levels 0, 1 and 2 of table 三
INDENTS = (0, 18, 28)
VALUES_AT = 46
VALUE_WIDTH = 6


def to_layout_text(
    doc: Document,
    *,
    page_height: int = 46,
    break_in_table3: bool = True,
    cell_text: CellText = format_value,
) -> str:
    """Render as column-aligned PDF text, ``page_height`` lines per page.

    With ``break_in_table3`` a page break is forced at the middle row of table 三 when no
    natural one falls inside it.
    """
    if page_height < 10:
        raise ValueError("页高至少 10 行 / page_height must be at least 10 lines")
    lines: list[str] = []
    table3 = (0, 0)
    row_starts: list[int] = []
    blocks = report_blocks(doc, cell_text=cell_text)
    title = blocks[0].text
    agency = str(doc.get("agency", ""))
    lines += [" " * 16 + agency, " " * 6 + _space_digits(title[len(agency) :]), ""]
    for block in blocks[1:]:
        if block.kind == "heading":
            lines.append("   " + block.text)
        elif block.table is None:
            wrapped = textwrap.wrap(_space_digits(block.text), TEXT_WIDTH) or [""]
            lines += ["   " + wrapped[0], *wrapped[1:]]
        elif block.table.part == "applications":
            start = len(lines)
            body, starts = _table3(block.table)
            lines += body
            table3 = (start, len(lines))
            row_starts = [start + s for s in starts]
        elif block.table.part == "proactive":
            lines += _proactive(block.table)
        else:
            lines += _review(block.table)
    forced: set[int] = set()
    if break_in_table3 and row_starts:
        natural = {n for n in range(page_height, len(lines), page_height)}
        if not any(table3[0] < n < table3[1] for n in natural):
            forced.add(row_starts[len(row_starts) // 2])
    return _paginate(lines, page_height, forced)


def _space_digits(text: str) -> str:
    """pdftotext puts a space between CJK text and Latin digits (「2023 年」)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?=[0-9])", " ", text)
    return re.sub(r"(?<=[0-9])(?=[\u4e00-\u9fff])", " ", text)


def _values(cells: list[Cell], at: int = VALUES_AT, width: int = VALUE_WIDTH) -> str:
    """Right-align each value in its column (blank cells print nothing)."""
    out = ""
    for i, cell in enumerate(cells):
        out = out.ljust(at + i * width) + cell.text.rjust(width - 1)
    return out.rstrip()


def _row(label: str, values: str) -> str:
    """Put ``label`` in front of a values line whose first column is far enough right."""
    return label + values[len(label) :] if values else label


def _place(line: str, col: int, text: str) -> str:
    return line.ljust(col) + text


def _chunks(label: str, size: int = 2) -> list[str]:
    return [label[i : i + size] for i in range(0, len(label), size)]


def _stacked(labels: list[str], at: int, width: int) -> list[str]:
    """Column headers in narrow columns, two characters per line (「商业」/「企业」)."""
    parts = [_chunks(label) for label in labels]
    lines = []
    for i in range(max(len(p) for p in parts)):
        line = ""
        for n, p in enumerate(parts):
            if i < len(p):
                line = _place(line, at + n * width, p[i])
        lines.append(line.rstrip())
    return lines


def _proactive(table: Table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        if len(row) == 1:
            lines += ["", " " * 14 + row[0].text, ""]
        elif row[0].text == "信息内容":
            line = " " * 7 + "信息内容"
            for i, cell in enumerate(row[1:]):
                line = _place(line, 18 + i * 16, cell.text)
            lines.append(line)
        else:
            lines.append(_row(row[0].text, _values(row[1:], at=20, width=16)))
    return lines


def _table3(table: Table) -> tuple[list[str], list[int]]:
    """Return table 三's lines and the line where each data row starts."""
    lines = [
        " " * 62 + "申请人情况",
        "",
        " " * 57 + "法人或其他组织",
        "（本列数据的勾稽关系为：第一项加第二项之和，等",
        "于第三项加第四项之和）",
    ]
    columns = [c.text for c in table.rows[1]] + [c.text for c in table.rows[2]]
    names = [columns[0], *columns[3:], columns[2]]  # 自然人, the five, 总计
    lines += [*_stacked(names, VALUES_AT, VALUE_WIDTH), ""]
    starts: list[int] = []
    results_seen = 0
    group_left = 0  # rows left under the current （三）–（六） group label
    group_mid = ("", -1)  # (label, row number after which it is printed)
    for n, row in enumerate(table.rows[3:]):
        labels = [c for c in row if not c.path]
        values = _values([c for c in row if c.path])
        for cell in labels:
            if cell.text != RESULTS_GROUP and cell.rowspan > 1:
                group_left, group_mid = cell.rowspan, (cell.text, n + (cell.rowspan - 1) // 2)
        label = labels[-1]
        level = 0 if label.colspan == 3 else (1 if label.colspan == 2 else 2)
        starts.append(len(lines))
        lines += _labelled(label.text, level, values)
        if level:
            results_seen += 1
            if results_seen == 3:
                lines.append(" " + " ".join(RESULTS_GROUP))
        if group_left:
            group_left -= 1
            if n == group_mid[1]:
                lines.append(" " * INDENTS[1] + group_mid[0])
    return lines, starts


def _labelled(label: str, level: int, values: str) -> list[str]:
    room, indent = LABEL_WIDTHS[level], " " * INDENTS[level]
    if len(label) <= room:
        return [_row(indent + label, values)]
    return [indent + part for part in _chunks(label, room)] + [values]


def _review(table: Table) -> list[str]:
    width = 5
    lines = [
        " " * 10 + "行政复议" + " " * 30 + "行政诉讼",
        "",
        " " * 30 + "未经复议直接起诉" + " " * 18 + "复议后起诉",
        "",
    ]
    labels = [c.text for c in table.rows[1][:5]] + [c.text for c in table.rows[2]]
    lines += _stacked(labels, 0, width)
    lines.append("")
    lines.append(_values(table.rows[3], at=0, width=width).lstrip(" "))
    return lines


def _paginate(lines: list[str], page_height: int, forced: set[int]) -> str:
    pages: list[list[str]] = [[]]
    for n, line in enumerate(lines):
        if len(pages[-1]) >= page_height or (n in forced and pages[-1]):
            pages.append([])
        pages[-1].append(line)
    out = []
    for number, page in enumerate(pages, start=1):
        footer = " " * 40 + f"-{number}-"
        out.append("\n".join([*page, "", footer]))
    return "\n\f".join(out) + "\n"
