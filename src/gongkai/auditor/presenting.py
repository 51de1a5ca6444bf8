"""Reports as the template draws them (``annual.render.grid``), with cells marked for the page.

A mark says why a cell is highlighted: a finding's severity (错误 red, 提示 amber) or a
difference between two years; every mark also prints a text marker, never colour alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from gongkai.annual.checks import TABLE_PARTS, row_label
from gongkai.annual.document import Document
from gongkai.annual.formats import APPLICATION_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, get_format
from gongkai.annual.render.grid import Table, report_blocks

SEVERITY_LABEL = {"error": gettext_noop("错误"), "warning": gettext_noop("提示")}
MARKER = {"error": "✕", "warning": "！", "diff": "≠"}
HEADINGS = dict(TABLE_PARTS)
_COLUMN = {**dict(APPLICATION_COLUMNS), **dict(REVIEW_COLUMNS)}
_GROUP = dict(REVIEW_GROUPS)


@dataclass
class Mark:
    """Why a cell is highlighted: ``kind`` is error, warning or diff; ``refs`` finding numbers."""

    kind: str
    refs: list[int] = field(default_factory=list)
    note: str = ""


@dataclass
class ShownCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    anchor: str = ""
    mark: Mark | None = None

    @property
    def marker(self) -> str:
        return MARKER[self.mark.kind] if self.mark else ""

    @property
    def mark_label(self) -> str:
        if not self.mark:
            return ""
        return SEVERITY_LABEL.get(self.mark.kind, gettext_noop("不同"))


def anchor(prefix: str, path: str) -> str:
    """Return the HTML id of a cell (paths hold Chinese labels: keep them, drop spaces)."""
    return f"{prefix}-" + re.sub(r"\s+", "_", path)


def shown_table(table: Table, marks: dict[str, Mark], prefix: str) -> list[list[ShownCell]]:
    """Return the rows of ``table`` with each numeric cell's anchor and mark."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            shown = ShownCell(cell.text, cell.rowspan, cell.colspan, cell.header)
            if cell.path:
                shown.anchor = anchor(prefix, cell.path)
                shown.mark = marks.get(cell.path)
            cells.append(shown)
        rows.append(cells)
    return rows


def shown_blocks(doc: Document, marks: dict[str, Mark], prefix: str = "c") -> list[dict]:
    """Return the whole report in reading order (title, headings, text, marked tables)."""
    out: list[dict] = []
    for block in report_blocks(doc):
        if block.kind == "paragraph" and out and _continues(out[-1], block.text):
            out[-1]["text"] += block.text
            continue
        item = {"kind": block.kind, "text": block.text}
        if block.table is not None:
            item["part"] = block.table.part
            item["rows"] = shown_table(block.table, marks, prefix)
        out.append(item)
    return out


_SENTENCE_END = tuple("。！？；：!?;:")
_ITEM_START = re.compile(
    r"^(（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d+[、.．])"
)


def _continues(previous: dict, text: str) -> bool:
    """Whether ``text`` is the rest of a line a PDF wrapped mid-sentence (join it back)."""
    return (
        previous["kind"] == "paragraph"
        and not previous["text"].endswith(_SENTENCE_END)
        and not _ITEM_START.match(text)
    )


def finding_marks(findings: list[dict]) -> dict[str, Mark]:
    """Return the mark of every cell named by a finding (numbered from 1, errors win)."""
    marks: dict[str, Mark] = {}
    for number, finding in enumerate(findings, start=1):
        kind = "error" if finding.get("severity") == "error" else "warning"
        for path in finding.get("cells") or []:
            mark = marks.setdefault(path, Mark(kind))
            if kind == "error":
                mark.kind = "error"
            mark.refs.append(number)
    return marks


def cell_label(doc: Document, path: str) -> str:
    """Return a cell's name as readers know it (「（三）1.属于国家秘密·自然人」)."""
    try:
        part, row, col = path.split(".", 2)
    except ValueError:
        return path
    if part == "proactive":
        return f"二、{row}·{col}"
    if part == "applications":
        try:
            label = row_label(get_format(doc.get("format") or "2021"), row)
        except (KeyError, ValueError):
            label = row
        return f"三、{label}·{_COLUMN.get(col, col)}"
    if part == "review_litigation":
        return f"四、{_GROUP.get(row, row)}·{_COLUMN.get(col, col)}"
    return path


#: What each rule (docs/spec/annual-report-json.md) is called on the page; the id stays in
#: the JSON, never in front of the reader. Chinese, marked for the catalogue: a page shows
#: ``{% translate f.rule_label %}``; the XLSX export keeps the Chinese.
RULE_LABELS = {
    "t3.balance": gettext_noop("表三：收到与办结、结转不平衡"),
    "t3.outcome_sum": gettext_noop("表三：各项处理结果之和不等于总计"),
    "t3.row_total": gettext_noop("表三：各类申请人之和不等于合计"),
    "t4.total": gettext_noop("表四：各项结果之和不等于总计"),
    "cell.blank": gettext_noop("单元格空白"),
    "cell.unreadable": gettext_noop("单元格无法读取"),
    "cell.inferred": gettext_noop("单元格由合计推断"),
    "format.year": gettext_noop("年报格式与年度不符"),
    "format.layout": gettext_noop("表格样式与模板不同"),
    "cross_year.carry": gettext_noop("上年结转与本年不一致"),
    "narrative.mismatch": gettext_noop("正文数字与表格不一致"),
    "section.missing": gettext_noop("缺少章节或表格"),
    "source.missing": gettext_noop("表格的数据来源未接入"),
    "narrative.figure": gettext_noop("总体情况中的数字与记录不一致"),
    "narrative.placeholder": gettext_noop("总体情况仍有待补充的数字"),
    "narrative.unverified": gettext_noop("总体情况中的数字无从核对（数据来源未接入）"),
}


def rule_label(rule: str | None) -> str:
    """The reader's name of a rule; 「其他问题」 for one this page does not know yet."""
    return RULE_LABELS.get(rule or "", gettext_noop("其他问题"))


def shown_findings(doc: Document, *, prefix: str = "c", limit: int = 8) -> list[dict]:
    """Return the findings numbered as in :func:`finding_marks`, with links to their cells."""
    out = []
    for number, finding in enumerate(doc.get("findings") or [], start=1):
        cells = finding.get("cells") or []
        out.append(
            {
                "number": number,
                "rule": finding.get("rule"),
                "rule_label": rule_label(finding.get("rule")),
                "severity": finding.get("severity"),
                "severity_label": SEVERITY_LABEL.get(finding.get("severity"), ""),
                "marker": MARKER.get(finding.get("severity"), ""),
                "message": finding.get("message"),
                "cells": [
                    {"anchor": anchor(prefix, p), "label": cell_label(doc, p)}
                    for p in cells[:limit]
                ],
                "more": max(0, len(cells) - limit),
            }
        )
    return out
