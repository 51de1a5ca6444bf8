"""Layouts the corpus does not show, generated from documents of both formats (2019 and 2021):
converter/OCR Markdown, HTML inside a script literal, one cell per line, merged identical lines,
signed changes and units, headings worded otherwise, table 二 with fewer or year-named columns.

Each test reads a rendered report back and holds it to two things: no number read is wrong
(a finding excuses a null, never a wrong number; a layout only the arithmetic can read names
its cells ``cell.inferred``), and a read floor — the share of cells read right — so a reader
that gives up fails.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from gongkai.annual.document import iter_cells
from gongkai.annual.parse import parse_path, parse_text
from gongkai.annual.render import (
    perturb,
    to_crawler_text,
    to_layout_text,
    to_markdown,
    to_pipe_text,
)
from gongkai.annual.render import variants as v
from gongkai.annual.render.converter import TRAITS, to_converter_markdown
from tests.annual.parse.parse_corpus import corpus_files, is_extraction, load
from tests.annual.parse.test_parse_roundtrip import consistent_documents

EXPECTED = {}
for _raw, _path in corpus_files():
    if not is_extraction(_raw):
        _doc = load(_path)
        _doc.pop("about_this_file", None)
        EXPECTED[_path.name.split(".")[0]] = _doc
NAMES = sorted(EXPECTED)
#: One report of each format whose tables have large numbers and few blanks.
BOTH = ["016-pingtan-czj-2019", "006-huaian-2024"]
FORMAT_2019 = [name for name in NAMES if EXPECTED[name]["format"] == "2019"]


def _cells(doc: dict) -> dict:
    return dict(
        iter_cells(
            {p: doc.get(p) or {} for p in ("proactive", "applications", "review_litigation")}
        )
    )


def assert_read(expected: dict, doc: dict, floor: float, inferred_ok: bool = False) -> float:
    """No wrong number, every null explained, at least ``floor`` of the cells read right."""
    assert (doc["agency"], doc["year"], doc["format"]) == (
        expected["agency"],
        expected["year"],
        expected["format"],
    )
    said = {c for f in doc["findings"] for c in f["cells"]}
    inferred = {c for f in doc["findings"] if f["rule"] == "cell.inferred" for c in f["cells"]}
    got, want = _cells(doc), _cells(expected)
    for path, value in want.items():
        have = got.get(path)
        if have is None:
            assert value is None or path in said, f"{path}: null without a finding"
        elif not (inferred_ok and path in inferred):
            assert have == value, f"{path}: read {have!r}, the document has {value!r}"
    right = sum(1 for path, value in want.items() if got.get(path) == value)
    assert right >= floor * len(want), f"read floor: {right} of {len(want)} cells right"
    return right / len(want)


# --- converter and OCR Markdown ---------------------------------------------------------------


@pytest.mark.parametrize("trait", sorted(TRAITS))
@pytest.mark.parametrize("name", BOTH)
def test_converter_markdown_one_trait_at_a_time(name, trait):
    expected = EXPECTED[name]
    floor = {"generic": 0.85, "truncated": 0.9}.get(trait, 1.0)
    assert_read(expected, parse_text(to_converter_markdown(expected, traits=[trait])), floor)


@pytest.mark.parametrize("name", NAMES)
def test_converter_markdown_with_every_trait(name):
    expected = EXPECTED[name]
    assert_read(expected, parse_text(to_converter_markdown(expected)), 0.75)


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_documents())
def test_converter_markdown_of_generated_reports(doc):
    assert_read(doc, parse_text(to_converter_markdown(doc)), 0.6)


# --- HTML in a script literal -----------------------------------------------------------------


def _read_html(text: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(text, encoding="utf-8")
        return parse_path(path)


@pytest.mark.parametrize("name", BOTH)
def test_html_in_a_script_literal(name):
    """Kilobytes of other script first; quotes, slashes and every Chinese character escaped;
    blanks as &nbsp;; the 总计 column left blank for the sub-rows."""
    expected = EXPECTED[name]
    sub_rows = [k for k in expected["applications"] if k.startswith(("denied_", "unable_"))]
    blank = perturb.blank_cells(expected, [f"applications.{k}.total" for k in sub_rows])
    page = v.to_script_html(blank)
    assert "\\u" in page and '\\"' in page and "<\\/td>" in page
    markup = re.sub(r"(?s)<script>.*?</script>", "", page)
    assert "<table" not in markup  # the page's own markup has no table
    doc = _read_html(page)
    assert_read(blank, doc, 1.0)
    blanks = {c for f in doc["findings"] if f["rule"] == "cell.blank" for c in f["cells"]}
    assert f"applications.{sub_rows[0]}.total" in blanks


# --- one cell per line, merged identical lines -------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"split_numbers": True, "split_labels": False, "crlf": False},
        {"split_numbers": False, "split_labels": True, "crlf": False},
        {"split_numbers": False, "split_labels": False, "crlf": True},
        {},
    ],
    ids=["split-numbers", "split-labels", "crlf", "all"],
)
@pytest.mark.parametrize("name", BOTH)
def test_one_cell_per_line(name, options):
    expected = EXPECTED[name]
    doc = parse_text(v.to_cell_lines(expected, **options))
    # A number broken over lines is joined only where the row's total leaves one way.
    assert_read(expected, doc, 0.9)


@pytest.mark.parametrize("name", NAMES)
def test_one_cell_per_line_in_every_corpus_report(name):
    assert_read(EXPECTED[name], parse_text(v.to_cell_lines(EXPECTED[name])), 0.7)


@pytest.mark.parametrize("name", NAMES)
def test_merged_identical_lines_are_read_only_where_the_sums_leave_one_reading(name):
    expected = EXPECTED[name]
    doc = parse_text(v.merge_identical_lines(to_pipe_text(expected)))
    assert_read(expected, doc, 0.65)
    inferred = [f for f in doc["findings"] if f["rule"] == "cell.inferred"]
    assert inferred and all("合并" in f["message"] for f in inferred)


# --- signed changes, units, headings, table 二's columns --------------------------------------


@pytest.mark.parametrize("render", ["pipe", "markdown", "crawler", "layout"])
@pytest.mark.parametrize("name", FORMAT_2019)
def test_signed_changes(name, render):
    """本年增/减 printed +3, －2, ＋３, 增加3, 减少2 (2019 format only)."""
    expected = v.signed_changes(EXPECTED[name])
    renderer = {
        "pipe": to_pipe_text,
        "markdown": to_markdown,
        "crawler": to_crawler_text,
        "layout": to_layout_text,
    }[render]
    text = renderer(expected, cell_text=v.signed_cell_text())
    assert "减少" in text or "增加" in text or "－" in text
    floor = 1.0 if render in ("pipe", "markdown") else 0.9
    assert_read(expected, parse_text(text), floor)


@pytest.mark.parametrize("render", ["markdown", "layout"])
@pytest.mark.parametrize("name", BOTH)
def test_units_decimals_thousands_and_fullwidth_digits(name, render):
    expected = EXPECTED[name]
    renderer = to_markdown if render == "markdown" else to_layout_text
    text = perturb.fullwidth_digits(renderer(expected, cell_text=v.unit_cell_text()))
    assert_read(expected, parse_text(text), 1.0)


@pytest.mark.parametrize(
    "change",
    [
        perturb.reword_headings,
        lambda text: perturb.renumber_headings(text, "paren"),
        lambda text: perturb.renumber_headings(text, "arabic"),
        lambda text: perturb.renumber_headings(text, "part"),
        perturb.repeat_headings,
        lambda text: perturb.repeat_headings(text, stray="（一）政府信息公开申请情况统计表"),
    ],
    ids=["reworded", "paren", "arabic", "part", "repeated", "stray"],
)
@pytest.mark.parametrize("render", ["markdown", "crawler"])
@pytest.mark.parametrize("name", BOTH)
def test_section_headings_worded_numbered_or_repeated_otherwise(name, render, change):
    expected = EXPECTED[name]
    text = change((to_markdown if render == "markdown" else to_crawler_text)(expected))
    doc = parse_text(text)
    assert_read(expected, doc, 1.0 if render == "markdown" else 0.85)
    assert not [f for f in doc["findings"] if f["rule"] == "section.missing"]


@pytest.mark.parametrize("name", BOTH)
def test_table_two_with_fewer_columns(name):
    expected = EXPECTED[name]
    dropped = ("本年增/减", "本年新公开数量", "本年废止件数")
    doc = parse_text(v.to_proactive_variant(expected, drop=dropped))
    absent = [
        f"proactive.{row}.{col}"
        for row, cols in expected["proactive"].items()
        for col in cols
        if col in dropped
    ]
    assert absent
    shown = perturb.blank_cells(expected, absent)
    assert_read(shown, doc, 1.0)
    layout = {c for f in doc["findings"] if f["rule"] == "format.layout" for c in f["cells"]}
    assert set(absent) <= layout


@pytest.mark.parametrize("name", NAMES)
def test_table_two_with_columns_named_by_year(name):
    expected = EXPECTED[name]
    text = v.to_proactive_variant(expected, by_year=True)
    assert f"{expected['year'] - 1}年" in text or expected["format"] == "2021"
    assert_read(expected, parse_text(text), 1.0)
