"""统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999) validation, and masking."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.identifiers import (
    CREDIT_CODE_ALPHABET,
    InvalidIdentifier,
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    resident_id_check_char,
    validate_credit_code,
    validate_resident_id,
)

# Published codes: two 索引号 prefixes quoted in docs/law/ogi-spec.md §6.3 (S20c, S21),
# and the example code printed in many registration guides.
PUBLISHED_CREDIT_CODES = ["11370812004339255B", "113417020032563511", "91350100M000100Y43"]

# The examples printed in GB 11643-1999 itself.
PUBLISHED_RESIDENT_IDS = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_published_credit_codes_validate(code):
    assert validate_credit_code(code) == code
    assert is_valid_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("body", "check"),
    # Worked by hand: sum of value × 3^(i-1) mod 31, check = (31 − sum mod 31) mod 31.
    [("00000000000000000", "0"), ("10000000000000000", "Y"), ("01000000000000000", "W")],
)
def test_credit_check_char_known_answers(body, check):
    assert credit_code_check_char(body) == check


def test_credit_code_is_normalised():
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("", "为空"),
        ("91350100M000100Y4", "18位，实际为17位"),
        ("91350100M000100Y433", "实际为19位"),
        ("91350100M000100I43", "第16位“I”不是有效字符"),
        ("91350100M0001O0Y43", "第14位“O”不是有效字符"),
        ("9135010#M000100Y43", "第8位“#”"),
        ("913501A0M000100Y43", "第3至8位应为行政区划代码"),
        ("91350100M000100Y44", "统一社会信用代码有误"),
        ("11370812004339255A", "校验位错误"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code, says):
    with pytest.raises(InvalidIdentifier) as caught:
        validate_credit_code(code)
    assert says in str(caught.value)
    assert " / " in str(caught.value)  # Chinese, then English
    assert not is_valid_credit_code(code)


def test_credit_code_rejects_non_text():
    assert not is_valid_credit_code(None)
    assert not is_valid_credit_code(91350100)


@pytest.mark.parametrize("number", PUBLISHED_RESIDENT_IDS)
def test_published_resident_ids_validate(number):
    assert validate_resident_id(number) == number
    assert resident_id_check_char(number[:17]) == number[17]


def test_resident_id_lowercase_x_is_normalised():
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("", "为空"),
        ("110105491231002", "18位，实际为15位"),  # old 15-digit numbers are not accepted
        ("1101051949123100X2", "第17位应为数字"),
        ("11010519491231002Y", "应为数字或X"),
        ("99010519491231002X", "前两位“99”"),
        ("11010519490231002X", "“19490231”不是有效的出生日期"),
        ("110105184912310022", "不可能"),
        ("110105194912310021", "身份证号码有误"),
    ],
)
def test_bad_resident_ids_say_what_is_wrong(number, says):
    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(number)
    assert says in str(caught.value)
    assert not is_valid_resident_id(number)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (validate_credit_code, "91350100M000100Y44"),  # should end in 3
        (validate_credit_code, "11370812004339255A"),  # should end in B
        (validate_resident_id, "110105194912310021"),  # should end in X
    ],
)
def test_a_wrong_check_character_says_the_number_is_wrong_not_what_to_type(check, value):
    """Telling the applicant the "right" last character invites them to type it and send
    someone else's number when the typo was among the first seventeen."""
    with pytest.raises(InvalidIdentifier) as caught:
        check(value)
    message = str(caught.value)
    assert "有误" in message and "逐位核对" in message
    assert "应为" not in message and "should be" not in message
    assert not any(c.isdigit() for c in message)  # no position, no expected digit
    assert "“X”" not in message and "“B”" not in message and "“3”" not in message


def test_birth_after_the_given_day_is_rejected():
    body = "11010520300101001"
    number = body + resident_id_check_char(body)
    assert is_valid_resident_id(number)
    assert not is_valid_resident_id(number, on=dt.date(2026, 11, 27))


credit_bodies = st.builds(
    lambda head, region, tail: head + region + tail,
    st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
)


@given(credit_bodies)
def test_any_body_with_its_check_char_validates(body):
    assert validate_credit_code(
        body + credit_code_check_char(body)
    ) == body + credit_code_check_char(body)


@given(credit_bodies, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_character_change_fails_credit_code(body, position, replacement):
    code = body + credit_code_check_char(body)
    if code[position] == replacement:
        replacement = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_credit_code(changed)


resident_bodies = st.builds(
    lambda province, rest, birth, sequence: f"{province}{rest}{birth:%Y%m%d}{sequence}",
    st.sampled_from(["11", "23", "50", "65", "81"]),
    st.text("0123456789", min_size=4, max_size=4),
    st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)


@given(resident_bodies)
def test_any_resident_body_with_its_check_digit_validates(body):
    number = body + resident_id_check_char(body)
    assert validate_resident_id(number) == number


@given(resident_bodies, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_fails_resident_id(body, position, replacement):
    number = body + resident_id_check_char(body)
    if number[position] == replacement:
        replacement = "0123456789X"[("0123456789X".index(replacement) + 1) % 11]
    changed = number[:position] + replacement + number[position + 1 :]
    assert not is_valid_resident_id(changed)


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (mask_id_number, "11010519491231002X", "1101**********002X"),
        (mask_id_number, "", ""),
        # Shorter documents keep at most a quarter at each end, never 8 of 9 characters.
        (mask_id_number, "E12345678", "E1*****78"),  # 普通护照
        (mask_id_number, "C01234567", "C0*****67"),  # 往来港澳通行证
        (mask_id_number, "500229900101123", "500*********123"),  # 15-digit ID (pre-1999)
        (mask_id_number, "12345678", "*******8"),  # 台湾居民来往大陆通行证
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "023-59222222", "023-****2222"),
        (mask_phone, "(023)59222222", "(023)****2222"),
        (mask_phone, "+86 13812345678", "+86 138****5678"),
        (mask_phone, "12345", "***45"),
        (mask_address, "重庆市城口县葛城街道南大街12号3单元", "重庆市城口县葛城街道****"),
        (mask_address, "重庆市城口县", "重庆市城口县"),
        (mask_name, "张三", "张*"),
        (mask_name, "欧阳娜娜", "欧***"),
        (mask_name, "John Smith", "J*** S****"),
        (mask_name, "", ""),
    ],
)
def test_masking(function, value, masked):
    assert function(value) == masked
