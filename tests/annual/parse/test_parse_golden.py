"""Golden tests: every published report in the corpus reads back to its expected document.

Expected documents were made by hand and cross-checked (../shared/corpus/README.md). Cells the
text leaves ambiguous are ``null`` there, and must be ``null`` here with a finding.
"""

from __future__ import annotations

import functools
import json

import pytest

from gongkai.annual.checks import ARITHMETIC_RULES
from gongkai.annual.parse import parse_path as _parse_path
from tests.annual.parse.parse_corpus import corpus_files, is_extraction, load

CASES = corpus_files()
REPORTS = [case for case in CASES if not is_extraction(case[0])]
EXTRACTIONS = [case for case in CASES if is_extraction(case[0])]
PARTS = ("proactive", "applications", "review_litigation")


@functools.cache
def _parsed(path) -> str:
    return json.dumps(_parse_path(path), ensure_ascii=False)


def parse_path(path) -> dict:
    """Each report is read once per test session (PDFs take 0.4 s); every test gets a copy."""
    return json.loads(_parsed(path))


def _ids(cases):
    return [raw.name for raw, _ in cases]


def _diff(doc: dict, expected: dict) -> list[tuple]:
    """Every cell (and identity field) where ``doc`` differs from ``expected``, value and type."""
    out: list[tuple] = []
    for key in ("agency", "year", "format"):
        if doc.get(key) != expected.get(key):
            out.append((key, doc.get(key), expected.get(key)))
    for part in PARTS:
        got = doc.get(part) or {}
        for row, cols in expected[part].items():
            for col, want in cols.items():
                have = (got.get(row) or {}).get(col, "<missing>")
                if have != want or type(have) is not type(want):
                    out.append((f"{part}.{row}.{col}", have, want))
    if (doc.get("units") or {}) != (expected.get("units") or {}):
        out.append(("units", doc.get("units"), expected.get("units")))
    return out


def test_the_corpus_is_found():
    names = {raw.name for raw, _ in CASES}
    assert "000-chengkou-2020.txt" in names  # the seed
    assert {"010-shuyang-fgj-2023.html", "004-hongze-2023.pdf"} <= names
    assert len(REPORTS) >= 14


@pytest.mark.parametrize(("raw", "expected_path"), REPORTS, ids=_ids(REPORTS))
def test_report_reads_exactly_as_expected(raw, expected_path):
    doc = parse_path(raw)
    assert _diff(doc, load(expected_path)) == []
    assert doc["schema"] == "gongkai.annual-report/1"
    assert isinstance(doc["findings"], list)


@pytest.mark.parametrize(("raw", "expected_path"), REPORTS, ids=_ids(REPORTS))
def test_report_errors_come_out_with_their_rule_ids(raw, expected_path):
    """The report's own arithmetic errors (``consistency_errors``) and nothing else."""
    expected = load(expected_path)["about_this_file"]["consistency_errors"]
    wanted = sorted(_rule_of(text) for text in expected)
    doc = parse_path(raw)
    got = sorted(f["rule"] for f in doc["findings"] if f["rule"] in ARITHMETIC_RULES)
    assert got == wanted
    for finding in doc["findings"]:
        if finding["rule"] in ARITHMETIC_RULES:
            assert finding["severity"] == "error"


def _rule_of(text: str) -> str:
    head = text.split(":", 1)[0].strip()
    if head in ARITHMETIC_RULES:
        return head
    return "t4.total" if "维持" in text else "t3.balance"  # 004 states them without the id


@pytest.mark.parametrize(("raw", "expected_path"), REPORTS, ids=_ids(REPORTS))
def test_null_cells_are_explained(raw, expected_path):
    """Every null cell has a finding naming it: blank, unreadable or a layout departure."""
    doc = parse_path(raw)
    named = {cell for f in doc["findings"] for cell in f["cells"]}
    for part in PARTS:
        for row, cols in doc[part].items():
            for col, value in cols.items():
                if value is None:
                    assert f"{part}.{row}.{col}" in named


@pytest.mark.parametrize(("raw", "expected_path"), EXTRACTIONS, ids=_ids(EXTRACTIONS))
def test_pdf_text_extractions_never_give_a_wrong_number(raw, expected_path):
    """pdftotext/pdfplumber text: every cell read is right; every cell not read is reported."""
    doc = parse_path(raw)
    expected = load(expected_path)
    flagged = {
        cell
        for f in doc["findings"]
        if f["rule"] in ("cell.unreadable", "format.layout")
        for cell in f["cells"]
    }
    for path, have, want in _diff(doc, expected):
        if path in ("agency", "year", "format", "units"):
            pytest.fail(f"{path}: {have!r} != {want!r}")
        assert have is None, f"{path}: read {have!r}, the report prints {want!r}"
        assert path in flagged, f"{path} is null without a finding"


@pytest.mark.parametrize("name", ["004-hongze-2023.extracted.txt", "006-huaian-2024.extracted.txt"])
def test_column_aligned_and_pdfplumber_text_read_exactly(name):
    raw, expected_path = next(case for case in EXTRACTIONS if case[0].name == name)
    assert _diff(parse_path(raw), load(expected_path)) == []


def test_seed_has_no_findings():
    raw, _ = next(case for case in REPORTS if case[0].name.startswith("000-"))
    assert parse_path(raw)["findings"] == []


def test_011_blank_cell_among_glued_digits():
    """Row 一 prints six digits for seven cells; the gap marks the blank 商业企业 cell."""
    raw, _ = next(case for case in REPORTS if case[0].name.startswith("011-"))
    doc = parse_path(raw)
    assert list(doc["applications"]["new_received"].values()) == [0, None, 0, 0, 0, 0, 0]
    blank = [f for f in doc["findings"] if f["rule"] == "cell.blank"]
    assert any("applications.new_received.commercial" in f["cells"] for f in blank)
    unreadable = {c for f in doc["findings"] if f["rule"] == "cell.unreadable" for c in f["cells"]}
    assert "proactive.行政许可.上一年项目数量" in unreadable


def test_014_inferred_splits_are_said_and_the_report_error_kept():
    raw, _ = next(case for case in REPORTS if case[0].name.startswith("014-"))
    doc = parse_path(raw)
    inferred = [f for f in doc["findings"] if f["rule"] == "cell.inferred"]
    assert {f["cells"][0] for f in inferred} >= {
        "applications.new_received.natural_person",
        "applications.granted.natural_person",
    }
    assert all(f["severity"] == "warning" for f in inferred)
    assert doc["review_litigation"]["review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 0,
    }


def test_2021_report_printing_six_as_one_row_is_flagged():
    raw, _ = next(case for case in REPORTS if case[0].name == "004-hongze-2023.pdf")
    doc = parse_path(raw)
    layout = [f for f in doc["findings"] if f["rule"] == "format.layout"]
    assert any("applications.other_overdue_fee.total" in f["cells"] for f in layout)
    blanks = {c for f in doc["findings"] if f["rule"] == "cell.blank" for c in f["cells"]}
    assert "applications.other_overdue_fee.total" not in blanks


def test_sections_are_kept():
    raw, _ = next(case for case in REPORTS if case[0].name.startswith("000-"))
    sections = parse_path(raw)["sections"]
    assert sections["overview"].startswith("(一)依法落实主动公开")
    assert "针对工作人员业务不熟悉" in sections["problems"]
    assert sections["other"] == "无。"


AMBIGUOUS = [
    (raw, expected_path)
    for raw, expected_path in REPORTS
    if load(expected_path)["about_this_file"].get("ambiguous_fields")
]


@pytest.mark.parametrize(("raw", "expected_path"), AMBIGUOUS, ids=_ids(AMBIGUOUS))
def test_ambiguous_cells_are_null_and_said_to_be_unreadable(raw, expected_path):
    """``about_this_file.ambiguous_fields``: glued proactive rows with several readings."""
    doc = parse_path(raw)
    unreadable = {c for f in doc["findings"] if f["rule"] == "cell.unreadable" for c in f["cells"]}
    for row, about in load(expected_path)["about_this_file"]["ambiguous_fields"].items():
        certain = about.get("certain", {})
        for col, value in doc["proactive"][row].items():
            if col in certain:
                assert value == certain[col]
            else:
                assert value is None
                assert f"proactive.{row}.{col}" in unreadable
