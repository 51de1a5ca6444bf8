"""Layout tests beyond the corpus: every expected document, rendered into each layout published
reports come in (with the perturbations real reports show), reads back exactly — or the parser
says precisely which cells it could not read. Never a wrong number."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gongkai.annual.checks import ARITHMETIC_RULES
from gongkai.annual.document import iter_cells
from gongkai.annual.parse import parse_path, parse_text
from gongkai.annual.render import (
    perturb,
    to_crawler_text,
    to_docx,
    to_html,
    to_layout_text,
    to_markdown,
    to_pipe_text,
)
from tests.annual.parse.parse_corpus import corpus_files, is_extraction, load

PARTS = ("proactive", "applications", "review_litigation")
EXPECTED = {}
for _raw, _path in corpus_files():
    if not is_extraction(_raw):
        _doc = load(_path)
        _doc.pop("about_this_file", None)
        EXPECTED[_path.name.split(".")[0]] = _doc
NAMES = sorted(EXPECTED)


def _render(layout: str, doc: dict, tmp_path: Path, **kw) -> dict:
    """Render ``doc`` in ``layout`` and read it back."""
    if layout == "html":
        path = tmp_path / "report.html"
        path.write_text(to_html(doc, **kw), encoding="utf-8")
        return parse_path(path)
    if layout == "docx":
        path = tmp_path / "report.docx"
        path.write_bytes(to_docx(doc, **kw))
        return parse_path(path)
    render = {
        "pipe": to_pipe_text,
        "markdown": to_markdown,
        "layout": to_layout_text,
        "crawler": to_crawler_text,
    }[layout]
    return parse_text(render(doc, **kw))


def _cells(doc: dict) -> dict[str, object]:
    return dict(iter_cells({part: doc.get(part) or {} for part in PARTS}))


def _assert_exact(doc: dict, expected: dict) -> None:
    assert (doc["agency"], doc["year"], doc["format"]) == (
        expected["agency"],
        expected["year"],
        expected["format"],
    )
    got, want = _cells(doc), _cells(expected)
    assert {p: got.get(p, "<missing>") for p in want if got.get(p, "<missing>") != want[p]} == {}


def _assert_honest(doc: dict, expected: dict) -> None:
    """Every cell read is right; every cell not read is named by a finding."""
    assert (doc["agency"], doc["year"], doc["format"]) == (
        expected["agency"],
        expected["year"],
        expected["format"],
    )
    named = {
        c
        for f in doc["findings"]
        if f["rule"] in ("cell.unreadable", "format.layout")
        for c in f["cells"]
    }
    got = _cells(doc)
    for path, want in _cells(expected).items():
        have = got.get(path)
        if have is None:
            assert want is None or path in named, f"{path}: null without a finding"
        else:
            assert have == want, f"{path}: read {have!r}, the document has {want!r}"


@pytest.mark.parametrize("layout", ["pipe", "markdown", "html", "docx"])
@pytest.mark.parametrize("name", NAMES)
def test_layouts_with_cell_boundaries_read_back_exactly(name, layout, tmp_path):
    _assert_exact(_render(layout, EXPECTED[name], tmp_path), EXPECTED[name])


@pytest.mark.parametrize("name", NAMES)
def test_column_aligned_pdf_text_with_page_breaks(name, tmp_path):
    expected = EXPECTED[name]
    doc = _render("layout", expected, tmp_path, page_height=30)
    if any(v is None for v in _cells(expected).values()):
        _assert_honest(doc, expected)  # a blank column prints nothing: position is lost
    else:
        _assert_exact(doc, expected)


@pytest.mark.parametrize("seed", [None, 1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_crawler_text_with_glued_digits_never_gives_a_wrong_number(name, seed, tmp_path):
    spacing = None if seed is None else random.Random(seed)
    _assert_honest(_render("crawler", EXPECTED[name], tmp_path, spacing=spacing), EXPECTED[name])


def test_crawler_text_of_single_digit_tables_reads_exactly(tmp_path):
    expected = EXPECTED["012-pingtan-gaj-2022"]
    _assert_exact(_render("crawler", expected, tmp_path), expected)


@pytest.mark.parametrize("layout", ["pipe", "html", "layout"])
def test_thousands_separators(layout, tmp_path):
    expected = EXPECTED["006-huaian-2024"]  # 行政处罚 3,985,758; 本年新收 3,119
    doc = _render(layout, expected, tmp_path, cell_text=perturb.with_thousands)
    _assert_exact(doc, expected)


@pytest.mark.parametrize("name", ["000-chengkou-2020", "006-huaian-2024", "012-pingtan-gaj-2022"])
@pytest.mark.parametrize("change", ["fullwidth", "ideographic"])
def test_fullwidth_digits_and_ideographic_numbering(name, change, tmp_path):
    expected = EXPECTED[name]
    text = to_layout_text(expected)
    text = (
        perturb.fullwidth_digits(text)
        if change == "fullwidth"
        else perturb.ideographic_numbering(text)
    )
    _assert_exact(parse_text(text), expected)


LABEL_TYPOS = [
    ("2.其他法律行政法规禁止公开", 9, "denied_law_forbidden", "drop"),
    ("4.保护第三方合法权益", 4, "denied_third_party", "swap"),
    ("（二）部分公开", 4, "partial", "swap"),
    ("1.本机关不掌握", 4, "unable_not_held", "drop"),
    ("5.要求行政机关确认", 5, "not_processed_confirm", "swap"),
]


@pytest.mark.parametrize(("label", "at", "row", "kind"), LABEL_TYPOS)
@pytest.mark.parametrize("layout", ["layout", "crawler", "markdown"])
def test_label_typos_are_tolerated_and_reported(label, at, row, kind, layout):
    expected = EXPECTED["006-huaian-2024"]
    render = {"layout": to_layout_text, "crawler": to_crawler_text, "markdown": to_markdown}
    text = render[layout](expected)
    change = perturb.drop_char if kind == "drop" else perturb.swap_chars
    text = change(text, label, at=at)
    doc = parse_text(text)
    if layout == "crawler":
        _assert_honest(doc, expected)
    else:
        _assert_exact(doc, expected)
    drift = [f for f in doc["findings"] if f["rule"] == "format.layout"]
    assert any(f"applications.{row}.total" in f["cells"] for f in drift)


@pytest.mark.parametrize("layout", ["pipe", "markdown", "html", "docx"])
def test_blank_cells_are_null_with_cell_blank(layout, tmp_path):
    paths = ["applications.granted.research", "review_litigation.review.pending"]
    expected = perturb.blank_cells(EXPECTED["006-huaian-2024"], paths)
    doc = _render(layout, expected, tmp_path)
    _assert_exact(doc, expected)
    blank = {c for f in doc["findings"] if f["rule"] == "cell.blank" for c in f["cells"]}
    assert set(paths) <= blank


@pytest.mark.parametrize("layout", ["pipe", "markdown", "html", "docx", "layout"])
@pytest.mark.parametrize(
    ("part", "row"),
    [("applications", "denied_third_party"), ("proactive", "行政强制")],
)
def test_a_missing_row_is_null_and_reported(layout, part, row, tmp_path):
    original = EXPECTED["006-huaian-2024"]
    doc = _render(layout, perturb.drop_row(original, part, row), tmp_path)
    missing = {p for p in _cells(original) if p.startswith(f"{part}.{row}.")}
    layout_cells = {c for f in doc["findings"] if f["rule"] == "format.layout" for c in f["cells"]}
    assert missing <= layout_cells
    for path, value in _cells(doc).items():
        if path in missing:
            assert value is None
        else:
            assert value == _cells(original)[path], path


@pytest.mark.parametrize("layout", ["pipe", "markdown", "html", "layout"])
@pytest.mark.parametrize(
    "name", ["004-hongze-2023", "014-pingtan-hzs-2024", "015-pingtan-jjf-2024"]
)
def test_report_errors_keep_their_rule_ids_in_every_layout(name, layout, tmp_path):
    """The arithmetic errors a published report makes come out the same in every layout."""
    corpus = {raw.name.split(".")[0]: raw for raw, _ in corpus_files() if not is_extraction(raw)}
    original = parse_path(corpus[name])
    rendered = _render(layout, EXPECTED[name], tmp_path)

    def rules(doc):
        return sorted(
            (f["rule"], tuple(f["cells"])) for f in doc["findings"] if f["rule"] in ARITHMETIC_RULES
        )

    assert rules(rendered) == rules(original) != []


def test_column_sums_settle_a_glued_row_its_own_total_cannot(tmp_path):
    """006 as crawler text: 「110000011」 is 11,0,0,0,0,0,11 or 1,10,0,0,0,0,11 by its own
    total; only the first makes the 自然人 and 商业企业 columns add up."""
    expected = EXPECTED["006-huaian-2024"]
    doc = _render("crawler", expected, tmp_path)
    assert doc["applications"] == expected["applications"]
    by_columns = [
        f for f in doc["findings"] if f["rule"] == "cell.inferred" and "各列" in f["message"]
    ]
    assert [f["cells"][0] for f in by_columns] == ["applications.unable_need_create.natural_person"]


def test_the_wrong_format_for_the_year_is_read_and_flagged(tmp_path):
    """A 2021 report printed in the 2019 format: read as 2019 (its own labels), ``format.year``."""
    doc = dict(EXPECTED["000-chengkou-2020"], year=2021)
    read = _render("html", doc, tmp_path)
    assert read["format"] == "2019"
    assert read["applications"] == doc["applications"]
    assert [f["rule"] for f in read["findings"]] == ["format.year"]


def test_blank_columns_in_column_aligned_text_are_placed_under_the_header(tmp_path):
    """010's five 法人 columns are blank: PDF text prints only 自然人 and 总计 of each row."""
    expected = EXPECTED["010-shuyang-fgj-2023"]
    doc = _render("layout", expected, tmp_path)
    _assert_honest(doc, expected)
    rows = [
        key for key, cols in expected["applications"].items() if doc["applications"][key] == cols
    ]
    assert "new_received" in rows and "total_processed" in rows
    assert len(rows) >= len(expected["applications"]) - 2


@pytest.mark.parametrize(
    "name", ["010-shuyang-fgj-2023", "006-huaian-2024", "011-pingtan-gaj-2019"]
)
def test_tables_copied_as_tab_separated_text(name):
    """A Word or web table copied as text: a row per line, cells between tabs (blank = empty)."""
    lines = []
    for line in to_markdown(EXPECTED[name]).splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            lines.append("\t".join(cell.strip() for cell in line.strip()[1:-1].split("|")))
        elif not line.startswith("|"):
            lines.append(line.lstrip("# "))
    _assert_exact(parse_text("\n".join(lines)), EXPECTED[name])


@pytest.mark.parametrize("borders", [True, False])
@pytest.mark.parametrize(
    "name", ["006-huaian-2024", "010-shuyang-fgj-2023", "014-pingtan-hzs-2024"]
)
def test_pdf_printed_from_html_reads_back_exactly(name, borders, tmp_path):
    """A report printed to PDF (WeasyPrint), tables ruled or not: 010's blank columns stay
    blank, 014's title wraps over two lines, 006's numbers are large."""
    weasyprint = pytest.importorskip("weasyprint")
    expected = EXPECTED[name]
    html = to_html(expected)
    if not borders:
        html = html.replace("<head>", "<head><style>table,td,th{border:none!important}</style>")
    path = tmp_path / "report.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    _assert_exact(parse_path(path), expected)
