"""One language at a time: a message written 「中文 / English」 shows only the reader's half.

Services write their messages Chinese first, then English, separated by `` / `` (so a log,
the API and the command line carry both). A page shows the half of the current language:
``{{ message|in_language }}``.
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language

register = template.Library()

_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
SEPARATOR = " / "


def pick(text: str, language: str | None) -> str:
    """The half of ``text`` in ``language`` (``en`` or Chinese); the whole when not bilingual.

    A text is bilingual when its first half has Chinese and its last half has none.
    """
    start = 0
    while (at := text.find(SEPARATOR, start)) >= 0:
        chinese, english = text[:at], text[at + len(SEPARATOR) :]
        if _CJK.search(chinese) and not _CJK.search(english):
            return english if (language or "").startswith("en") else chinese
        start = at + 1
    return text


@register.filter
def in_language(value) -> str:
    """``{{ message|in_language }}``: the current language's half of a bilingual message."""
    return pick(str(value), get_language())
