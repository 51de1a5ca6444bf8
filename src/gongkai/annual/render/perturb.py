"""Perturbations real published reports show, for the parser's layout tests.

Text perturbations take rendered text and return it changed; document perturbations return a
changed copy of a document to render (a blank cell, a row the report forgot). Each raises
``ValueError`` when it has nothing to change, so a test never silently checks an unchanged input.
"""

from __future__ import annotations

import copy
import re

from gongkai.annual.document import Document, Number, set_cell
from gongkai.annual.render.grid import ONE_ROW_OTHER, format_value

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_SUB_ROW_NUMBER = re.compile(r"(?<![\d.])([1-9])\.(?=[\u4e00-\u9fff])")


def _find(text: str, label: str) -> int:
    at = text.find(label)
    if at < 0:
        raise ValueError(f"文本中没有「{label}」 / label not in text: {label!r}")
    return at


def swap_chars(text: str, label: str, *, at: int = 1) -> str:
    """Swap characters ``at`` and ``at + 1`` of the first occurrence of ``label`` (a typo)."""
    if not 0 <= at < len(label) - 1:
        raise ValueError(f"位置超出标签长度 / position {at} outside {label!r}")
    start = _find(text, label)
    typo = label[:at] + label[at + 1] + label[at] + label[at + 2 :]
    return text[:start] + typo + text[start + len(label) :]


def drop_char(text: str, label: str, *, at: int = 1) -> str:
    """Drop character ``at`` of the first occurrence of ``label`` (「其他法律行政止公开」)."""
    if not 0 <= at < len(label):
        raise ValueError(f"位置超出标签长度 / position {at} outside {label!r}")
    start = _find(text, label)
    return text[: start + at] + text[start + at + 1 :]


def fullwidth_digits(text: str) -> str:
    """Print every digit full-width (「２０２３」)."""
    if not re.search(r"\d", text):
        raise ValueError("文本中没有数字 / no digits to change")
    return text.translate(_FULLWIDTH_DIGITS)


def ideographic_numbering(text: str) -> str:
    """Number sub-rows 「1、」 instead of 「1.」, as many reports do."""
    changed = _SUB_ROW_NUMBER.sub(r"\1、", text)
    if changed == text:
        raise ValueError("没有「1.」式编号 / no 「1.」 numbering to change")
    return changed


def glue_digits(text: str) -> str:
    """Remove the spaces between numbers on a line (``21 0 0`` → ``2100``), as crawlers do."""
    changed = re.sub(r"(?<=\d)[ \t\u00a0\u3000]+(?=\d)", "", text)
    if changed == text:
        raise ValueError("没有可粘连的数字 / no spaced digits to glue")
    return changed


def with_thousands(value: Number) -> str:
    """Cell printer with thousands separators (``3,119``); pass as ``cell_text=`` to a renderer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return format_value(value)


def blank_cells(doc: Document, paths: list[str]) -> Document:
    """Return a copy of ``doc`` with the cells at ``paths`` left blank (``null``)."""
    if not paths:
        raise ValueError("没有指定单元格 / no cells given")
    changed = copy.deepcopy(doc)
    for path in paths:
        set_cell(changed, path, None)
    return changed


def drop_row(doc: Document, part: str, row: str) -> Document:
    """Return a copy of ``doc`` whose table lacks ``row``: renderers print the table without it."""
    if row not in (doc.get(part) or {}):
        raise ValueError(f"表中没有该行 / no row {part}.{row}")
    changed = copy.deepcopy(doc)
    del changed[part][row]
    return changed


def one_row_other(doc: Document) -> Document:
    """Return a copy of a 2021-format ``doc`` whose （六）其他处理 prints as one row, holding
    ``other_other`` (as the spec reads such reports), like 004/005 of the corpus."""
    if doc.get("format") != "2021":
        raise ValueError("只有 2021 格式有（六）的三个子项 / only the 2021 format splits （六）")
    changed = copy.deepcopy(doc)
    for row in ONE_ROW_OTHER:
        changed["applications"].pop(row, None)
    return changed


#: Section headings as some reports word them (the template's → another wording).
REWORDED_HEADINGS = {
    "二、主动公开政府信息情况": "二、政府信息主动公开情况",
    "三、收到和处理政府信息公开申请情况": "三、政府信息公开申请办理情况",
    "四、政府信息公开行政复议、行政诉讼情况": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
}
_SECTION_NUMERALS = "一二三四五六"


def reword_headings(text: str) -> str:
    """Word the headings of sections 二–四 otherwise than the template."""
    changed = text
    for old, new in REWORDED_HEADINGS.items():
        changed = changed.replace(old, new)
    if changed == text:
        raise ValueError("文本中没有模板的章节标题 / no template headings in the text")
    return changed


def renumber_headings(text: str, style: str = "paren") -> str:
    """Number the six section headings 「（二）」 (``paren``), 「2.」 (``arabic``) or
    「第二部分」 (``part``) instead of 「二、」."""
    changed = text
    for index, numeral in enumerate(_SECTION_NUMERALS):
        for heading in _section_headings():
            if not heading.startswith(numeral + "、"):
                continue
            body = heading[2:]
            new = {
                "paren": f"（{numeral}）{body}",
                "arabic": f"{index + 1}.{body}",
                "part": f"第{numeral}部分　{body}",
            }[style]
            changed = changed.replace(heading, new)
    if changed == text:
        raise ValueError("文本中没有模板的章节标题 / no template headings in the text")
    return changed


def repeat_headings(text: str, stray: str = "") -> str:
    """Print each heading of sections 二–四 twice (as a page header repeats it); with
    ``stray``, put that line between each heading and what follows it."""
    changed = text
    for heading in _section_headings()[1:4]:
        at = changed.find(heading)
        if at < 0:
            continue
        end = at + len(heading)
        extra = f"\n\n{stray}" if stray else f"\n\n{heading}"
        changed = changed[:end] + extra + changed[end:]
    if changed == text:
        raise ValueError("文本中没有模板的章节标题 / no template headings in the text")
    return changed


def _section_headings() -> tuple[str, ...]:
    from gongkai.annual.formats import SECTIONS_2019, SECTIONS_2021

    return tuple(dict.fromkeys((*SECTIONS_2019, *SECTIONS_2021)))
