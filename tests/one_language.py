"""The rule for "one language at a time", applied to a rendered page (tests of each app use it).

What a person sees or hears of a page: its text nodes outside ``<script>``, ``<style>`` and
``<template>``, plus the attributes that are shown or read out (``title``, ``aria-label``,
``placeholder``, ``alt``). Text inside an element whose ``lang`` differs from the page's
(the language switch: 「中文」 on an English page, 「English」 on a Chinese one) is the other
language on purpose and left out. Data stays as it was entered — names of agencies and people,
what an applicant typed, a report's own text — so a test removes the data it put in before
checking. Then:

- an English page (``<html lang="en">``) has no CJK character at all (ideographs, CJK and
  full-width punctuation) but for the auditor's marker 「！」 (a hint, beside ✕ and ≠: a sign,
  not a word);
- a Chinese page (``<html lang="zh-Hans">``) has no run of two or more Latin letters except
  the names of formats and units in :data:`ALLOWED_LATIN` (PDF, DOCX, MB, …), tracking
  codes (``K7QM-2X4P-9RTW``) and the platform's commands (``gongkai calendar import 2027
  FILE``), which are typed as they are in either language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
TRACKING_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
MARKER = "！"
COMMAND = re.compile(r"\bgongkai(?: [a-z][a-z-]*)+(?: \d+)?(?: [A-Z]+)?")
#: Latin words a Chinese page may show: file formats and extensions, units, programs, the
#: platform's name.
ALLOWED_LATIN = frozenset(
    {"PDF", "JPG", "PNG", "DOCX", "Word", "WPS", "Excel", "XLSX", "JSON", "MB", "KB", "EMS"}
    | {"html", "htm", "txt", "md", "docx", "Markdown", "http", "https"}
    | {"gongkai"}
)
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
_SKIPPED = {"script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden by this element)
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.page_lang = attributes.get("lang") or ""
            return
        lang = attributes.get("lang")
        hidden = tag in _SKIPPED or (lang is not None and lang != self.page_lang)
        if not hidden and not self._hidden():
            self.parts += [attributes[a] or "" for a in SHOWN_ATTRIBUTES if a in attributes]
        if tag not in _VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, str]:
    """Return the page's ``lang`` and what a person sees or hears of it (one line per part)."""
    parser = _Visible()
    parser.feed(html)
    return parser.page_lang, "\n".join(p for p in parser.parts if p.strip())


def foreign_words(html: str, data: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The words of the other language on the page (empty when it keeps to one language)."""
    lang, text = visible_text(html)
    for value in sorted((str(d) for d in data if d), key=len, reverse=True):
        text = text.replace(value, " ")
    if lang == "en":
        text = text.replace(MARKER, " ")
        return [line.strip() for line in text.splitlines() if CJK.search(line)]
    assert lang == "zh-Hans", f"unexpected <html lang={lang!r}>"
    text = COMMAND.sub(" ", TRACKING_CODE.sub(" ", text))
    return [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_LATIN]
