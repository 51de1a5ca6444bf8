"""Normalise the text of a published report before reading it.

Reports reach us through browsers, crawlers, Word and PDF converters; the same table comes out
with full-width digits, NBSP padding, 「1、」 for 「1.」, thousands separators, ``|`` debris and
page footers. Everything here is a pure function of text.
"""

from __future__ import annotations

import functools
import re

from gongkai.annual.nfkc import nfkc

#: Page footers PDF converters leave inside tables: 「- 3 -」「—3—」「第 3 页」「第3页 共9页」「3/9」.
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


#: Label keys drop quotes and invisible spaces (whitespace goes by ``str.split``).
_KEY_DROP = re.compile("[“”\"'‘’「」『』\u200b\ufeff]")
#: Spaces that are not a plain space, in a line whose columns are kept.
_ODD_SPACE = re.compile("[\t\u200b\ufeff\u00a0\u3000]")
_ENUM_COMMA = re.compile(r"(?<=\d)[、,]")
_SEPARATOR = "\x1e"


def fold(text: str) -> str:
    """Fold full-width digits, letters and punctuation to half-width (NFKC) and NBSP to space."""
    text = nfkc(text)
    return text.replace("\u00a0", " ").replace("\u3000", " ")


def fold_all(texts: list[str]) -> list[str]:
    """:func:`fold` every string of ``texts`` in one pass (one call into the C library), odd
    spaces (tabs, zero-width) turned into plain ones."""
    if not texts:
        return []
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a separator inside a text
        joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts)
    folded = _ODD_SPACE.sub(" ", fold(joined)).split(_SEPARATOR)
    if len(folded) != len(texts):  # NFKC never makes a separator, but be sure
        return [_ODD_SPACE.sub(" ", fold(text)) for text in texts]
    return folded


def clean_folded(line: str) -> str:
    """:func:`clean_line` of a line already folded by :func:`fold_all`."""
    if "," in line:
        line = _THOUSANDS.sub("", line)
    return " ".join(line.split())


def columns_folded(line: str) -> str:
    """:func:`keep_columns` of a line already folded by :func:`fold_all`."""
    if "," in line:
        line = _THOUSANDS.sub("", line)
    return line.rstrip()


def key_folded(text: str) -> str:
    """:func:`label_key` of a text already folded."""
    text = "".join(text.split())
    if not text.isascii() or '"' in text or "'" in text:
        text = _KEY_DROP.sub("", text)
    if "," in text or "、" in text:
        text = _ENUM_COMMA.sub(".", text)
    return text


def is_footer(line: str) -> bool:
    """Return whether ``line`` is a page footer (page number) a PDF converter left in the text."""
    return bool(_FOOTER.match(line))


def clean_line(line: str) -> str:
    """Fold one line, drop thousands separators and collapse runs of spaces."""
    return clean_folded(_ODD_SPACE.sub(" ", fold(line)))


def keep_columns(line: str) -> str:
    """Fold one line like :func:`clean_line` but keep its spacing (column-aligned PDF text).

    Thousands separators are dropped (a value moves by a character, well inside its column).
    """
    return columns_folded(_ODD_SPACE.sub(" ", fold(line)))


def clean_text(text: str) -> list[str]:
    """Return the lines of ``text`` folded and cleaned, without page footers or Word comments."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return ["" if is_footer(line) else clean_line(line) for line in text.split("\n")]


@functools.lru_cache(maxsize=512)
def label_key(text: str) -> str:
    """Return ``text`` as compared with template labels: folded, no spaces or quotes, 「1、」→「1.」."""
    return key_folded(fold(text))
