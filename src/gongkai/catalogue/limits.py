"""Reading a 公开时限 cell for the compliance view (docs/law/ogi-spec.md §5). No Django here.

Catalogues write the time limit as text, typically 「信息形成（或者变更）之日起20个工作日内」
(the default of 《政府信息公开条例》第二十六条) or 「…作出决定之日起7个工作日内」. Only a limit
counted in days from when the information is formed can be checked by the machine; anything
else (「每年6月底前」, 「实时」) is left to a person, and the compliance view says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _sep, units = text.partition("十")
    if not _sep:
        return _DIGITS.get(text)
    value = (_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_DIGITS.get(units, 0) if units else 0)


_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_WORKING = re.compile(_NUM + r"\s*个?工作日")
_CALENDAR = re.compile(_NUM + r"\s*(?:个自然日|个日历日|日|天)(?:内|以内)")


@dataclass(frozen=True)
class Limit:
    """A time limit the machine can check: ``days`` working (or calendar) days."""

    days: int
    working: bool

    def __str__(self) -> str:
        return f"{self.days}个{'工作日' if self.working else '自然日'}"


def parse_limit(text: str) -> Limit | None:
    """Return the limit written in ``text``, or None when it is not a number of days."""
    for pattern, working in ((_WORKING, True), (_CALENDAR, False)):
        match = pattern.search(text)
        if match:
            days = _number(match.group(1))
            if days:
                return Limit(days, working)
    return None
