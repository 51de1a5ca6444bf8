"""Repeat applications are flagged for the clerk (条例第三十六条第（六）项), never rejected."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.repeats import (
    DEFAULT_THRESHOLD,
    RepeatMatch,
    likely_repeats,
    normalise,
    similarity,
)

# Pairs a clerk would call the same request (reworded, re-punctuated, full-width digits).
SAME = [
    ("请公开城口县2020年财政预算报告", "申请公开2020年城口县财政预算报告"),
    ("请提供某某村2019年土地征收补偿安置方案", "申请公开某某村2019年度土地征收补偿安置方案及批复"),
    ("申请公开城口县人民政府２０２１年第３号文件。", "申请公开城口县人民政府2021年第3号文件"),
    ("申请公开某路拓宽工程的立项批复", "请提供某路拓宽工程立项批复文件"),
    ("申请公开本县2022年度城乡低保资金发放情况", "申请公开本县2022年度城市低保资金发放明细"),
]
# Different requests to the same office, alike in their wording.
DIFFERENT = [
    ("申请公开2020年财政预算", "申请公开2020年征地补偿方案"),
    ("申请公开城口县人民政府2021年第3号文件", "申请公开城口县人民政府2021年第5号文件"),
    ("申请公开2019年财政预算报告", "申请公开2020年财政预算报告"),
    ("申请公开某镇2023年房屋征收补偿标准", "申请公开某镇2023年政府采购项目目录"),
    ("申请公开政府信息", "申请公开有关信息"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_rewordings_of_one_request_are_flagged(a: str, b: str) -> None:
    assert similarity(a, b) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_requests_are_not_flagged(a: str, b: str) -> None:
    assert similarity(a, b) < DEFAULT_THRESHOLD


def test_normalise_drops_punctuation_width_and_boilerplate() -> None:
    assert normalise("申请公开：城口县２０２１年《预算》。") == "城口县2021年预算"
    assert normalise("ABC 公开") == "abc"


def test_empty_descriptions_are_never_alike() -> None:
    assert similarity("", "") == 0.0
    assert similarity("申请公开", "申请公开") == 0.0  # nothing left but boilerplate


def test_likely_repeats_best_first_and_above_threshold() -> None:
    earlier = [
        ("A-1", "申请公开2020年城口县财政预算报告"),
        ("A-2", "申请公开某镇2023年政府采购项目目录"),
        ("A-3", "请公开城口县2020年财政预算报告。"),
    ]
    matches = likely_repeats("请公开城口县2020年财政预算报告", earlier)
    assert [m.ref for m in matches] == ["A-3", "A-1"]
    assert matches[0].score == 1.0
    assert all(isinstance(m, RepeatMatch) and m.score >= DEFAULT_THRESHOLD for m in matches)
    assert likely_repeats("请公开城口县2020年财政预算报告", []) == []


@pytest.mark.parametrize("bad", [0, -0.1, 1.5])
def test_threshold_must_be_a_fraction(bad: float) -> None:
    with pytest.raises(ValueError, match="相似度阈值"):
        likely_repeats("x", [], bad)


text = st.text(alphabet="城口县财政预算报告征地补偿方案2019年第号，。 的申请公开", max_size=30)


@given(text, text)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    s = similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == similarity(b, a)


@given(text)
def test_a_text_is_identical_to_itself(a: str) -> None:
    assert similarity(a, a) == (1.0 if normalise(a) else 0.0)
