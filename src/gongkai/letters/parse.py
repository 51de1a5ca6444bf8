"""Turn a rendered letter template (plain text) into a :class:`Letter`.

The conventions, so that a template stays readable plain text that an admin can edit:

- Paragraphs are separated by one or more blank lines; the lines of one paragraph are joined
  (Chinese needs no space between them).
- A line that starts with a directive in 【】 sets a part of the letter, wherever it appears:
  【标题】 title · 【主送】 recipient · 【依据】 one legal basis (repeat for several) ·
  【救济告知】 add the remedy notice (optional text: what is challenged, default 「本答复」) ·
  【附件】 one attachment (repeat) · 【抄送】 copy to.
- A last paragraph such as 「特此答复。」 is the closing: the remedy notice goes before it.
- Template comments ``{# … #}`` and tags on their own lines leave only blank lines behind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from gongkai.letters.model import Letter, LetterRenderError, remedy_notice

__all__ = ["DIRECTIVES", "parse_letter"]

DIRECTIVES = ("标题", "主送", "依据", "救济告知", "附件", "抄送")
_DIRECTIVE = re.compile(r"^【([^】]*)】(.*)$")
_BLANK = re.compile(r"\n[ \t\u3000]*\n")
_CLOSING = re.compile(r"^特此.{1,4}。$")
_DOUBLE_STOP = re.compile(r"[。；，]。")


def _tidy(paragraph: str) -> str:
    """Drop the doubled stop a variable ending in 。 leaves before the template's own 。."""
    return _DOUBLE_STOP.sub("。", paragraph)


def parse_letter(text: str, *, context: Mapping[str, Any], key: str = "") -> Letter:
    """Build the letter from the rendered template ``text`` and the letterhead facts in ``context``."""
    found: dict[str, list[str]] = {name: [] for name in DIRECTIVES}
    body_lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip(" \t\u3000")
        match = _DIRECTIVE.match(line)
        if match is None:
            body_lines.append(line)
            continue
        name, value = match.group(1).strip(), match.group(2).strip()
        if name not in found:
            raise LetterRenderError(
                f"模板 {key} 中有未知的标记【{name}】，可用：{'、'.join(DIRECTIVES)}"
                f" / unknown directive 【{name}】 in letter template {key!r}"
            )
        found[name].append(value)
        body_lines.append("")
    paragraphs = tuple(
        _tidy("".join(part.strip(" \t\u3000") for part in block.split("\n")))
        for block in _BLANK.split("\n".join(body_lines))
        if block.strip()
    )
    closing = ""
    if paragraphs and _CLOSING.match(paragraphs[-1]):
        paragraphs, closing = paragraphs[:-1], paragraphs[-1]
    for name in ("标题", "主送"):
        if not any(found[name]):
            raise LetterRenderError(
                f"模板 {key} 缺少【{name}】 / letter template {key!r} has no 【{name}】 line"
            )
    remedy = ""
    if found["救济告知"]:
        subject = found["救济告知"][0] or "本答复"
        remedy = remedy_notice(
            str(context.get("review_body") or ""), str(context.get("court") or ""), subject=subject
        )
    attachments = [a for a in found["附件"] if a]
    attachments += [str(a) for a in context.get("attachments") or () if str(a).strip()]
    cc = "、".join(c for c in found["抄送"] if c) or str(context.get("cc") or "")
    issued_on = context.get("issued_on")
    if not isinstance(issued_on, dt.date):
        raise LetterRenderError("缺少成文日期 issued_on / issued_on (a date) is required")
    seal = context.get("seal")
    return Letter(
        agency=str(context.get("agency_name") or ""),
        title=next(t for t in found["标题"] if t),
        recipient=next(r for r in found["主送"] if r),
        paragraphs=paragraphs,
        issued_on=issued_on,
        doc_number=str(context.get("doc_number") or ""),
        legal_basis=tuple(b for b in found["依据"] if b),
        remedy=remedy,
        closing=closing,
        attachments=tuple(attachments),
        signatory=str(context.get("signatory") or ""),
        seal="" if seal is None else str(seal),
        cc=cc,
        contact_person=str(context.get("contact_person") or ""),
        contact_phone=str(context.get("contact_phone") or ""),
        style=context.get("letter_style") or "letter",
        arabic_date=_arabic(context),
        key=key,
    )


def _arabic(context) -> bool:
    """成文日期 in Arabic numerals (GB/T 9704-2012 §7.3.5.1) unless the older Chinese-numeral
    style is asked for (``date_style="chinese"`` or ``arabic_date=False``)."""
    if context.get("date_style") == "chinese":
        return False
    value = context.get("arabic_date")
    return True if value is None else bool(value)
