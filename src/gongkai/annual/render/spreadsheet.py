"""Reports as an .xlsx workbook: one sheet per report with every table and its labels, and a
「问题清单」 sheet listing every finding, so supervisors can sort and filter them.

Errors and hints are marked differently, and not by colour alone: a cell named by an error is
red with a comment starting 「错误」, one named only by a hint amber with 「提示」 (a legend under
the title says so); the 级别 column of 问题清单 is coloured the same way. Cells are named as the
template labels them (「表三 · 本年新收政府信息公开申请数量 · 自然人」, :func:`cell_name`, from
docs/spec/annual-report-json.md), with the sheet and cell where the value stands."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gongkai.annual.checks import check_document
from gongkai.annual.document import Document
from gongkai.annual.formats import (
    APPLICANT_COLUMN_KEYS,
    APPLICATION_COLUMNS,
    RESULTS_GROUP,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    get_format,
)
from gongkai.annual.narrative import check_narrative
from gongkai.annual.render.grid import Table, build_tables, report_title

FINDINGS_SHEET = "问题清单"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
#: Fill and font of a cell named by an error (red) and by a hint only (amber).
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
_ERROR_FONT = Font(color="9C0006", bold=True)
_HINT_FILL = PatternFill("solid", fgColor="FFE699")
_HINT_FONT = Font(color="7F6000")
SEVERITY_NAME = {"error": "错误", "warning": "提示"}
LEGEND = "红底粗体为错误（须更正），黄底为提示（请核对）；单元格的批注写明问题，详见「问题清单」。"
_TABLE_NAME = {"proactive": "表二", "applications": "表三", "review_litigation": "表四"}
_ORGANISATION = "法人或其他组织"
_ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+、")
_INVALID = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(
    docs: Iterable[Document], *, rule_name: Callable[[str | None], str] | None = None
) -> bytes:
    """Return the workbook bytes. Cells named by a finding are highlighted; values stay numbers
    (blank cells stay empty) so the sheet can be summed.

    ``rule_name`` turns a rule id into the reader's name of the problem (the auditor's labels);
    without it 问题清单 shows the ids of docs/spec/annual-report-json.md.
    """
    book = Workbook()
    book.remove(book.worksheets[0])  # the default empty sheet
    docs = list(docs)
    names: list[str] = []
    places: list[dict[str, str]] = []
    for doc in docs:
        name = _sheet_name(doc, names)
        names.append(name)
        places.append(_report_sheet(book.create_sheet(name), doc, rule_name))
    _findings_sheet(book.create_sheet(FINDINGS_SHEET), docs, names, places, rule_name)
    _no_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _no_formulas(book: Workbook) -> None:
    """Keep text that starts with 「=」 (an agency name or file name read from an upload) as
    text: openpyxl would otherwise write it as a formula for Excel to run."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _sheet_name(doc: Document, taken: list[str]) -> str:
    base = _INVALID.sub("", f"{doc.get('year', '')}{doc.get('agency', '')}")[:28] or "报告"
    name, n = base, 2
    while name in taken or name == FINDINGS_SHEET:
        name, n = f"{base[:27]}-{n}", n + 1
    return name


def findings_of(doc: Document) -> list[dict]:
    """Return the document's findings, running every check when it carries none."""
    if doc.get("findings") is not None:
        return list(doc["findings"])
    found = check_document(doc) + check_narrative(doc)
    return [f.to_dict() for f in found]


def cell_name(doc: Document, path: str) -> str:
    """A cell's name as the template labels it: 「表三 · 本年新收政府信息公开申请数量 · 自然人」,
    「表三 · （三）不予公开 · 1.属于国家秘密 · 法人或其他组织 · 商业企业」, 「表四 · 行政复议 ·
    结果维持」, 「表二 · 规章 · 本年新制作数量」. A path it cannot place is returned as given."""
    try:
        part, row, col = path.split(".", 2)
    except ValueError:
        return path
    table = _TABLE_NAME.get(part)
    if table is None:
        return path
    names = [table]
    if part == "proactive":
        names += [row, col]
    elif part == "applications":
        try:
            rows = {r.key: r for r in get_format(str(doc.get("format") or "2021")).application_rows}
        except (KeyError, ValueError):
            rows = {}
        found = rows.get(row)
        if found is None:
            names.append(row)
        else:
            if found.group and found.group != RESULTS_GROUP:
                names.append(found.group)
            names.append(_ENUMERATOR.sub("", found.label))
        if col in APPLICANT_COLUMN_KEYS and col != APPLICANT_COLUMN_KEYS[0]:
            names.append(_ORGANISATION)
        names.append(dict(APPLICATION_COLUMNS).get(col, col))
    else:
        names += [dict(REVIEW_GROUPS).get(row, row), dict(REVIEW_COLUMNS).get(col, col)]
    return " · ".join(names)


def _cell_notes(doc: Document, rule_name) -> dict[str, tuple[str, list[str]]]:
    """Each flagged cell's severity (an error wins over a hint) and the problems named on it."""
    notes: dict[str, tuple[str, list[str]]] = {}
    for f in findings_of(doc):
        severity = "error" if f.get("severity") == "error" else "warning"
        what = rule_name(f.get("rule")) if rule_name else str(f.get("rule") or "")
        line = f"{SEVERITY_NAME[severity]}：{what}：{f.get('message') or ''}"
        for path in f.get("cells") or []:
            kind, lines = notes.get(path, (severity, []))
            notes[path] = ("error" if "error" in (kind, severity) else "warning", [*lines, line])
    return notes


def _report_sheet(sheet, doc: Document, rule_name=None) -> dict[str, str]:
    """Write one report; return where each numeric cell stands (path -> 「C12」)."""
    notes = _cell_notes(doc, rule_name)
    sheet.cell(row=1, column=1, value=report_title(doc)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=f"格式：{doc.get('format')}（年报格式）")
    if notes:
        sheet.cell(row=3, column=1, value=LEGEND)
    row = 4
    headings = {
        "proactive": "二、主动公开政府信息情况",
        "applications": "三、收到和处理政府信息公开申请情况",
        "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    }
    places: dict[str, str] = {}
    for part, table in build_tables(doc).items():
        sheet.cell(row=row, column=1, value=headings[part]).font = Font(bold=True)
        row = _write_table(sheet, table, doc, row + 1, notes, places) + 2
    widths = {1: 14, 2: 14, 3: 30}
    for col in range(1, 16):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(col, 10)
    return places


def _write_table(
    sheet, table: Table, doc: Document, top: int, notes: dict, places: dict[str, str]
) -> int:
    grid = table.positions()
    for r, cells in enumerate(grid):
        for c, cell in enumerate(cells):
            target = sheet.cell(row=top + r, column=1 + c)
            target.border = _BOX
            if cell is None:
                continue
            if cell.path:
                part, key, col = cell.path.split(".", 2)
                target.value = doc[part][key].get(col)  # a number, or empty when blank
                places[cell.path] = target.coordinate
                if cell.path in notes:
                    kind, lines = notes[cell.path]
                    error = kind == "error"
                    target.fill = _ERROR_FILL if error else _HINT_FILL
                    target.font = _ERROR_FONT if error else _HINT_FONT
                    text = "\n".join([cell_name(doc, cell.path), *lines])
                    target.comment = Comment(text, "gongkai", width=320, height=160)
            else:
                target.value = cell.text
            target.alignment = _CENTER
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=top + r,
                    start_column=1 + c,
                    end_row=top + r + cell.rowspan - 1,
                    end_column=c + cell.colspan,
                )
    return top + len(grid)


def _findings_sheet(
    sheet, docs: list[Document], names: list[str], places: list[dict[str, str]], rule_name=None
) -> None:
    header = ["报告", "机关", "年度", "规则", "级别", "说明", "单元格", "位置"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for doc, name, where in zip(docs, names, places, strict=True):
        for f in findings_of(doc):
            error = f.get("severity") == "error"
            cells = list(f.get("cells") or [])
            sheet.append(
                [
                    name,
                    doc.get("agency"),
                    doc.get("year"),
                    rule_name(f.get("rule")) if rule_name else f.get("rule"),
                    SEVERITY_NAME["error" if error else "warning"],
                    f.get("message"),
                    "\n".join(cell_name(doc, path) for path in cells),
                    "\n".join(f"'{name}'!{where[p]}" for p in cells if p in where),
                ]
            )
            first = next((where[p] for p in cells if p in where), None)
            if first is not None:  # a click goes to the first cell named
                sheet.cell(row=sheet.max_row, column=8).hyperlink = f"#'{name}'!{first}"
            level = sheet.cell(row=sheet.max_row, column=5)
            level.fill = _ERROR_FILL if error else _HINT_FILL
            level.font = _ERROR_FONT if error else _HINT_FONT
    for col, width in zip("ABCDEFGH", (24, 24, 8, 18, 8, 60, 48, 24), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
