"""The report checks against real published reports (tests/corpus) and hand-made mutations."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual.checks import (
    ARITHMETIC_RULES,
    CELL_BLANK,
    CROSS_YEAR_CARRY,
    FORMAT_YEAR,
    SECTION_MISSING,
    SEVERITY,
    T3_BALANCE,
    T3_OUTCOME_SUM,
    T3_ROW_TOTAL,
    T4_TOTAL,
    check_document,
    check_report,
    has_errors,
)
from gongkai.annual.document import empty_document, get_cell, iter_cells, set_cell
from gongkai.annual.formats import (
    APPLICANT_COLUMN_KEYS,
    APPLICATION_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    get_format,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXPECTED = sorted(CORPUS.glob("*.expected.json"))

# How the corpus notes name table 四's groups (longest first: 「复议后起诉」 has no 「行政复议」).
_GROUP_WORDS = (
    ("litigation_after_review", ("litigation_after_review", "复议后起诉")),
    ("litigation_direct", ("litigation_direct", "直接起诉")),
    ("review", ("review", "行政复议")),
)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _expected_error(text: str) -> tuple[str, str]:
    """Read one ``consistency_errors`` note into (rule, column/row/group it is about)."""
    head = text.split(":", 1)[0].strip()
    rule = head if head in ARITHMETIC_RULES else ""
    if not rule and "维持" in text:
        rule = T4_TOTAL
    assert rule, f"cannot tell the rule of corpus note {text!r}"
    if rule == T4_TOTAL:
        for group, words in _GROUP_WORDS:
            if any(word in text for word in words):
                return rule, group
    elif rule == T3_ROW_TOTAL:
        keys = get_format("2021").application_row_keys + get_format("2019").application_row_keys
        for key in sorted(set(keys), key=len, reverse=True):
            if re.search(rf"\b{key}\b", text):
                return rule, key
    else:
        for key in APPLICATION_COLUMN_KEYS:
            if re.search(rf"\b{key}\b", text):
                return rule, key
    raise AssertionError(f"cannot tell what corpus note {text!r} is about")


def _subject(finding) -> str:
    """The column (t3.balance/outcome_sum), row (t3.row_total) or group (t4.total) of a finding."""
    _, row, col = finding.cells[0].split(".", 2)
    return row if finding.rule in (T3_ROW_TOTAL, T4_TOTAL) else col


def test_corpus_is_present() -> None:
    assert len(EXPECTED) >= 10


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_corpus_report_errors_are_found_exactly(path: Path) -> None:
    doc = _load(path)
    notes = doc["about_this_file"]["consistency_errors"]
    expected = Counter(_expected_error(note) for note in notes)
    found = [f for f in check_document(doc) if f.rule in ARITHMETIC_RULES]
    assert Counter((f.rule, _subject(f)) for f in found) == expected
    assert all(f.severity == "error" for f in found)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_corpus_blank_findings_list_exactly_the_null_cells(path: Path) -> None:
    doc = _load(path)
    blanks = [f for f in check_document(doc) if f.rule == CELL_BLANK]
    listed = [cell for f in blanks for cell in f.cells]
    nulls = [p for p, v in iter_cells(doc) if v is None]
    assert sorted(listed) == sorted(nulls)
    assert len(listed) == len(set(listed))
    assert all(f.severity == "warning" for f in blanks)
    assert not [f for f in check_document(doc) if f.rule == FORMAT_YEAR]


def test_known_answer_hongze_2023_review_totals() -> None:
    doc = _load(CORPUS / "004-hongze-2023.expected.json")
    t4 = [f for f in check_document(doc) if f.rule == T4_TOTAL]
    assert [f.message for f in t4] == [
        "行政复议：维持(10)+纠正(1)+其他(0)+尚未审结(0) ≠ 总计(0)",
        "行政诉讼/复议后起诉：维持(5)+纠正(0)+其他(0)+尚未审结(0) ≠ 总计(0)",
    ]
    assert t4[0].cells == tuple(f"review_litigation.review.{c}" for c, _ in REVIEW_COLUMNS)


def test_merged_other_rows_passed_as_absent_are_not_blank() -> None:
    doc = _load(CORPUS / "005-hongze-2024.expected.json")
    absent = {
        f"applications.{row}.{col}"
        for row in ("other_overdue_correction", "other_overdue_fee")
        for col in APPLICATION_COLUMN_KEYS
    }
    assert [f.rule for f in check_document(doc)] == [CELL_BLANK, CELL_BLANK]
    assert check_document(doc, absent=absent) == []


def _seed() -> dict:
    return _load(CORPUS / "000-chengkou-2020.expected.json")


def test_seed_is_clean() -> None:
    assert check_document(_seed()) == []


def test_balance_message_matches_the_spec_example() -> None:
    doc = _seed()
    set_cell(doc, "applications.total_processed.natural_person", 1)
    set_cell(doc, "applications.granted.natural_person", 1)
    set_cell(doc, "applications.total_processed.total", 1)
    set_cell(doc, "applications.granted.total", 1)
    found = check_document(doc)
    assert [(f.rule, f.message) for f in found] == [
        (T3_BALANCE, "自然人列：本年新收(2)+上年结转(0) ≠ 总计(1)+结转下年度(0)"),
        (T3_BALANCE, "总计列：本年新收(2)+上年结转(0) ≠ 总计(1)+结转下年度(0)"),
    ]
    assert found[0].cells == (
        "applications.new_received.natural_person",
        "applications.carried_over.natural_person",
        "applications.total_processed.natural_person",
        "applications.carried_forward.natural_person",
    )


@pytest.mark.parametrize(
    ("path", "rules"),
    [
        # One cell changed: every rule that cell takes part in fires, naming that cell.
        ("applications.new_received.commercial", {T3_BALANCE, T3_ROW_TOTAL}),
        ("applications.carried_forward.total", {T3_BALANCE, T3_ROW_TOTAL}),
        ("applications.total_processed.research", {T3_BALANCE, T3_OUTCOME_SUM, T3_ROW_TOTAL}),
        ("applications.denied_query_matter.other_org", {T3_OUTCOME_SUM, T3_ROW_TOTAL}),
        ("applications.other.total", {T3_OUTCOME_SUM, T3_ROW_TOTAL}),
        ("review_litigation.litigation_direct.pending", {T4_TOTAL}),
        ("review_litigation.review.total", {T4_TOTAL}),
    ],
)
def test_mutation_fires_the_rules_of_that_cell(path: str, rules: set[str]) -> None:
    doc = _seed()
    set_cell(doc, path, get_cell(doc, path) + 3)
    found = check_document(doc)
    assert {f.rule for f in found} == rules
    assert all(path in f.cells for f in found)
    assert all(f.severity == SEVERITY[f.rule] == "error" for f in found)


def test_unreadable_cell_skips_its_rules_but_not_the_others() -> None:
    doc = _seed()
    set_cell(doc, "applications.granted.natural_person", None)
    set_cell(doc, "review_litigation.review.total", 4)
    found = check_document(doc, unreadable={"applications.granted.natural_person"})
    assert [f.rule for f in found] == [T4_TOTAL]


def test_blank_cells_count_as_zero_and_are_reported() -> None:
    doc = _seed()
    for col in APPLICANT_COLUMN_KEYS[1:]:
        for row in doc["applications"]:
            set_cell(doc, f"applications.{row}.{col}", None)
    set_cell(doc, "review_litigation.review.pending", None)
    found = check_document(doc)
    assert {f.rule for f in found} == {CELL_BLANK}
    assert len(found) == 5 + 1
    assert found[0].message == "表三「商业企业」列全部23个单元格为空"
    assert found[-1].message == "表四「行政复议」1个单元格为空：尚未审结"
    assert len(found[0].cells) == 23


def test_format_year_both_ways() -> None:
    late = empty_document("某县人民政府", 2022, "2019", fill=0)
    early = empty_document("某县人民政府", 2020, "2021", fill=0)
    assert [f.rule for f in check_document(late)] == [FORMAT_YEAR]
    assert [f.rule for f in check_document(early)] == [FORMAT_YEAR]
    assert "国办公开办函〔2021〕30号" in check_document(late)[0].message
    assert check_document(empty_document("某县人民政府", 2021, "2021", fill=0)) == []


@pytest.mark.parametrize("part", ["proactive", "applications", "review_litigation"])
def test_missing_table(part: str) -> None:
    doc = _seed()
    del doc[part]
    found = check_document(doc)
    assert [f.rule for f in found] == [SECTION_MISSING]
    assert found[0].severity == "error"


@pytest.mark.parametrize("bad", ["3", True, [1]])
def test_a_value_that_is_not_a_number_is_refused(bad) -> None:
    doc = _seed()
    set_cell(doc, "applications.granted.research", bad)
    with pytest.raises(ValueError, match="不是数字"):
        check_document(doc)


def test_row_total_of_the_outcome_total_row_names_it_seven_not_just_total() -> None:
    """「总计」 alone is also the column's name: the （七） row must say which 总计 it is."""
    doc = empty_document("某县人民政府", 2021, "2021", fill=0)
    set_cell(doc, "applications.total_processed.natural_person", 1)
    found = [f for f in check_document(doc) if f.rule == T3_ROW_TOTAL]
    assert [f.message for f in found] == [
        "「（七）总计」行：总计(0) ≠ 六类申请人之和(1+0+0+0+0+0=1)"
    ]


def test_cross_year_carry() -> None:
    before = empty_document("某县人民政府", 2021, "2021", fill=0)
    now = empty_document("某县人民政府", 2022, "2021", fill=0)
    assert check_document(now, previous=before) == []
    for path in (
        "applications.carried_forward.natural_person",
        "applications.carried_forward.total",
    ):
        set_cell(before, path, 2)
    found = check_document(now, previous=before)
    assert [(f.rule, f.severity) for f in found] == [(CROSS_YEAR_CARRY, "warning")] * 2
    assert found[0].cells == ("applications.carried_over.natural_person",)
    assert found[0].message == "自然人列：本年上年结转(0) ≠ 2021年度报告结转下年度(2)"
    with pytest.raises(ValueError, match="上一年度"):
        check_document(now, previous=now)


def test_cross_year_carry_skips_cells_last_years_report_could_not_be_read() -> None:
    """An unreadable 结转下年度 in last year's report says nothing about this year's 上年结转."""
    before = empty_document("某县人民政府", 2020, "2019", fill=0)
    now = empty_document("某县人民政府", 2021, "2021", fill=0)
    unread = ["applications.carried_forward.natural_person", "applications.carried_forward.total"]
    for path in unread:
        set_cell(before, path, None)
    before["findings"] = [
        {"rule": "cell.unreadable", "severity": "error", "message": "", "cells": unread}
    ]
    set_cell(now, "applications.carried_over.natural_person", 3)
    set_cell(now, "applications.carried_over.total", 3)
    set_cell(now, "applications.carried_over.commercial", 1)
    found = [f for f in check_document(now, previous=before) if f.rule == CROSS_YEAR_CARRY]
    # Only the readable 商业企业 column is compared (its row total makes t3 errors, not carry).
    assert [f.cells for f in found] == [("applications.carried_over.commercial",)]


def test_check_report_adds_the_narrative_check() -> None:
    doc = _seed()
    doc["sections"] = {"overview": "全年共收到政府信息公开申请5件。"}
    assert check_document(doc) == []
    assert [f.rule for f in check_report(doc)] == ["narrative.mismatch"]


# --- properties ------------------------------------------------------------------------------


@st.composite
def consistent_documents(draw: st.DrawFn) -> dict:
    """A document tallied from random per-applicant counts, as the report engine would."""
    year = draw(st.integers(2019, 2026))
    fmt = get_format("2019" if year <= 2020 else "2021")
    doc = empty_document("某县人民政府", year, fmt.code, fill=0)
    count = st.integers(0, 40)
    for col in APPLICANT_COLUMN_KEYS:
        outcomes = {row: draw(count) for row in fmt.outcome_row_keys}
        forward = draw(count)
        done = sum(outcomes.values())
        old = draw(st.integers(0, done + forward))
        values = {
            **outcomes,
            "total_processed": done,
            "carried_forward": forward,
            "carried_over": old,
            "new_received": done + forward - old,
        }
        for row, value in values.items():
            set_cell(doc, f"applications.{row}.{col}", value)
    for row in fmt.application_row_keys:
        total = sum(get_cell(doc, f"applications.{row}.{c}") for c in APPLICANT_COLUMN_KEYS)
        set_cell(doc, f"applications.{row}.total", total)
    for group, _ in REVIEW_GROUPS:
        parts = {col: draw(count) for col, _ in REVIEW_COLUMNS if col != "total"}
        doc["review_litigation"][group] = {**parts, "total": sum(parts.values())}
    return doc


@settings(max_examples=150, deadline=None)
@given(consistent_documents())
def test_consistent_documents_pass_every_rule(doc: dict) -> None:
    assert check_document(doc) == []


@settings(max_examples=200, deadline=None)
@given(consistent_documents(), st.data())
def test_any_single_changed_cell_is_caught(doc: dict, data: st.DataObject) -> None:
    paths = [p for p, _ in iter_cells(doc) if not p.startswith("proactive.")]
    path = data.draw(st.sampled_from(paths))
    delta = data.draw(st.integers(-50, 50).filter(bool))
    changed = copy.deepcopy(doc)
    set_cell(changed, path, get_cell(doc, path) + delta)
    found = check_document(changed)
    assert has_errors(found)
    assert all(path in f.cells for f in found)


def test_no_format_is_expected_of_a_report_before_2019():
    doc = empty_document("某局", 2018, "2021", fill=0)
    assert [f for f in check_document(doc) if f.rule == "format.year"] == []


def test_a_report_of_unknown_year_is_not_compared_with_last_year():
    doc = empty_document("某局", 2022, "2021", fill=0)
    doc["year"] = None
    previous = empty_document("某局", 2021, "2021", fill=0)
    assert [f for f in check_document(doc, previous=previous) if f.rule == "cross_year.carry"] == []
