"""Reading files: encodings, HTML tables with spans, Word-split labels, normalisation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.annual.parse import ReportUnreadable, parse_path, parse_text
from gongkai.annual.parse.digits import AMBIGUOUS, INFERRED, OK, UNREADABLE, read_row
from gongkai.annual.parse.normalize import clean_text, is_footer, label_key
from gongkai.annual.parse.sources import decode, read_html

SEED = Path(__file__).resolve().parents[2] / "corpus" / "000-chengkou-2020.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
T3 = [(tuple(range(6)), 6)]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"]
)
def test_every_encoding_reads_the_same_report(encoding, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED_TEXT.encode(encoding))
    doc = parse_path(path)
    assert doc["agency"] == "城口县人民政府机关"
    assert doc["applications"] == parse_text(SEED_TEXT)["applications"]


def test_decode_rejects_binary():
    with pytest.raises(Exception, match="binary"):
        decode(b"\x00\x01\x02\x03binary\x00\x00")


def test_binary_file_is_unreadable(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReportUnreadable):
        parse_path(path)


def test_html_rowspan_and_colspan_are_expanded_on_a_grid():
    html = """<table>
      <tr><td rowspan="2">A</td><td colspan="2">B</td></tr>
      <tr><td>1</td><td><span>2</span><font>3</font></td></tr>
    </table>"""
    rows = [line.cells for line in read_html(html)]
    assert rows == [("A", "B", None), (None, "1", "23")]


def test_word_html_label_split_over_spans_is_one_label():
    html = (
        "<p>某县人民政府<span>20</span><span>23</span>年政府信息公开工作年度报告</p>"
        "<table><tr><td><p>（</p><p>一）予以</p></td><td>1</td></tr></table>"
    )
    lines = read_html(html)
    assert lines[0].text == "某县人民政府2023年政府信息公开工作年度报告"
    assert label_key("".join(lines[1].cells[0].split())) == "(一)予以"


def test_normalisation():
    assert label_key("３、危及「三安全一稳定」") == "3.危及三安全一稳定"
    assert (
        label_key("（二）部分公开（区分处理的， 只计这一情\n形）")
        == "(二)部分公开(区分处理的,只计这一情形)"
    )
    assert clean_text("行政处罚　３,９８５,７５８\n- 3 -\n<!--[if !x]-->尾") == [
        "行政处罚 3985758",
        "",
        "尾",
    ]
    for footer in ("- 3 -", "—12—", "第 3 页", "第3页 共9页", "3/9"):
        assert is_footer(footer)
    assert not is_footer("3 0 0 0 0 0 3")


@pytest.mark.parametrize(
    ("tokens", "values", "status"),
    [
        (["2000002"], [2, 0, 0, 0, 0, 0, 2], OK),  # seven digits, seven cells
        (["0000000"], [0] * 7, OK),
        (["10", "0", "00", "01"], [1, 0, 0, 0, 0, 0, 1], INFERRED),  # 013: a gap may hold a blank
        (["0", "00000"], [0, None, 0, 0, 0, 0, 0], OK),  # 011: the gap is the blank cell
        (["280000028"], [28, 0, 0, 0, 0, 0, 28], INFERRED),
        (["000000"], [None] * 7, UNREADABLE),  # a blank cell, but where?
        (["110000011"], [None] * 7, AMBIGUOUS),  # 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11
        (["1100011"], [1, 1, 0, 0, 0, 1, 1], OK),  # the only reading, wrong total kept
    ],
)
def test_glued_rows_of_table_three(tokens, values, status):
    reading = read_row(tokens, 7, T3, gaps_may_be_blank=True)
    assert (reading.values, reading.status) == (values, status)


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("4500", [None, None, None]),  # 4/50/0 or 45/0/0
        ("0494246", [0, None, None]),  # the leading 0 is certain, the rest is not
        ("417", [4, 1, 7]),
        ("021", [0, 2, 1]),
    ],
)
def test_glued_proactive_rows_keep_only_what_every_reading_agrees_on(raw, values):
    assert read_row([raw], 3).values == values


def test_fully_glued_table_four_keeps_a_printed_error():
    """014: one reading only, whose 总计 is wrong: the printed values are kept."""
    groups = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]
    reading = read_row(["100000000000000"], 15, groups)
    assert reading.status == OK
    assert reading.values == [1] + [0] * 14


def test_the_official_blank_template_reads_as_all_blank():
    """The 2021 template (.docx, merged cells): every cell null, each reported ``cell.blank``."""
    template = SEED.parents[1] / "fixtures" / "annual-report-template-2021.docx"
    doc = parse_path(template)
    assert doc["format"] == "2021"
    assert all(
        value is None
        for part in ("proactive", "applications", "review_litigation")
        for row in doc[part].values()
        for value in row.values()
    )
    assert {f["rule"] for f in doc["findings"]} == {"cell.blank"}


@pytest.mark.parametrize(
    ("header", "cell", "units"),
    [
        ("采购总金额", "2832995元", {"proactive.政府集中采购.采购总金额": "元"}),  # 016
        ("采购总金额（万元）", "283.2995", {"proactive.政府集中采购.采购总金额": "万元"}),
        ("采购总金额", "12", {}),
    ],
)
def test_money_units_printed_by_the_report_are_recorded(header, cell, units):
    text = SEED_TEXT.replace("采购总金额 |", f"{header} |").replace(
        "政府集中采购 |\n0 |\n0 |", f"政府集中采购 |\n3 |\n{cell} |"
    )
    doc = parse_text(text)
    assert doc.get("units", {}) == units
    assert doc["proactive"]["政府集中采购"]["采购项目数量"] == 3


def test_the_2021_fee_column_in_yuan_is_recorded():
    raw = SEED.parent / "012-pingtan-gaj-2022.txt"
    text = raw.read_text(encoding="utf-8").replace("（单位：万元）", "（单位：元）")
    assert parse_text(text)["units"] == {
        "proactive.行政事业性收费.本年收费金额（单位：万元）": "元"
    }
    assert "units" not in parse_path(raw)


def test_counters_in_cells_are_read():
    """Some pages print 「2件」 in the cells of 三."""
    text = re.sub(r"(?m)^(\d+) \|", r"\1件 |", SEED_TEXT)
    assert text.count("件 |") > 100
    assert parse_text(text)["applications"] == parse_text(SEED_TEXT)["applications"]


def test_old_word_files_get_a_clear_message(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(ReportUnreadable, match=r"\.docx"):
        parse_path(path)
