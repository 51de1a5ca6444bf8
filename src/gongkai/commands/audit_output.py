"""Human-readable output of ``gongkai audit``: a Chinese summary per report, year comparisons."""

from __future__ import annotations

import unicodedata
from typing import Any

from gongkai.annual.formats import (
    APPLICATION_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    get_format,
)

_SEVERITY = {"error": "错误", "warning": "提示"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def render_report(source: str, doc: dict) -> str:
    """Return the summary of one report: identity, each table, findings."""
    fmt = get_format(doc["format"])
    lines = [
        f"== {source}",
        f"机关：{doc['agency'] or '（未识别）'}　年度：{doc['year'] or '（未识别）'}"
        f"　格式：{fmt.code}（{fmt.notice}）",
        "",
        "二、主动公开政府信息情况",
    ]
    if not doc.get("proactive"):
        lines.append("  （未找到）")
    for row, cols in (doc.get("proactive") or {}).items():
        values = "；".join(f"{col} {_cell(v)}" for col, v in cols.items())
        lines.append(f"  {_pad(row, 22)}{values}")
    lines += ["", "三、收到和处理政府信息公开申请情况"]
    if doc.get("applications"):
        labels = {row.key: row.label for row in fmt.application_rows}
        lines.append(
            "  " + _pad("", 40) + "".join(_pad(label, 14, True) for _, label in APPLICATION_COLUMNS)
        )
        for key, cols in doc["applications"].items():
            label = labels.get(key, key)
            label = label if _width(label) <= 38 else label[:18] + "…"
            cells = "".join(_pad(_cell(v), 14, True) for v in cols.values())
            lines.append(f"  {_pad(label, 40)}{cells}")
    else:
        lines.append("  （未找到）")
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况"]
    if doc.get("review_litigation"):
        lines.append("  " + _pad("", 28) + "".join(_pad(c, 10, True) for _, c in REVIEW_COLUMNS))
        for group, label in REVIEW_GROUPS:
            cols = doc["review_litigation"].get(group) or {}
            cells = "".join(_pad(_cell(cols.get(c)), 10, True) for c, _ in REVIEW_COLUMNS)
            lines.append(f"  {_pad(label, 28)}{cells}")
    else:
        lines.append("  （未找到）")
    findings = doc.get("findings") or []
    errors = sum(1 for f in findings if f["severity"] == "error")
    lines += ["", f"发现的问题：{len(findings)}项（错误{errors}项）"]
    for f in findings:
        lines.append(
            f"  [{_SEVERITY.get(f['severity'], f['severity'])}] {f['rule']}  {f['message']}"
        )
    lines.append("")
    return "\n".join(lines)


def compare_documents(docs: list[dict]) -> list[dict]:
    """Pair each agency's reports in year order (each with the next year given, which may skip
    years; unlike the carry check, :func:`gongkai.annual.pairing.previous_year_index`) and list
    the cells whose values differ."""
    by_agency: dict[str, list[dict]] = {}
    for doc in docs:
        if doc.get("agency") and isinstance(doc.get("year"), int):
            by_agency.setdefault(doc["agency"], []).append(doc)
    out: list[dict] = []
    for agency, group in by_agency.items():
        group.sort(key=lambda d: d["year"])
        for before, after in zip(group, group[1:], strict=False):
            cells = []
            parts = ["applications", "review_litigation"]
            if before.get("format") == after.get("format"):
                parts.insert(0, "proactive")  # the two formats' 二 have different rows
            for part in parts:
                rows = set(before.get(part) or {}) | set(after.get(part) or {})
                for row in sorted(rows):
                    a = (before.get(part) or {}).get(row) or {}
                    b = (after.get(part) or {}).get(row) or {}
                    for col in list(dict.fromkeys([*a, *b])):
                        if a.get(col) != b.get(col):
                            cells.append(
                                {
                                    "cell": f"{part}.{row}.{col}",
                                    "before": a.get(col),
                                    "after": b.get(col),
                                }
                            )
            out.append({"agency": agency, "years": [before["year"], after["year"]], "cells": cells})
    return out


def render_comparison(pairs: list[dict]) -> str:
    if not pairs:
        return "没有同一机关的两个年度可对比 / no two years of one agency among the inputs"
    lines: list[str] = []
    for pair in pairs:
        first, second = pair["years"]
        lines.append(f"== {pair['agency']}：{first}年 → {second}年（{len(pair['cells'])}格不同）")
        for cell in pair["cells"]:
            lines.append(
                f"  {_pad(cell['cell'], 60)}{_pad(_cell(cell['before']), 10, True)}"
                f" → {_cell(cell['after'])}"
            )
        lines.append("")
    return "\n".join(lines)
