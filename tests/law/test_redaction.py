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
