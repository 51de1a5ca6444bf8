"""Read the State Council's holiday notice as published, or the arrangement file format.

The notice 「国务院办公厅关于YYYY年部分节假日安排的通知」 lists one holiday per item::

    一、元旦：1月1日（周三）放假1天，不调休。
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
    1月26日（周日）、2月8日（周六）上班。

:func:`read_notice` turns the pasted text into days off (放假) and make-up working days (上班),
and checks it against itself — each weekday in brackets, each 「共N天」 — collecting every
problem instead of stopping at the first. :func:`read_any` takes either that text or the file
format of docs/calendar-format.md. No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.law.arrangement import (
    OFF,
    WORK,
    ArrangementDay,
    ArrangementError,
    check_day,
    read_arrangement,
)

__all__ = ["Reading", "looks_like_notice", "read_any", "read_notice"]

ITEM = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*([^：:]{1,30}?)\s*[：:]\s*(.+)$")
DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
    r"(?:\s*[（(](?P<note>[^）)]*)[）)])?"
)
TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排的通知")
NUMBER = re.compile(r"国办发明电\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
COUNT = re.compile(r"(?:共|放假)\s*(\d+)\s*天")
WEEKDAYS = "一二三四五六日"


@dataclass
class Reading:
    """What a pasted text says: its days, every problem found, and the notice's number/year."""

    days: list[ArrangementDay] = field(default_factory=list)
    problems: list[ArrangementError] = field(default_factory=list)
    source: str = ""
    year: int | None = None
    is_notice: bool = False


def looks_like_notice(text: str) -> bool:
    """Whether ``text`` is the notice as published (numbered items 「一、元旦：…」)."""
    return any(ITEM.match(line) for line in text.splitlines())


def read_any(text: str, year: int | None) -> Reading:
    """Read the notice as published, or else the file format (docs/calendar-format.md).

    ``year`` may be None for a notice whose title names it.
    """
    if looks_like_notice(text):
        return read_notice(text, year)
    reading = Reading()
    if year is None:
        reading.problems.append(
            ArrangementError(0, "请填写年份", "give the year of the arrangement")
        )
        return reading
    reading.year = year
    reading.days, reading.problems = read_arrangement(text, year)
    return reading


def read_notice(text: str, year: int | None) -> Reading:
    """Read a pasted State Council notice; every problem is collected, none raised."""
    reading = Reading(is_notice=True)
    text = text.lstrip("\ufeff")
    title = TITLE_YEAR.search(text)
    number = NUMBER.search(text)
    reading.source = re.sub(r"\s+", "", number.group(0)) if number else ""
    if title and year is not None and int(title.group(1)) != year:
        reading.problems.append(
            ArrangementError(
                0,
                f"通知标题是{title.group(1)}年的安排，与所填年份{year}不符",
                f"the notice is for {title.group(1)}, not {year}",
            )
        )
    year = year if year is not None else (int(title.group(1)) if title else None)
    if year is None:
        reading.problems.append(
            ArrangementError(
                0, "请填写年份（通知标题中没有年份）", "give the year (the title names none)"
            )
        )
        return reading
    reading.year = year
    seen: dict[date, int] = {}
    items = 0
    for number_, line in enumerate(text.splitlines(), start=1):
        match = ITEM.match(line)
        if not match:
            continue
        items += 1
        name = match.group(2).strip()
        for day, kind in _item_days(match.group(3), name, year, number_, reading.problems):
            try:
                check_day(day, kind, year, number_)
            except ArrangementError as error:
                reading.problems.append(error)
                continue
            if day in seen:
                reading.problems.append(
                    ArrangementError(
                        number_,
                        f"{day} 已在第{seen[day]}行列出",
                        f"{day} is already listed on line {seen[day]}",
                    )
                )
                continue
            seen[day] = number_
            label = name if kind == OFF else f"{name}调休"
            reading.days.append(ArrangementDay(day, kind, label, number_))
    if not any(d.kind == OFF for d in reading.days) and not reading.problems:
        reading.problems.append(
            ArrangementError(
                0,
                "没有读到任何放假日：请粘贴通知中“一、元旦：…”起的各项",
                "no day off was read: paste the notice's items from 「一、元旦：…」",
            )
        )
    reading.days.sort(key=lambda d: d.date)
    return reading


def _item_days(body: str, name: str, year: int, line: int, problems: list) -> list:
    """The (day, kind) pairs of one item's text, checking weekdays and counts as it goes."""
    found: list[tuple[date, str]] = []
    for sentence in re.split(r"[。；;]", body):
        kind = WORK if "上班" in sentence else OFF if "放假" in sentence else None
        if kind is None:
            continue  # 「不调休」, 「鼓励…安排职工在除夕休息」: nothing to record
        cut = sentence.index("上班" if kind == WORK else "放假")
        dates = _dates(sentence[:cut], year, line, problems)
        if kind == OFF:
            days = dates
            counted = COUNT.search(sentence[cut:]) or COUNT.search(sentence)
            if counted and days and int(counted.group(1)) != len(days):
                problems.append(
                    ArrangementError(
                        line,
                        f"{name}：所列日期共{len(days)}天，与通知所写“共{counted.group(1)}天”不符",
                        f"{name}: the dates give {len(days)} days, the notice says "
                        f"{counted.group(1)}",
                    )
                )
        else:
            days = dates
        found += [(d, kind) for d in days]
    if not found:
        problems.append(
            ArrangementError(
                line,
                f"{name}：没有读到放假或上班的日期",
                f"{name}: no day off or working day found",
            )
        )
    return found


def _dates(text: str, year: int, line: int, problems: list) -> list[date]:
    """Every day named in ``text``: single days, and 「A至B」 ranges expanded."""
    matches = list(DATE.finditer(text))
    days: list[date] = []
    previous: date | None = None
    index = 0
    while index < len(matches):
        first = _resolve(matches[index], previous, year, line, problems)
        if first is None:
            index += 1
            continue
        previous = first
        joined = index + 1 < len(matches) and text[
            matches[index].end() : matches[index + 1].start()
        ].strip() in ("至", "-", "—", "～", "~")
        if joined:
            last = _resolve(matches[index + 1], first, year, line, problems)
            index += 2
            if last is None:
                continue
            if last < first:
                problems.append(
                    ArrangementError(
                        line,
                        f"{first}至{last}：结束日早于开始日",
                        f"{first} to {last} ends before it starts",
                    )
                )
                continue
            days += [first + timedelta(days=i) for i in range((last - first).days + 1)]
            previous = last
        else:
            days.append(first)
            index += 1
    return days


def _resolve(match, previous: date | None, year: int, line: int, problems: list) -> date | None:
    """The date a 「M月D日（周X）」 names; the month and year default to the previous date's."""
    text = match.group(0)
    month = int(match.group("m")) if match.group("m") else (previous.month if previous else None)
    if month is None:
        problems.append(ArrangementError(line, f"“{text}”没有月份", f"{text!r} has no month"))
        return None
    if match.group("y"):
        y = int(match.group("y"))
    elif previous is not None:
        y = previous.year + (1 if month < previous.month else 0)
    else:
        y = year
    try:
        day = date(y, month, int(match.group("d")))
    except ValueError:
        problems.append(
            ArrangementError(line, f"“{text}”不是有效的日期", f"{text!r} is not a date")
        )
        return None
    weekday = WEEKDAY.search(match.group("note") or "")
    if weekday:
        said = WEEKDAYS.index(weekday.group(1).replace("天", "日"))
        if said != day.weekday():
            problems.append(
                ArrangementError(
                    line,
                    f"{day.month}月{day.day}日是{y}年的星期{WEEKDAYS[day.weekday()]}，"
                    f"通知写的是“{weekday.group(0)}”：请核对年份和日期",
                    f"{day} is a {day.strftime('%A')}, the notice says {weekday.group(0)}",
                )
            )
    return day
