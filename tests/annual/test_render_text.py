"""Text layouts of rendered reports read back: every cell where it belongs, in table order."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual.document import iter_cells
from gongkai.annual.formats import get_format
from gongkai.annual.render import (
    build_tables,
    perturb,
    report_title,
    to_crawler_text,
    to_layout_text,
    to_markdown,
    to_pipe_text,
)
from gongkai.annual.render.grid import format_value

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXPECTED = sorted(CORPUS.glob("*.expected.json"))
SECTIONS = {
    "overview": "（一）主动公开情况。全年主动公开政府信息1136条。\n（二）依申请公开情况。办理规范。",
    "problems": "一是培训不足。二是平台不够规范。",
    "other": "本年度未收取信息处理费。",
}
_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})


def _load(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("about_this_file", None)
    return {**doc, "sections": SECTIONS}


def _values(doc: dict, part: str | None = None) -> list[str]:
    """Every printed value of the tables in table order (blank cells print nothing)."""
    tables = build_tables(doc)
    parts = [part] if part else list(tables)
    return [c.text for p in parts for c in tables[p].cells() if c.path and c.text]


def _assert_in_order(text: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        assert found >= 0, f"{needle!r} missing after offset {at}"
        at = found + len(needle)


def _assert_complete(
    text: str, doc: dict, *, halfwidth: bool = False, squeeze: bool = False
) -> None:
    """The six headings in order and every line of the sections' text are in ``text``."""

    def fix(s: str) -> str:
        s = s.translate(_HALF) if halfwidth else s
        return re.sub(r"\s+", "", s) if squeeze else s

    if squeeze:  # column-aligned text: drop page footers, line breaks and padding
        text = re.sub(r"\s+", "", re.sub(r"(?m)^\s*-\d+-\s*$", "", text))
    headings = get_format(doc["format"]).sections
    _assert_in_order(text, [fix(h) for h in headings])
    for section in SECTIONS.values():
        for line in section.splitlines():
            assert fix(line) in text


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_pipe_text_has_every_cell_on_its_line(path: Path) -> None:
    doc = _load(path)
    text = to_pipe_text(doc)
    assert text.startswith(f"{doc['agency']}\n{doc['year']}年政府信息公开工作年度报告\n")
    _assert_complete(text, doc, halfwidth=True)
    cells = [m.group(1) for m in re.finditer(r"(?m)^(.*?) \|(?: \|+)?$", text)]
    expected = [c.text.translate(_HALF) for t in build_tables(doc).values() for c in t.cells()]
    assert cells == expected


def test_pipe_text_reproduces_the_seed_tables() -> None:
    """The seed's own tables, as copied from its web page, are what the renderer prints."""
    doc = _load(CORPUS / "000-chengkou-2020.expected.json")
    seed = (CORPUS / "000-chengkou-2020.txt").read_text(encoding="utf-8")

    def tables(text: str) -> list[str]:
        start = text.index("二、主动公开政府信息情况")
        end = text.index("五、")
        return [line for line in text[start:end].splitlines() if "|" in line]

    assert tables(to_pipe_text(doc)) == tables(seed)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_crawler_text_glues_each_row(path: Path) -> None:
    doc = _load(path)
    text = to_crawler_text(doc)
    header, body = text.split("==================== 正文 ====================\n")
    assert f"标题: {report_title(doc)}" in header
    assert "\n" not in body.rstrip("\n")
    _assert_complete(body, doc)
    for table in build_tables(doc).values():
        for row in table.rows:
            if any(c.path for c in row):
                label = "".join(c.text for c in row if not c.path)
                digits = "".join(c.text or " " for c in row if c.path)
                assert label + digits in body


def test_crawler_spacing_never_splits_a_number() -> None:
    doc = _load(CORPUS / "006-huaian-2024.expected.json")
    text = to_crawler_text(doc, spacing=random.Random(7), space_rate=0.9)
    assert " 3119" in text or "3119" in text
    _assert_in_order(text, _values(doc))
    assert "3 119" not in text and "31 19" not in text


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_markdown_tables_keep_the_grid(path: Path) -> None:
    doc = _load(path)
    text = to_markdown(doc)
    assert text.startswith(f"# {report_title(doc)}\n")
    _assert_complete(text, doc)
    tables = list(build_tables(doc).values())
    blocks = re.findall(r"(?m)((?:^\|.*\|$\n?)+)", text)
    assert len(blocks) == len(tables)
    for block, table in zip(blocks, tables, strict=True):
        rows = [line.strip("|").split(" | ") for line in block.strip().splitlines()]
        del rows[1]  # the |---| rule
        grid = [[(c.text if c else "") for c in row] for row in table.positions()]
        assert [[cell.strip() for cell in row] for row in rows] == grid


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _layout_numbers(text: str, start: str, end: str) -> list[str]:
    region = text[text.index(start) : text.index(end)]
    region = re.sub(r"(?m)^\s*-\d+-\s*$", "", region).replace("\f", "")
    return _NUMBER.findall(region)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_layout_text_prints_every_value_in_order(path: Path) -> None:
    doc = _load(path)
    text = to_layout_text(doc)
    _assert_complete(text, doc, squeeze=True)
    heads = get_format(doc["format"]).sections
    assert _layout_numbers(text, heads[2], heads[3]) == _values(doc, "applications")
    assert _layout_numbers(text, heads[3], heads[4]) == _values(doc, "review_litigation")
    assert _layout_numbers(text, heads[1], heads[2]) == _values(doc, "proactive")


@pytest.mark.parametrize("page_height", [12, 20, 46, 400])
def test_layout_text_breaks_a_page_inside_table_3(page_height: int) -> None:
    doc = _load(CORPUS / "004-hongze-2023.expected.json")
    text = to_layout_text(doc, page_height=page_height)
    heads = get_format("2021").sections
    table3 = text[text.index(heads[2]) : text.index(heads[3])]
    assert re.search(r"(?m)^\s*-\d+-\n\f", table3), "no page footer and form feed in table 三"
    pages = text.split("\f")
    assert all(len(page.strip("\n").splitlines()) <= page_height + 2 for page in pages)
    assert pages[-1].rstrip().endswith(f"-{len(pages)}-")


def test_layout_text_breaks_long_labels() -> None:
    doc = _load(CORPUS / "006-huaian-2024.expected.json")
    text = to_layout_text(doc)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" not in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "（二）部分公开" in line)
    assert _NUMBER.findall(lines[at]) == []
    assert _NUMBER.findall(lines[at + 2]) == ["447", "7", "0", "0", "0", "0", "454"]


def test_layout_text_rejects_tiny_pages() -> None:
    with pytest.raises(ValueError, match="页高"):
        to_layout_text(_load(EXPECTED[0]), page_height=3)


# --- perturbations ---------------------------------------------------------------------------


def test_label_typos() -> None:
    text = "2.其他法律行政法规禁止公开 0 |"
    assert (
        perturb.drop_char(text, "其他法律行政法规禁止公开", at=6) == "2.其他法律行政规禁止公开 0 |"
    )
    assert perturb.swap_chars(text, "其他法律", at=0) == "2.他其法律行政法规禁止公开 0 |"
    with pytest.raises(ValueError):
        perturb.swap_chars(text, "不存在的标签")


def test_numbering_digits_and_glue() -> None:
    line = "1.属于国家秘密        21    0   1,234  7730.28"
    assert perturb.ideographic_numbering(line).startswith("1、属于国家秘密")
    assert "7730.28" in perturb.ideographic_numbering(line)
    assert perturb.fullwidth_digits("总计 21") == "总计 ２１"
    assert perturb.glue_digits("总计 21    0   3") == "总计 2103"
    for change in (perturb.ideographic_numbering, perturb.fullwidth_digits, perturb.glue_digits):
        with pytest.raises(ValueError):
            change("没有可改的")


def test_thousands_separators_in_every_layout() -> None:
    doc = _load(CORPUS / "006-huaian-2024.expected.json")
    assert perturb.with_thousands(3119) == "3,119"
    assert perturb.with_thousands(None) == ""
    for render in (to_pipe_text, to_markdown, to_layout_text, to_crawler_text):
        assert "3,119" in render(doc, cell_text=perturb.with_thousands)


def test_blank_cells_and_dropped_rows_render() -> None:
    doc = _load(CORPUS / "000-chengkou-2020.expected.json")
    blank = perturb.blank_cells(doc, ["applications.granted.natural_person"])
    assert blank["applications"]["granted"]["natural_person"] is None
    assert doc["applications"]["granted"]["natural_person"] == 2
    assert "(一)予以公开 |\n |\n0 |" in to_pipe_text(blank)
    dropped = perturb.drop_row(doc, "applications", "denied_query_matter")
    for render in (to_pipe_text, to_markdown, to_layout_text, to_crawler_text):
        assert "属于行政查询事项" not in render(dropped)
        assert "属于行政执法案卷" in render(dropped)
    with pytest.raises(ValueError):
        perturb.drop_row(dropped, "applications", "denied_query_matter")


def test_one_row_other_prints_like_hongze() -> None:
    doc = perturb.one_row_other(_load(CORPUS / "006-huaian-2024.expected.json"))
    assert "(六)其他处理 |\n108 |\n2 |" in to_pipe_text(doc)
    assert "（六）其他处理10820000110（七）总计" in to_crawler_text(doc)
    assert "申请人逾期未按收费通知" not in to_markdown(doc)
    assert [len(t.rows) for t in build_tables(doc).values()] == [14, 26, 4]
    with pytest.raises(ValueError):
        perturb.one_row_other(_load(CORPUS / "000-chengkou-2020.expected.json"))


@pytest.mark.parametrize("part", ["proactive", "applications", "review_litigation"])
def test_a_document_missing_a_table_still_renders(part: str) -> None:
    doc = _load(CORPUS / "006-huaian-2024.expected.json")
    del doc[part]
    for render in (to_pipe_text, to_markdown, to_layout_text, to_crawler_text):
        text = render(doc)
        _assert_complete(text, doc, halfwidth=render is to_pipe_text, squeeze=True)
        assert len(build_tables(doc)) == 2


@st.composite
def _changed_documents(draw: st.DrawFn) -> dict:
    doc = _load(draw(st.sampled_from(EXPECTED)))
    for path, _ in iter_cells(doc):
        choice = draw(st.sampled_from(["keep", "keep", "blank", "number"]))
        if choice == "blank":
            doc = perturb.blank_cells(doc, [path])
        elif choice == "number":
            part, row, col = path.split(".", 2)
            doc[part][row][col] = draw(st.integers(0, 99999))
    return doc


@settings(max_examples=25, deadline=None)
@given(_changed_documents())
def test_any_document_renders_every_value_in_order(doc: dict) -> None:
    values = _values(doc)
    for render in (to_pipe_text, to_markdown, to_layout_text, to_crawler_text):
        _assert_in_order(render(doc), [format_value(v) for v in values])
