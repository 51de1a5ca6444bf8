"""A report as a Word document, its three tables merged cell for cell like the official blank
template (tests/fixtures/annual-report-template-2021.docx: 14, 28 and 4 rows for format 2021)."""

from __future__ import annotations

import io

from docx import Document as new_word_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from gongkai.annual.document import Document
from gongkai.annual.render.grid import CellText, Table, format_value, report_blocks

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"


def to_docx(doc: Document, *, cell_text: CellText = format_value) -> bytes:
    """Render as .docx bytes: title, the six headings, the sections' text and the tables."""
    word = new_word_document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = word.styles["Normal"]
    normal.font.size = Pt(14)
    _east_asian(normal.element, BODY_FONT)
    for block in report_blocks(doc, cell_text=cell_text):
        if block.kind == "title":
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, block.text, TITLE_FONT, size=20)
        elif block.kind == "heading":
            _run(word.add_paragraph(), block.text, HEADING_FONT, bold=True)
        elif block.table is not None:
            _table(word, block.table)
        else:
            p = word.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(28)
            _run(p, block.text, BODY_FONT)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _run(paragraph, text: str, font: str, *, size: float | None = None, bold: bool = False):
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    run.font.name = font
    _east_asian(run._element, font)
    return run


def _east_asian(element, font: str) -> None:
    """Set the East Asian font, which ``font.name`` alone leaves to Word's default."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


#: Column widths in cm, so the labels of table 三 get room and the numbers do not wrap.
_WIDTHS = {
    "proactive": None,
    "applications": [1.3, 1.7, 4.3] + [1.3] * 7,
    "review_litigation": [1.09] * 15,
}
_TEXT_WIDTH_CM = 16.4


def _table(word, table: Table) -> None:
    grid = table.positions()
    t = word.add_table(rows=len(grid), cols=table.ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = _WIDTHS.get(table.part) or [_TEXT_WIDTH_CM / table.ncols] * table.ncols
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice follows
    # One pass over the cells: ``Table.cell(r, c)`` walks the whole table on every call.
    flat = t._cells
    cells = [flat[r * table.ncols : (r + 1) * table.ncols] for r in range(len(grid))]
    for row in cells:
        for cell, width in zip(row, widths, strict=True):
            cell.width = Cm(width)  # each cell's own width, which Word follows
    size = 10.5 if table.part == "proactive" else 9
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            paragraph = target.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if cell.text:
                _run(paragraph, cell.text, BODY_FONT, size=size)
