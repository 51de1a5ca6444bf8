"""Figures stated in a report's text, compared with its tables (``narrative.mismatch``).

Section 一 总体情况 usually restates the tables (「全年共收到政府信息公开申请2件」,
「政府信息公开行政复议351件」). 《政府信息公开条例》第五十条 makes both part of one report, so
they should agree. Only figures whose meaning is unambiguous are read: a sentence that could
mean something else (all 行政复议 of a city, not only those about 信息公开) is left alone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.annual.checks import NARRATIVE_MISMATCH, make_finding
from gongkai.annual.document import Document, Finding
from gongkai.annual.nfkc import nfkc

_PUNCT = "。，,；;：:！!？?"
_GAP = rf"[^{_PUNCT}\d]"
_NUM = r"(?<![\d.])(\d+)"
_COUNT = r"(?:件|条|起)"
_NOT_APPLICATIONS = ("复议", "诉讼", "信访", "投诉", "举报", "来信", "咨询", "业务", "事项")
#: Words that make the number a change on another period (「同比减少3件」), not a count.
_COMPARISON = ("同比", "环比", "较", "比上", "增加", "减少", "增长", "下降", "上升", "持平")


@dataclass(frozen=True)
class Figure:
    """A figure read from the text: what it is, its value, the quoted phrase."""

    key: str  # received, answered, carried_over, carried_forward, review, litigation, …
    value: int
    quote: str


# 「共收到政府信息公开申请2件」「收到申请21件」「受理…申请3119件，答复3050件」
_RECEIVED = re.compile(
    rf"(?:收到|受理)(?P<gap>{_GAP}{{0,20}}?)申请(?P<after>{_GAP}{{0,10}}?)(?<![\d.])(?P<n>\d+){_COUNT}"
    rf"(?:[，,](?:共|已|均)?(?:答复|办结)(?P<answered>\d+){_COUNT})?"
)
_NONE_RECEIVED = re.compile(rf"(?:未|没有)(?:收到|受理)(?P<gap>{_GAP}{{0,20}}?)申请")
_CARRIED_OVER = re.compile(rf"(?:上一?年度?结转|结转上一?年度?)(?!下){_GAP}{{0,15}}?{_NUM}件")
_CARRIED_FORWARD = re.compile(
    rf"{_NUM}件(?:申请)?(?:顺延|结转)(?:到|至)?下一?年度|结转(?:到|至)?下一?年度{_GAP}{{0,10}}?{_NUM}件"
)
_REVIEW = re.compile(rf"行政复议(?:案件|申请)?{_NUM}{_COUNT}")
_LITIGATION = re.compile(rf"行政诉讼(?:案件)?{_NUM}{_COUNT}")
_NONE_REVIEW = re.compile(
    rf"(?:没有|未|无)[^{_PUNCT}]{{0,25}}?行政复议(?P<both>(?:和|及|与|或|、)(?:提起)?行政诉讼)?"
)
_RESULT = re.compile(rf"(结果维持|结果纠正|其他结果|尚未审结){_NUM}{_COUNT}")
_RESULT_KEYS = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
}
_LITIGATION_GROUPS = ("litigation_direct", "litigation_after_review")


@functools.lru_cache(maxsize=64)
def normalize_text(text: str) -> str:
    """Fold full-width forms, drop page footers (「- 3 -」), whitespace and thousands separators.

    Cached: a report's text is read by several checks (the tables' and the figures')."""
    text = nfkc(text)
    text = re.sub(r"(?m)^\s*[-—]\s*\d+\s*[-—]\s*$", "", text)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def find_figures(text: str) -> list[Figure]:
    """Return the unambiguous figures stated in ``text``, in reading order."""
    return [f for _, f in sorted(_scan(normalize_text(text)), key=lambda pair: pair[0])]


def _scan(text: str) -> Iterator[tuple[int, Figure]]:
    for m in _RECEIVED.finditer(text):
        if any(word in m.group("gap") for word in _NOT_APPLICATIONS):
            continue
        if any(word in m.group("gap") + m.group("after") for word in _COMPARISON):
            continue
        yield m.start(), Figure("received", int(m.group("n")), m.group(0))
        if m.group("answered"):
            yield m.start() + 1, Figure("answered", int(m.group("answered")), m.group(0))
    for m in _NONE_RECEIVED.finditer(text):
        context = m.group("gap") + re.split(f"[{_PUNCT}]", text[m.end() :], maxsplit=1)[0]
        if not any(word in context for word in _NOT_APPLICATIONS):
            yield m.start(), Figure("received", 0, m.group(0))
    for m in _CARRIED_OVER.finditer(text):
        yield m.start(), Figure("carried_over", int(m.group(1)), m.group(0))
    for m in _CARRIED_FORWARD.finditer(text):
        yield m.start(), Figure("carried_forward", int(m.group(1) or m.group(2)), m.group(0))
    for pattern, key in ((_REVIEW, "review"), (_LITIGATION, "litigation")):
        for m in pattern.finditer(text):
            if "公开" not in _sentence(text, m.start()):
                continue  # e.g. every 行政复议 a city handled, not only those about 信息公开
            yield m.start(), Figure(key, int(m.group(1)), m.group(0))
            clause = re.split(r"[。；;]", text[m.end() :], maxsplit=1)[0]
            clause = re.split(r"行政复议|行政诉讼", clause, maxsplit=1)[0]
            for r in _RESULT.finditer(clause):
                sub = f"{key}.{_RESULT_KEYS[r.group(1)]}"
                quote = text[m.start() : m.end() + r.end()]
                yield (
                    m.start() + 1 + r.start(),
                    Figure(sub, int(r.group(2)), quote),
                )
    for m in _NONE_REVIEW.finditer(text):
        yield m.start(), Figure("review", 0, m.group(0))
        if m.group("both"):
            yield m.start() + 1, Figure("litigation", 0, m.group(0))


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(p, 0, at) for p in "。；;") + 1
    ends = [i for i in (text.find(p, at) for p in "。；;") if i >= 0]
    return text[start : min(ends, default=len(text))]


def _table_value(doc: Document, key: str) -> tuple[int | None, tuple[str, ...], str]:
    """Return the table's value for a figure key, the cells it comes from, and its name."""
    apps = doc.get("applications") or {}
    rl = doc.get("review_litigation") or {}
    single = {
        "received": ("applications", "new_received", "total", "表三本年新收总计"),
        "answered": ("applications", "total_processed", "total", "表三（七）总计"),
        "carried_over": ("applications", "carried_over", "total", "表三上年结转总计"),
        "carried_forward": ("applications", "carried_forward", "total", "表三结转下年度总计"),
        "review": ("review_litigation", "review", "total", "表四行政复议总计"),
    }
    if key in single:
        part, row, col, name = single[key]
        value = ((apps if part == "applications" else rl).get(row) or {}).get(col)
        return value, (f"{part}.{row}.{col}",), name
    group, _, col = key.partition(".")
    if group == "review":
        value = (rl.get("review") or {}).get(col)
        return value, (f"review_litigation.review.{col}",), f"表四行政复议{col}"
    col = col or "total"
    values = [(rl.get(g) or {}).get(col) for g in _LITIGATION_GROUPS]
    cells = tuple(f"review_litigation.{g}.{col}" for g in _LITIGATION_GROUPS)
    total = None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]
    label = "总计" if col == "total" else col
    return total, cells, f"表四两类行政诉讼{label}之和"


def check_narrative(doc: Document) -> list[Finding]:
    """``narrative.mismatch``: each figure in ``doc["sections"]`` that disagrees with the tables.

    A count of applications received agrees with either 本年新收 or 本年新收 + 上年结转 (reports
    use both). Figures whose table cells are blank or unread are not compared.
    """
    findings: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for text in (doc.get("sections") or {}).values():
        if not isinstance(text, str):
            continue
        for figure in find_figures(text):
            table, cells, name = _table_value(doc, figure.key)
            if table is None or (figure.key, figure.value, figure.quote) in seen:
                continue
            seen.add((figure.key, figure.value, figure.quote))
            accepted = {table}
            if figure.key == "received":
                old = ((doc.get("applications") or {}).get("carried_over") or {}).get("total")
                if old is not None:
                    accepted.add(table + old)
            if figure.value not in accepted:
                findings.append(
                    make_finding(
                        NARRATIVE_MISMATCH,
                        f"正文「{figure.quote}」与{_name(name)}({table})不符",
                        cells,
                    )
                )
    return findings


_COLUMN_NAMES = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}


def _name(name: str) -> str:
    for key, label in _COLUMN_NAMES.items():
        name = name.replace(key, label)
    return name
