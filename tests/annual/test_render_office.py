"""HTML, Word and Excel renderings: the template's spans, every value in its cell, files open."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest

from gongkai.annual.checks import check_document
from gongkai.annual.render import build_tables, report_title, to_docx, to_html, to_xlsx
from gongkai.annual.render.spreadsheet import FINDINGS_SHEET

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = sorted(CORPUS.glob("*.expected.json"))
SECTIONS = {
    "overview": "全年共收到政府信息公开申请若干件。",
    "problems": "培训不足。",
    "other": "无。",
}
#: Rows of the three tables: the official blank 2021 template has 14, 28 and 4.
TABLE_ROWS = {"2021": [14, 28, 4], "2019": [18, 26, 4]}


def _load(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("about_this_file", None)
    return {**doc, "sections": SECTIONS}


class _Cells(HTMLParser):
    """Collect (text, rowspan, colspan, data-cell) of every <td>, and headings."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, int, int, str | None]] = []
        self.headings: list[str] = []
        self._open: dict | None = None
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "td":
            self._open = {**dict(attrs), "text": ""}
        elif tag in ("h1", "h2"):
            self.headings.append("")

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data
        elif self._tag in ("h1", "h2"):
            self.headings[-1] += data

    def handle_endtag(self, tag):
        self._tag = ""
        if tag == "td" and self._open is not None:
            o = self._open
            span = (int(o.get("rowspan", 1)), int(o.get("colspan", 1)))
            self.cells.append((o["text"], *span, o.get("data-cell")))
            self._open = None


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_html_tables_have_the_template_spans_and_values(path: Path) -> None:
    doc = _load(path)
    parser = _Cells()
    parser.feed(to_html(doc))
    assert parser.headings[0] == report_title(doc)
    assert len(parser.headings) == 7
    expected = [
        (c.text, c.rowspan, c.colspan, c.path)
        for t in build_tables(doc).values()
        for c in t.cells()
    ]
    assert parser.cells == expected
    for text, _, _, cell in parser.cells:
        if cell:
            part, row, col = cell.split(".", 2)
            value = doc[part][row][col]
            assert text == ("" if value is None else str(value))


def test_html_blank_cell_is_an_empty_td() -> None:
    doc = _load(CORPUS / "010-shuyang-fgj-2023.expected.json")
    html = to_html(doc)
    assert '<td data-cell="applications.new_received.commercial"></td>' in html
    assert "<h2>六、其他需要报告的事项</h2>\n<p>无。</p>" in html


def _word_tables(data: bytes):
    return docx.Document(io.BytesIO(data)).tables


def _merge_shape(table) -> list[list[int]]:
    """For each row, the index of the first grid column each position belongs to."""
    shape = []
    for row in table.rows:
        tcs = [cell._tc for cell in row.cells]
        shape.append([tcs.index(tc) for tc in tcs])
    return shape


def _vertical_merges(table) -> list[list[str | None]]:
    out = []
    for row in table.rows:
        marks = []
        for tc in row._tr.tc_lst:
            marks += [tc.vMerge] * tc.grid_span
        out.append(marks)
    return out


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_docx_opens_with_the_right_tables(path: Path) -> None:
    doc = _load(path)
    word = docx.Document(io.BytesIO(to_docx(doc)))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == report_title(doc)
    assert "培训不足。" in paragraphs
    assert [len(t.rows) for t in word.tables] == TABLE_ROWS[doc["format"]]
    for table, grid in zip(word.tables, build_tables(doc).values(), strict=True):
        flat = table._cells  # every grid position, merged cells repeated
        for r, row in enumerate(grid.positions()):
            for c, cell in enumerate(row):
                if cell is not None:
                    assert flat[r * grid.ncols + c].text == cell.text


def test_docx_mirrors_the_official_2021_template() -> None:
    template = docx.Document(str(FIXTURES / "annual-report-template-2021.docx")).tables
    ours = _word_tables(to_docx(_load(CORPUS / "006-huaian-2024.expected.json")))
    assert len(ours) == len(template) == 3
    for mine, official in zip(ours, template, strict=True):
        assert len(mine.columns) == len(official.columns)
        assert _merge_shape(mine) == _merge_shape(official)
        assert _vertical_merges(mine) == _vertical_merges(official)
    # Labels as the template prints them (its 「商业\n企业」 line breaks aside).
    assert ours[1].cell(7, 2).text == template[1].cell(7, 2).text == "1.属于国家秘密"
    assert ours[2].cell(0, 5).text == template[2].cell(0, 5).text == "行政诉讼"


def test_xlsx_has_a_sheet_per_report_with_every_value_and_the_findings() -> None:
    docs = [_load(p) for p in EXPECTED]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(docs)))
    assert len(book.sheetnames) == len(docs) + 1
    assert book.sheetnames[-1] == FINDINGS_SHEET
    for doc, name in zip(docs, book.sheetnames, strict=False):
        sheet = book[name]
        assert sheet["A1"].value == report_title(doc)
        numbers = sorted(
            float(v)
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if isinstance(v, int | float)
        )
        values = sorted(
            float(v) for t in doc if t in ("proactive", "applications", "review_litigation")
            for cols in doc[t].values() for v in cols.values() if v is not None
        )  # fmt: skip
        assert numbers == values
        labels = {v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)}
        assert {"（七）总计", "结果维持", "信息内容"} <= labels
    findings = list(book[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(findings) == sum(len(check_document(d)) for d in docs)
    assert any(row[3] == "t4.total" and row[4] == "错误" for row in findings)


def test_xlsx_uses_the_documents_own_findings_and_unique_sheet_names() -> None:
    doc = _load(CORPUS / "000-chengkou-2020.expected.json")
    given = {"rule": "t3.balance", "severity": "error", "message": "示例", "cells": []}
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([doc | {"findings": [given]}, doc])))
    assert book.sheetnames == ["2020城口县人民政府机关", "2020城口县人民政府机关-2", FINDINGS_SHEET]
    rows = list(book[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == ["示例"]


def test_xlsx_writes_text_that_looks_like_a_formula_as_text() -> None:
    """An agency name read from an uploaded report is data: 「=HYPERLINK(…)」 must not run."""
    doc = _load(CORPUS / "000-chengkou-2020.expected.json")
    doc = doc | {"agency": '=HYPERLINK("http://example.invalid","x")', "findings": [
        {"rule": "t3.balance", "severity": "error", "message": "+1-2", "cells": []}
    ]}  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([doc])))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert '=HYPERLINK("http://example.invalid","x")' in texts and "+1-2" in texts
