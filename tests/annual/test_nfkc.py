"""The fast NFKC of Chinese report text is NFKC."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual.nfkc import nfkc

_REPORT_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # full-width forms
    st.characters(min_codepoint=0x3000, max_codepoint=0x303F),  # CJK punctuation
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
    st.characters(min_codepoint=0x2460, max_codepoint=0x24FF),  # ① and friends
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),  # combining marks
    st.sampled_from("\u00a0\u2002\u200b\ufeff“”—、。"),
)


@settings(max_examples=500, deadline=None)
@given(st.text(_REPORT_CHARACTERS, max_size=60))
def test_the_same_as_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text())
def test_any_text(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_a_report_line():
    line = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）　１２３"
    assert nfkc(line) == "(二)部分公开(区分处理的,只计这一情形,不计其他情形) 123"
