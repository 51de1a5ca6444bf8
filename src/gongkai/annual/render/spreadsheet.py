"""Reports as an .xlsx workbook: one sheet per report with every table and its labels, and a
「问题清单」 sheet listing every finding, so supervisors can sort and filter them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gongkai.annual.checks import check_document
from gongkai.annual.document import Document
from gongkai.annual.narrative import check_narrative
from gongkai.annual.render.grid import Table, build_tables, report_title

FINDINGS_SHEET = "问题清单"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FLAGGED = PatternFill("solid", fgColor="FFE699")
_INVALID = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(docs: Iterable[Document]) -> bytes:
    """Return the workbook bytes. Cells named by a finding are highlighted; values stay numbers
    (blank cells stay empty) so the sheet can be summed."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default empty sheet
    docs = list(docs)
    names: list[str] = []
    for doc in docs:
        name = _sheet_name(doc, names)
        names.append(name)
        _report_sheet(book.create_sheet(name), doc)
    _findings_sheet(book.create_sheet(FINDINGS_SHEET), docs, names)
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


def _report_sheet(sheet, doc: Document) -> None:
    flagged = {cell for f in findings_of(doc) for cell in f.get("cells", [])}
    sheet.cell(row=1, column=1, value=report_title(doc)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=f"格式：{doc.get('format')}（年报格式）")
    row = 4
    headings = {
        "proactive": "二、主动公开政府信息情况",
        "applications": "三、收到和处理政府信息公开申请情况",
        "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    }
    for part, table in build_tables(doc).items():
        sheet.cell(row=row, column=1, value=headings[part]).font = Font(bold=True)
        row = _write_table(sheet, table, doc, row + 1, flagged) + 2
    widths = {1: 14, 2: 14, 3: 30}
    for col in range(1, 16):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(col, 10)


def _write_table(sheet, table: Table, doc: Document, top: int, flagged: set[str]) -> int:
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
                if cell.path in flagged:
                    target.fill = _FLAGGED
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


def _findings_sheet(sheet, docs: list[Document], names: list[str]) -> None:
    header = ["报告", "机关", "年度", "规则", "级别", "说明", "单元格"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for doc, name in zip(docs, names, strict=True):
        for f in findings_of(doc):
            severity = "错误" if f.get("severity") == "error" else "提示"
            sheet.append(
                [
                    name,
                    doc.get("agency"),
                    doc.get("year"),
                    f.get("rule"),
                    severity,
                    f.get("message"),
                    "\n".join(f.get("cells", [])),
                ]
            )
    for col, width in zip("ABCDEFG", (24, 24, 8, 18, 8, 60, 48), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"
