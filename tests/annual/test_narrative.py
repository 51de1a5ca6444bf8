"""Figures in a report's text against its tables: real report texts, and the same texts altered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual.checks import NARRATIVE_MISMATCH
from gongkai.annual.narrative import check_narrative, find_figures

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _report(stem: str, text_name: str) -> tuple[dict, str]:
    doc = json.loads((CORPUS / f"{stem}.expected.json").read_text(encoding="utf-8"))
    text = (CORPUS / text_name).read_text(encoding="utf-8")
    return doc, text


def _with_sections(doc: dict, text: str) -> dict:
    """Put the report's free text in ``sections`` the way the parser does (一, 五, 六)."""
    one = text.index("一、总体情况")
    two = text.index("二、主动公开政府信息情况")
    five = re.search(r"五、[^\n]{0,6}存在的主要问题", text).start()
    six = text.index("六、其他需要报告的事项")
    return {
        **doc,
        "sections": {
            "overview": text[one + len("一、总体情况") : two],
            "problems": text[five:six],
            "other": text[six + len("六、其他需要报告的事项") :],
        },
    }


def _seed() -> tuple[dict, str]:
    return _report("000-chengkou-2020", "000-chengkou-2020.txt")


def _huaian() -> tuple[dict, str]:
    return _report("006-huaian-2024", "006-huaian-2024.extracted.txt")


def test_seed_text_agrees_with_its_tables() -> None:
    doc, text = _seed()
    doc = _with_sections(doc, text)
    keys = [(f.key, f.value) for f in find_figures(doc["sections"]["overview"])]
    assert keys == [("received", 2), ("review", 0), ("litigation", 0)]
    assert check_narrative(doc) == []


def test_huaian_text_agrees_with_its_tables() -> None:
    doc, text = _huaian()
    doc = _with_sections(doc, text)
    figures = {f.key: f.value for f in find_figures(doc["sections"]["overview"])}
    assert figures == {
        "received": 3119,
        "answered": 3050,
        "carried_over": 34,
        "carried_forward": 103,
        "review": 351,
        "review.upheld": 72,
        "review.corrected": 64,
        "review.other": 178,
        "review.pending": 37,
        "litigation": 46,
        "litigation.upheld": 25,
        "litigation.corrected": 5,
        "litigation.other": 9,
        "litigation.pending": 7,
    }
    assert check_narrative(doc) == []


@pytest.mark.parametrize(
    ("load", "old", "new", "cells"),
    [
        (_seed, "共收到政府信息公开申请2件", "共收到政府信息公开申请3件", ["new_received.total"]),
        (
            _seed,
            "没有因信息公开被提起行政复议和行政诉讼",
            "因信息公开被提起行政复议1件",
            ["review.total"],
        ),
        (_huaian, "申请 3119 件", "申请 3120 件", ["new_received.total"]),
        (_huaian, "答\n复 3050 件", "答\n复 3051 件", ["total_processed.total"]),
        (_huaian, "结转申请 34 件", "结转申请 35 件", ["carried_over.total"]),
        (_huaian, "另有 103 件", "另有 13 件", ["carried_forward.total"]),
        (_huaian, "行政复议 351\n件", "行政复议 350\n件", ["review.total"]),
        (_huaian, "结果维持 72 件", "结果维持 71 件", ["review.upheld"]),
        (
            _huaian,
            "行政诉讼 46 件",
            "行政诉讼 47 件",
            ["litigation_direct.total", "litigation_after_review.total"],
        ),
        (
            _huaian,
            "审结 7 件。",
            "审结 8 件。",
            ["litigation_direct.pending", "litigation_after_review.pending"],
        ),
    ],
)
def test_altered_text_is_caught(load, old: str, new: str, cells: list[str]) -> None:
    doc, text = load()
    assert old in text
    doc = _with_sections(doc, text.replace(old, new, 1))
    found = check_narrative(doc)
    assert [f.rule for f in found] == [NARRATIVE_MISMATCH]
    assert found[0].severity == "warning"
    assert [c.split(".", 1)[1] for c in found[0].cells] == cells
    assert found[0].message.startswith("正文「")


def test_altered_table_is_caught_against_unchanged_text() -> None:
    doc, text = _seed()
    doc = _with_sections(doc, text)
    doc["applications"]["new_received"]["total"] = 5
    found = check_narrative(doc)
    assert [f.message for f in found] == [
        "正文「收到政府信息公开申请2件」与表三本年新收总计(5)不符"
    ]


def test_received_may_include_last_years_carry_over() -> None:
    doc, _ = _seed()
    doc["applications"]["carried_over"]["total"] = 1
    doc["sections"] = {"overview": "全年共收到政府信息公开申请3件（含上年结转1件）。"}
    assert check_narrative(doc) == []


@pytest.mark.parametrize(
    ("sentence", "keys"),
    [
        ("全年受理群众来信255件，实现网上答复办结率100%。", []),  # letters, not applications
        ("网上服务平台共受理公安业务6945件。", []),
        ("全市共受理行政复议申请50件。", []),  # all reviews, not only about 信息公开
        ("市政府作为被申请人的行政复议案件120件。", []),
        ("今年我局未收到依申请公开行政复议、行政诉讼。", ["review", "litigation"]),
        ("答复率100%，收到申请后5个工作日内答复。", []),
        ("收到申请1.5万余件。", []),
        # a change on last year, not a count
        ("全年收到政府信息公开申请数量同比减少3件。", []),
        ("共收到政府信息公开申请较上年增加5件。", []),
    ],
)
def test_ambiguous_sentences_are_not_read(sentence: str, keys: list[str]) -> None:
    assert [f.key for f in find_figures(sentence)] == keys


def test_unreadable_table_cells_are_not_compared() -> None:
    doc, text = _seed()
    doc = _with_sections(doc, text)
    doc["applications"]["new_received"]["total"] = None
    assert check_narrative(doc) == []


def test_full_width_digits_and_thousands_separators() -> None:
    doc, _ = _huaian()
    doc["sections"] = {"overview": "全市共受理政府信息公开申请３,１１９件，答复3,050件。"}
    assert check_narrative(doc) == []
    doc["sections"] = {"overview": "全市共受理政府信息公开申请３,１１8件。"}
    assert len(check_narrative(doc)) == 1


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        # Sentences from tests/corpus reports, with what they state.
        ("2023年度我局共收到依申请信息公开26件。", [("received", 26)]),
        (
            "2022年，我局收到政府信息公开申请1件，已按照相关法规，逐级审查办理，作出答复；"
            "结转上年度政府信息公开申请1件，因申请人无正当理由逾期不补正。",
            [("received", 1), ("carried_over", 1)],
        ),
        ("收到申请公开政府信息的要求1件，完成答复。", [("received", 1)]),
        ("2019年，未收到公民提出的公开政府信息申请。", [("received", 0)]),
        ("2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件。", [("received", 2)]),
        ("因依申请公开引发行政复议1起，结果为维持我局作出的答复书。", [("review", 1)]),
        ("2024年，没有政府信息公开行政复议及行政诉讼情况。", [("review", 0), ("litigation", 0)]),
    ],
)
def test_known_sentences(sentence: str, figures: list[tuple[str, int]]) -> None:
    assert [(f.key, f.value) for f in find_figures(sentence)] == figures


def test_real_report_errors_are_found() -> None:
    """014 says 行政复议1起 where its table 四 prints 总计 0; 005's text counts 17 applications
    (the district office's own) where table 三 counts 95 (the whole district)."""
    doc, text = _report("014-pingtan-hzs-2024", "014-pingtan-hzs-2024.txt")
    found = check_narrative({**doc, "sections": {"overview": text.split("二、主动公开")[0]}})
    assert [(f.cells, f.message) for f in found] == [
        (("review_litigation.review.total",), "正文「行政复议1起」与表四行政复议总计(0)不符")
    ]
    doc, text = _report("005-hongze-2024", "005-hongze-2024.extracted.txt")
    found = check_narrative({**doc, "sections": {"overview": text.split("二、主动公开")[0]}})
    assert [f.cells for f in found] == [("applications.new_received.total",)]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("收到受理申请件条起没有未行政复议诉讼公开答复结转上下年度，。；0123456789 ")
        ),
        max_size=300,
    )
)
def test_any_text_is_read_without_crashing(text: str) -> None:
    doc, _ = _seed()
    doc["sections"] = {"overview": text}
    for finding in check_narrative(doc):
        assert finding.rule == NARRATIVE_MISMATCH and finding.cells
