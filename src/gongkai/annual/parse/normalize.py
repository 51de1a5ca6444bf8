"""Normalise the text of a published report before reading it.

Reports reach us through browsers, crawlers, Word and PDF converters; the same table comes out
with full-width digits, NBSP padding, 「1、」 for 「1.」, thousands separators, ``|`` debris and
page footers. Everything here is a pure function of text.
"""

from __future__ import annotations

import re
import unicodedata

#: Page footers PDF converters leave inside tables: 「- 3 -」「—3—」「第 3 页」「第3页 共9页」「3/9」.
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")


def fold(text: str) -> str:
    """Fold full-width digits, letters and punctuation to half-width (NFKC) and NBSP to space."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u00a0", " ").replace("\u3000", " ")


def is_footer(line: str) -> bool:
    """Return whether ``line`` is a page footer (page number) a PDF converter left in the text."""
    return bool(_FOOTER.match(line))


def clean_line(line: str) -> str:
    """Fold one line, drop thousands separators and collapse runs of spaces."""
    line = _THOUSANDS.sub("", fold(line))
    return _SPACES.sub(" ", line).strip()


def keep_columns(line: str) -> str:
    """Fold one line like :func:`clean_line` but keep its spacing (column-aligned PDF text).

    Thousands separators are dropped (a value moves by a character, well inside its column).
    """
    line = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "\x00", fold(line))
    line = _SPACES.sub(lambda m: " " * len(m.group()), line)
    return line.replace("\x00", "").rstrip()


def clean_text(text: str) -> list[str]:
    """Return the lines of ``text`` folded and cleaned, without page footers or Word comments."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return ["" if is_footer(line) else clean_line(line) for line in text.split("\n")]


def label_key(text: str) -> str:
    """Return ``text`` as compared with template labels: folded, no spaces or quotes, 「1、」→「1.」."""
    text = fold(text).translate(_QUOTES)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d)[、，,]", ".", text)
    return text
