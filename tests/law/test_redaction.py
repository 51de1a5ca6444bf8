"""Personal data out of a text before it is published (gongkai.law.redaction)."""

import pytest

from gongkai.law.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证500229198503151234号", "身份证5002**********1234号"),
        ("电话13812345678，或 138-1234-5678", "电话138****5678，或 138-****-5678"),
        ("座机023-59221234", "座机023-****1234"),
        ("没有个人信息的来信", "没有个人信息的来信"),
        ("", ""),
    ],
)
def test_numbers_are_found_by_their_shape(text, expected):
    assert redact(text) == expected


def test_the_writers_own_name_and_address_are_masked_wherever_they_stand():
    text = "我叫王小明，住重庆市城口县葛城街道北大街12号。王小明的邻居也住北大街12号。"
    out = redact(text, names=["王小明"], addresses=["重庆市城口县葛城街道北大街12号"])
    assert "王小明" not in out and "北大街12号" not in out
    assert out == "我叫王**，住重庆市城口县葛城街道****。王**的邻居也住****。"


def test_odd_input_never_raises():
    assert redact(None, names=[None, ""], phones=[""], addresses=[None]) == ""  # type: ignore[list-item]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet="的是在路灯坏了请尽快修复，。北大街小区", max_size=30)


@given(
    before=_TEXT,
    after=_TEXT,
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    id_body=st.from_regex(r"[1-6][0-9]{16}", fullmatch=True),
    check=st.sampled_from("0123456789X"),
)
def test_no_phone_or_id_number_survives(before, after, mobile, id_body, check):
    text = f"{before}{mobile}{after}身份证{id_body}{check}{before}"
    out = redact(text)
    assert mobile not in out
    assert id_body + check not in out
    assert mobile[-4:] in out  # masked, not deleted: the reader sees a number was there


@given(name=st.text(alphabet="王李张刘陈杨黄赵吴周三丰小明华", min_size=2, max_size=4), text=_TEXT)
def test_the_writers_name_never_survives(name, text):
    out = redact(f"{text}{name}{text}{name}", names=[name])
    assert name not in out
