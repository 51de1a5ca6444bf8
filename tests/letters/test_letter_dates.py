"""成文日期 in Chinese numerals (the date line of every letter) and the remedy notice wording."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.letters.model import (
    Letter,
    LetterRenderError,
    chinese_date,
    remedy_notice,
    signature_indents,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 1, 1), "二〇二〇年一月一日"),
        (dt.date(2026, 11, 27), "二〇二六年十一月二十七日"),
        (dt.date(2030, 10, 10), "二〇三〇年十月十日"),
        (dt.date(2019, 5, 15), "二〇一九年五月十五日"),  # 条例 (国务院令第711号) in force
        (dt.date(2021, 9, 26), "二〇二一年九月二十六日"),  # 国办公开办函〔2021〕30号
        (dt.date(2000, 12, 31), "二〇〇〇年十二月三十一日"),
        (dt.date(2026, 1, 20), "二〇二六年一月二十日"),
        (dt.date(2026, 2, 11), "二〇二六年二月十一日"),
        (dt.date(2026, 3, 30), "二〇二六年三月三十日"),
    ],
)
def test_chinese_date_known_answers(day: dt.date, expected: str) -> None:
    assert chinese_date(day) == expected


def test_chinese_date_uses_ling_not_zero() -> None:
    text = chinese_date(dt.date(2008, 8, 8))
    assert text == "二〇〇八年八月八日"
    assert "0" not in text and "零" not in text


def test_remedy_notice_names_the_configured_review_body_and_court() -> None:
    text = remedy_notice("城口县人民政府", "重庆市万州区人民法院")
    assert text == (
        "如对本答复不服，可以自收到本答复之日起60日内向城口县人民政府申请行政复议，"
        "或者在6个月内向重庆市万州区人民法院提起行政诉讼。"
    )


def test_remedy_notice_is_generic_when_the_agency_has_not_configured_them() -> None:
    text = remedy_notice()
    assert "60日内依法向有关行政机关申请行政复议" in text
    assert "6个月内依法向有管辖权的人民法院提起行政诉讼" in text


def test_letter_refuses_to_exist_without_a_title() -> None:
    with pytest.raises(LetterRenderError, match="标题"):
        Letter(
            agency="城口县人民政府办公室",
            title=" ",
            recipient="张三",
            paragraphs=("正文。",),
            issued_on=dt.date(2026, 11, 27),
        )


def test_letter_refuses_an_unknown_style() -> None:
    with pytest.raises(LetterRenderError, match="版式"):
        Letter(
            agency="城口县人民政府办公室",
            title="答复书",
            recipient="张三",
            paragraphs=(),
            issued_on=dt.date(2026, 11, 27),
            style="memo",
        )


_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _read_small(text: str) -> int:
    """Read 一 … 三十一 back (the inverse of the date writing, written independently)."""
    if "十" not in text:
        return _VALUE[text]
    tens, _, ones = text.partition("十")
    return (_VALUE[tens] if tens else 1) * 10 + (_VALUE[ones] if ones else 0)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_chinese_date_reads_back_to_the_same_day(day: dt.date) -> None:
    text = chinese_date(day)
    match = re.fullmatch(
        r"([〇一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日",
        text,
    )
    assert match, text
    year = int("".join(str(_VALUE[c]) for c in match.group(1)))
    assert dt.date(year, _read_small(match.group(2)), _read_small(match.group(3))) == day


@pytest.mark.parametrize(
    ("signature", "date", "expected"),
    [
        # (seal, signature, date): 10 characters centred over 12, the date 4 in from the right.
        ("城口县人民政府办公室", "二〇二六年十一月二十七日", (8.0, 5.0, 4.0)),
        # 2026年11月27日 is 4 full-width characters and 8 half-width digits: 7 wide.
        ("城口县人民政府办公室", "2026年11月27日", (5.5, 2.5, 4.0)),
        ("城口县政府", "二〇二六年十一月二十七日", (8.0, 7.5, 4.0)),
        # A signature longer than date + 2 characters: signature 2 in, the date centred under it.
        ("重庆市城口县人民政府办公室信息公开科", "二〇二六年十一月二十七日", (9.0, 2.0, 5.0)),
    ],
)
def test_signature_is_centred_over_the_date(signature, date, expected) -> None:
    assert signature_indents(signature, date, "（印章）") == expected
