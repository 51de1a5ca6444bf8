"""The checks every annual report must pass: one implementation for the engine and the auditor.

Rules and severities are those of docs/spec/annual-report-json.md; the arithmetic is the
template's own 勾稽关系 (国办公开办函〔2019〕60号, 〔2021〕30号) for the tables that
《政府信息公开条例》第五十条 requires. Blank cells count as 0 in the arithmetic (as reviewers do);
a rule that touches a cell the auditor could not read is skipped, because nothing can be said
about what was not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from gongkai.annual.document import Document, Finding, Number
from gongkai.annual.formats import (
    APPLICANT_COLUMN_KEYS,
    APPLICATION_COLUMN_KEYS,
    APPLICATION_COLUMNS,
    G_DENIED,
    G_NOT_PROCESSED,
    G_OTHER,
    G_UNABLE,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Format,
    format_for_year,
    get_format,
)

T3_BALANCE = "t3.balance"
T3_OUTCOME_SUM = "t3.outcome_sum"
T3_ROW_TOTAL = "t3.row_total"
T4_TOTAL = "t4.total"
CELL_BLANK = "cell.blank"
CELL_UNREADABLE = "cell.unreadable"
FORMAT_YEAR = "format.year"
FORMAT_LAYOUT = "format.layout"
CROSS_YEAR_CARRY = "cross_year.carry"
NARRATIVE_MISMATCH = "narrative.mismatch"
SECTION_MISSING = "section.missing"
#: Added by the auditor: glued digits split where the table's own arithmetic left one reading.
CELL_INFERRED = "cell.inferred"

ERROR = "error"
WARNING = "warning"

#: Severity of every rule, exactly as the spec's table.
SEVERITY: dict[str, str] = {
    T3_BALANCE: ERROR,
    T3_OUTCOME_SUM: ERROR,
    T3_ROW_TOTAL: ERROR,
    T4_TOTAL: ERROR,
    CELL_BLANK: WARNING,
    CELL_UNREADABLE: ERROR,
    FORMAT_YEAR: ERROR,
    FORMAT_LAYOUT: WARNING,
    CROSS_YEAR_CARRY: WARNING,
    NARRATIVE_MISMATCH: WARNING,
    SECTION_MISSING: ERROR,
    CELL_INFERRED: WARNING,
}

#: The rules about the tables' own arithmetic (what a report's ``consistency_errors`` lists).
ARITHMETIC_RULES = frozenset({T3_BALANCE, T3_OUTCOME_SUM, T3_ROW_TOTAL, T4_TOTAL})

#: Parts of the document that hold a table, with the section heading users know them by.
TABLE_PARTS: tuple[tuple[str, str], ...] = (
    ("proactive", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
)

_COLUMN_LABEL = dict(APPLICATION_COLUMNS)
_REVIEW_GROUP_LABEL = dict(REVIEW_GROUPS)
_CELL_NAME = dict(REVIEW_COLUMNS)
_REVIEW_COLUMN_SHORT = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他",
    "pending": "尚未审结",
    "total": "总计",
}
_ROW_SHORT = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "total_processed": "（七）总计",
    "carried_forward": "结转下年度",
    "other_overdue_correction": "（六）1.逾期不补正",
    "other_overdue_fee": "（六）2.逾期未缴费",
    "other_other": "（六）3.其他",
}
_GROUP_PREFIX = {
    G_DENIED: "（三）",
    G_UNABLE: "（四）",
    G_NOT_PROCESSED: "（五）",
    G_OTHER: "（六）",
}


def make_finding(rule: str, message: str, cells: Iterable[str] = ()) -> Finding:
    """Return a finding of ``rule`` with the spec's severity for it."""
    return Finding(rule=rule, severity=SEVERITY[rule], message=message, cells=tuple(cells))


def row_label(fmt: Format, key: str) -> str:
    """Return a short Chinese label of a row of table 三 for messages (「（三）1.属于国家秘密」)."""
    if key in _ROW_SHORT:
        return _ROW_SHORT[key]
    for row in fmt.application_rows:
        if row.key == key:
            return _GROUP_PREFIX.get(row.group, "") + row.label
    return key


def check_document(
    doc: Document,
    *,
    previous: Document | None = None,
    unreadable: Iterable[str] = frozenset(),
    absent: Iterable[str] = frozenset(),
) -> list[Finding]:
    """Run every rule of the spec on ``doc`` and return the findings, in table order.

    ``previous`` is last year's document of the same agency (enables ``cross_year.carry``).
    ``unreadable`` lists cell paths the auditor could not read: they get no ``cell.blank``
    (the parser reports them as ``cell.unreadable``) and every rule touching them is skipped.
    ``absent`` lists cell paths the published layout has no place for (e.g. the two sub-rows of
    a 2021 （六） printed as one row, reported by the parser as ``format.layout``): no
    ``cell.blank``, counted as 0. Raise ``ValueError`` for a cell holding anything but a
    number or ``None``, and for a ``previous`` that is not the year before.
    """
    fmt = get_format(doc["format"])
    skip = frozenset(unreadable)
    quiet = skip | frozenset(absent)
    findings: list[Finding] = []
    findings += check_format_year(doc)
    findings += check_missing_tables(doc)
    findings += check_blank_cells(doc, fmt, ignore=quiet)
    if _has_part(doc, "applications"):
        findings += check_table3(doc, fmt, unreadable=skip)
    if _has_part(doc, "review_litigation"):
        findings += check_table4(doc, unreadable=skip)
    if previous is not None:
        findings += check_carry(doc, previous, unreadable=skip)
    return findings


def check_format_year(doc: Document) -> list[Finding]:
    """``format.year``: 60号 governs reports for 2019–2020, 30号 those for 2021 onward."""
    year = doc.get("year")
    # Before 2019 no uniform format existed (60号 was issued for the 2019 reports).
    if not isinstance(year, int) or year < 2019:
        return []
    expected = format_for_year(year)
    if doc["format"] == expected.code:
        return []
    used = get_format(doc["format"])
    return [
        make_finding(
            FORMAT_YEAR,
            f"{year}年度报告应使用{expected.notice}的格式，却使用了{used.notice}的格式",
        )
    ]


def check_missing_tables(doc: Document) -> list[Finding]:
    """``section.missing``: a table of sections 二–四 is entirely absent from the document."""
    return [
        make_finding(SECTION_MISSING, f"缺少表格：{heading}")
        for part, heading in TABLE_PARTS
        if not _has_part(doc, part)
    ]


def check_blank_cells(
    doc: Document, fmt: Format, *, ignore: frozenset[str] = frozenset()
) -> list[Finding]:
    """``cell.blank``: one finding per table column (三) or row (二, 四) with blank cells.

    Every blank path is listed in ``cells``, so a report with a blank column reads as one line.
    """
    findings: list[Finding] = []
    if _has_part(doc, "proactive"):
        proactive = doc["proactive"]
        for table in fmt.proactive:
            for row in table.rows:
                cells = proactive.get(row) or {}
                paths = [
                    f"proactive.{row}.{col}" for col in table.columns if cells.get(col) is None
                ]
                if paths:
                    findings += _blank_group(paths, ignore, f"表二「{row}」行", table.columns)
    if _has_part(doc, "applications"):
        findings += _blank_table3(doc, fmt, ignore)
    if _has_part(doc, "review_litigation"):
        review = doc["review_litigation"]
        for group, label in REVIEW_GROUPS:
            cells = review.get(group) or {}
            paths = [
                f"review_litigation.{group}.{col}"
                for col, _ in REVIEW_COLUMNS
                if cells.get(col) is None
            ]
            if paths:
                columns = [name for _, name in REVIEW_COLUMNS]
                findings += _blank_group(paths, ignore, f"表四「{label}」", columns)
    return findings


def _blank_table3(doc: Document, fmt: Format, ignore: frozenset[str]) -> list[Finding]:
    """Group table 三's blanks: wholly blank rows first, then the rest by column."""
    apps = doc["applications"]
    if _all_filled(apps, fmt.application_row_keys, APPLICATION_COLUMN_KEYS):
        return []
    blank = {
        (row, col)
        for row in fmt.application_row_keys
        for col, cells in ((col, apps.get(row) or {}) for col in APPLICATION_COLUMN_KEYS)
        if cells.get(col) is None and f"applications.{row}.{col}" not in ignore
    }
    findings: list[Finding] = []
    for row in fmt.application_row_keys:
        if all((row, col) in blank for col, _ in APPLICATION_COLUMNS):
            blank -= {(row, col) for col, _ in APPLICATION_COLUMNS}
            findings.append(
                make_finding(
                    CELL_BLANK,
                    f"表三「{row_label(fmt, row)}」行全部{len(APPLICATION_COLUMNS)}个单元格为空",
                    [f"applications.{row}.{col}" for col, _ in APPLICATION_COLUMNS],
                )
            )
    for col, label in APPLICATION_COLUMNS:
        keys = [key for key in fmt.application_row_keys if (key, col) in blank]
        if not keys:
            continue
        names = "、".join(row_label(fmt, key) for key in keys)
        message = (
            f"表三「{label}」列全部{len(keys)}个单元格为空"
            if len(keys) == len(fmt.application_row_keys)
            else f"表三「{label}」列{len(keys)}个单元格为空：{names}"
        )
        findings.append(
            make_finding(CELL_BLANK, message, [f"applications.{k}.{col}" for k in keys])
        )
    return findings


def _all_filled(table: dict, rows: Sequence[str], cols: Sequence[str]) -> bool:
    """Whether every cell of ``rows`` × ``cols`` holds a value (the common case, checked fast)."""
    for row in rows:
        cells = table.get(row)
        if not cells:
            return False
        for col in cols:
            if cells.get(col) is None:
                return False
    return True


def _blank_group(
    paths: list[str], ignore: frozenset[str], where: str, columns: Sequence[str]
) -> list[Finding]:
    paths = [p for p in paths if p not in ignore]
    if not paths:
        return []
    if len(paths) == len(columns):
        return [make_finding(CELL_BLANK, f"{where}全部{len(paths)}个单元格为空", paths)]
    names = "、".join(_CELL_NAME.get(p.split(".", 2)[2], p.split(".", 2)[2]) for p in paths)
    return [make_finding(CELL_BLANK, f"{where}{len(paths)}个单元格为空：{names}", paths)]


def check_table3(
    doc: Document, fmt: Format, *, unreadable: frozenset[str] = frozenset()
) -> list[Finding]:
    """Table 三: ``t3.balance`` and ``t3.outcome_sum`` per column, ``t3.row_total`` per row."""
    findings: list[Finding] = []
    outcomes = fmt.outcome_row_keys
    grid = _values(doc, "applications", fmt.application_row_keys, APPLICATION_COLUMN_KEYS)
    for col, label in APPLICATION_COLUMNS:
        new, old = grid["new_received"][col], grid["carried_over"][col]
        done, fwd = grid["total_processed"][col], grid["carried_forward"][col]
        p_done = f"applications.total_processed.{col}"
        if new + old != done + fwd:
            paths = [
                f"applications.new_received.{col}",
                f"applications.carried_over.{col}",
                p_done,
                f"applications.carried_forward.{col}",
            ]
            if not unreadable.intersection(paths):
                findings.append(
                    make_finding(
                        T3_BALANCE,
                        f"{label}列：本年新收({_fmt(new)})+上年结转({_fmt(old)}) ≠ "
                        f"总计({_fmt(done)})+结转下年度({_fmt(fwd)})",
                        paths,
                    )
                )
        parts = [grid[row][col] for row in outcomes]
        total = sum(parts)
        if total != done:
            paths = [p_done, *(f"applications.{row}.{col}" for row in outcomes)]
            if unreadable.intersection(paths):
                continue
            nonzero = "+".join(
                f"{row_label(fmt, row)}({_fmt(v)})"
                for row, v in zip(outcomes, parts, strict=True)
                if v
            )
            findings.append(
                make_finding(
                    T3_OUTCOME_SUM,
                    f"{label}列：（七）总计({_fmt(done)}) ≠ 各项办理结果之和({_fmt(total)}"
                    + (f"：{nonzero}" if nonzero else "")
                    + ")",
                    paths,
                )
            )
    for row in fmt.application_row_keys:
        values = grid[row]
        parts = [values[c] for c in APPLICANT_COLUMN_KEYS]
        row_total = values["total"]
        total = sum(parts)
        if total != row_total:
            paths = [f"applications.{row}.{c}" for c in APPLICATION_COLUMN_KEYS]
            if unreadable.intersection(paths):
                continue
            shown = "+".join(_fmt(v) for v in parts)
            findings.append(
                make_finding(
                    T3_ROW_TOTAL,
                    f"「{row_label(fmt, row)}」行：总计({_fmt(row_total)}) ≠ "
                    f"六类申请人之和({shown}={_fmt(total)})",
                    paths,
                )
            )
    return findings


def _values(
    doc: Document, part: str, rows: Sequence[str], cols: Sequence[str]
) -> dict[str, dict[str, int | float]]:
    """Every cell of a table as :func:`_value` reads it (blank as 0), row by row."""
    table = doc.get(part) or {}
    out: dict[str, dict[str, int | float]] = {}
    for row in rows:
        cells = table.get(row) or {}
        values = {col: cells.get(col) for col in cols}
        for col, value in values.items():
            if type(value) is not int:
                if value is None:
                    values[col] = 0
                elif type(value) is not float:
                    values[col] = _value(doc, part, row, col)
        out[row] = values  # type: ignore[assignment]
    return out


def check_table4(doc: Document, *, unreadable: frozenset[str] = frozenset()) -> list[Finding]:
    """Table 四 ``t4.total``: per group, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    findings: list[Finding] = []
    for group, label in REVIEW_GROUPS:
        parts = [
            (col, _value(doc, "review_litigation", group, col))
            for col, _ in REVIEW_COLUMNS
            if col != "total"
        ]
        total = _value(doc, "review_litigation", group, "total")
        paths = [f"review_litigation.{group}.{col}" for col, _ in REVIEW_COLUMNS]
        if sum(v for _, v in parts) != total and not unreadable.intersection(paths):
            shown = "+".join(f"{_REVIEW_COLUMN_SHORT[c]}({_fmt(v)})" for c, v in parts)
            findings.append(
                make_finding(T4_TOTAL, f"{label}：{shown} ≠ 总计({_fmt(total)})", paths)
            )
    return findings


def check_carry(
    doc: Document, previous: Document, *, unreadable: frozenset[str] = frozenset()
) -> list[Finding]:
    """``cross_year.carry``: this year's 上年结转 equals last year's 结转下年度, per column.

    ``unreadable`` lists this year's unreadable cells; last year's come from the
    ``cell.unreadable`` findings ``previous`` carries. A column where either cell was not read is
    skipped. Raise ``ValueError`` when ``previous`` is not the year before ``doc``; a report
    whose year could not be read has nothing to compare with.
    """
    if not isinstance(doc.get("year"), int):
        return []
    if previous.get("year") != doc.get("year", 0) - 1:
        raise ValueError(
            f"上一年度报告的年份应为 {doc.get('year', 0) - 1}，实为 {previous.get('year')} / "
            "the previous report must be for the year before"
        )
    if not (_has_part(doc, "applications") and _has_part(previous, "applications")):
        return []
    unread_before = unreadable_cells(previous)
    findings: list[Finding] = []
    for col, label in APPLICATION_COLUMNS:
        path = f"applications.carried_over.{col}"
        now = _value(doc, "applications", "carried_over", col)
        before = _value(previous, "applications", "carried_forward", col)
        unread = path in unreadable or f"applications.carried_forward.{col}" in unread_before
        if now != before and not unread:
            findings.append(
                make_finding(
                    CROSS_YEAR_CARRY,
                    f"{label}列：本年上年结转({_fmt(now)}) ≠ "
                    f"{previous['year']}年度报告结转下年度({_fmt(before)})",
                    [path],
                )
            )
    return findings


def check_report(
    doc: Document,
    *,
    previous: Document | None = None,
    unreadable: Iterable[str] = frozenset(),
    absent: Iterable[str] = frozenset(),
) -> list[Finding]:
    """Run :func:`check_document` and then the text-against-tables check (``narrative.mismatch``)."""
    from gongkai.annual.narrative import check_narrative  # narrative builds on this module

    found = check_document(doc, previous=previous, unreadable=unreadable, absent=absent)
    return found + check_narrative(doc)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return whether any finding is an error (not just a warning)."""
    return any(f.severity == ERROR for f in findings)


def findings_as_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Return the findings as the JSON objects of the document's ``findings`` list."""
    return [f.to_dict() for f in findings]


def unreadable_cells(doc: Document) -> frozenset[str]:
    """Return the cells ``doc``'s own ``cell.unreadable`` findings name (rules touching them are
    skipped)."""
    return frozenset(
        cell
        for finding in doc.get("findings") or []
        if isinstance(finding, dict) and finding.get("rule") == CELL_UNREADABLE
        for cell in finding.get("cells") or []
    )


def _has_part(doc: Document, part: str) -> bool:
    return bool(doc.get(part))


def _raw(doc: Document, part: str, row: str, col: str) -> Number:
    return ((doc.get(part) or {}).get(row) or {}).get(col)


def _is_blank(doc: Document, part: str, row: str, col: str) -> bool:
    return _raw(doc, part, row, col) is None


def _value(doc: Document, part: str, row: str, col: str) -> int | float:
    """Return a cell's value for the arithmetic, blank as 0; reject what is not a number."""
    value = _raw(doc, part, row, col)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(
            f"单元格 {part}.{row}.{col} 的值 {value!r} 不是数字 / cell value is not a number"
        )
    return value  # type: ignore[return-value]


def _fmt(value: Number) -> str:
    return "空" if value is None else str(value)
