"""Each output opened: HTML (real headers, merged cells, values), DOCX from the official
template read back by the auditor into the same tables, XLSX numbers, JSON, PDF."""

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document as open_word
from openpyxl import load_workbook

from gongkai.annual.document import empty_document, iter_cells
from gongkai.annual.parse import parse_path
from gongkai.annualreport import outputs

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FIXTURE_TEMPLATE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "annual-report-template-2021.docx"
)


def seed() -> dict:
    doc = json.loads((CORPUS / "000-chengkou-2020.expected.json").read_text(encoding="utf-8"))
    doc["sections"] = {
        "overview": "全年共收到政府信息公开申请2件。\n第二段。",
        "problems": "问题。",
    }
    return doc


def numbered(fmt: str = "2021", year: int = 2023) -> dict:
    """A document whose every cell holds a different number (so a misplaced one shows)."""
    doc = empty_document("城口县公安局", year, fmt, fill=0)
    for n, (path, _) in enumerate(iter_cells(doc), start=1):
        part, row, col = path.split(".", 2)
        doc[part][row][col] = n
    doc["sections"] = {
        "overview": "第一段总体情况。\n第二段。",
        "problems": "存在的问题。",
        "other": "未收取信息处理费。",
    }
    return doc


class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.th, self.td, self.spans, self._in = [], {}, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("th", "td"):
            self._in = (tag, a, [])
            if "rowspan" in a or "colspan" in a:
                self.spans.append(a)

    def handle_data(self, data):
        if self._in:
            self._in[2].append(data)

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            kind, a, text = self._in
            if kind == "th":
                self.th.append((a.get("scope"), "".join(text)))
            elif "data-cell" in a:
                self.td[a["data-cell"]] = "".join(text)
            self._in = None


@pytest.mark.parametrize("fmt,year", [("2019", 2020), ("2021", 2023)])
def test_html_has_real_headers_merged_cells_and_every_value(fmt, year):
    doc = numbered(fmt, year)
    page = outputs.report_html(doc)
    cells = Cells()
    cells.feed(page)
    assert ("colgroup", "申请人情况") in cells.th
    assert ("rowgroup", "三、本年度办理结果") in cells.th
    assert ("col", "自然人") in cells.th or ("colgroup", "自然人") in cells.th
    assert any(scope == "row" and "予以公开" in text for scope, text in cells.th)
    assert {"rowspan": "3", "colspan": "3"}.items() <= next(
        s for s in cells.spans if s.get("rowspan") == "3"
    ).items()
    for path, value in iter_cells(doc):
        assert cells.td[path] == str(value), path
    assert '<meta name="viewport"' in page and "@media print" in page


@pytest.mark.parametrize("fmt,year", [("2019", 2020), ("2021", 2023), ("2021", 2021)])
def test_docx_read_back_by_the_auditor_gives_the_same_tables(fmt, year, tmp_path):
    doc = numbered(fmt, year)
    path = tmp_path / "report.docx"
    path.write_bytes(outputs.to_docx(doc))
    back = parse_path(path)
    assert (back["agency"], back["year"], back["format"]) == (doc["agency"], year, fmt)
    for part in ("proactive", "applications", "review_litigation"):
        assert back[part] == doc[part], part
    assert "第一段总体情况" in back["sections"]["overview"]


def test_the_seed_round_trips_through_docx(tmp_path):
    doc = seed()
    path = tmp_path / "seed.docx"
    path.write_bytes(outputs.to_docx(doc))
    back = parse_path(path)
    for part in ("proactive", "applications", "review_litigation"):
        assert back[part] == doc[part], part


def test_2021_docx_is_the_official_template_filled_in():
    doc = numbered("2021", 2023)
    word = open_word(io.BytesIO(outputs.to_docx(doc)))
    template = open_word(str(FIXTURE_TEMPLATE))
    assert outputs.TEMPLATE_2021.read_bytes() == FIXTURE_TEMPLATE.read_bytes()
    # Same tables, same shape, same merged header cells as the template.
    assert (
        [(len(t.rows), len(t.columns)) for t in word.tables]
        == [(len(t.rows), len(t.columns)) for t in template.tables]
        == [(14, 4), (28, 10), (4, 15)]
    )
    assert word.tables[1].cell(0, 3).text == template.tables[1].cell(0, 3).text == "申请人情况"
    # Values where the template leaves them blank.
    apps = word.tables[1]
    assert apps.cell(3, 3).text == str(doc["applications"]["new_received"]["natural_person"])
    assert apps.cell(27, 9).text == str(doc["applications"]["carried_forward"]["total"])
    assert word.tables[2].cell(3, 14).text == str(
        doc["review_litigation"]["litigation_after_review"]["total"]
    )
    assert word.tables[0].cell(13, 1).text == str(
        doc["proactive"]["行政事业性收费"]["本年收费金额（单位：万元）"]
    )
    texts = [p.text for p in word.paragraphs]
    assert "城口县公安局2023年政府信息公开工作年度报告" in texts
    assert "第一段总体情况。" in texts and "第二段。" in texts and "未收取信息处理费。" in texts
    assert not any(t.startswith("（文字描述") for t in texts)


def test_xlsx_holds_the_numbers():
    doc = numbered("2021", 2023)
    book = load_workbook(io.BytesIO(outputs.render(doc, "xlsx")))
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    expected = {v for _, v in iter_cells(doc)}
    assert expected <= values
    assert "问题清单" in book.sheetnames


def test_json_is_the_document():
    doc = seed()
    assert json.loads(outputs.render(doc, "json")) == doc


def test_pdf_or_a_clear_message(monkeypatch):
    from gongkai.letters import fonts

    if fonts.cjk_fonts_installed():
        import pdfplumber

        data = outputs.render(seed(), "pdf")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert "政府信息公开工作年度报告" in re.sub(r"\s", "", text)
    monkeypatch.setattr(fonts, "cjk_fonts_installed", lambda: False)
    with pytest.raises(outputs.OutputUnavailable, match="中文字体"):
        outputs.render(seed(), "pdf")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="不支持的格式"):
        outputs.render(seed(), "odt")
