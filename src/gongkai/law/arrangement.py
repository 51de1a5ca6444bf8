"""Parse a year's holiday arrangement file (docs/calendar-format.md). No Django here.

One day or range per line, as the State Council's annual notice gives them::

    # 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
    放假 2025-10-01..2025-10-08 国庆节、中秋节
    上班 2025-09-28 国庆节调休

or the same as CSV (``kind,date_or_range,name``, an optional header line). ``#`` starts a
comment. Every mistake is reported with its line number, Chinese first then English.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta

OFF = "off"  # 放假
WORK = "work"  # 调休上班

KIND_WORDS = {"放假": OFF, "off": OFF, "上班": WORK, "work": WORK}
KIND_LABELS = {OFF: "放假", WORK: "上班"}
MAX_RANGE_DAYS = 31


class ArrangementError(ValueError):
    """A line of an arrangement file is wrong; ``line`` is its 1-based number (0: whole file)."""

    def __init__(self, line: int, zh: str, en: str) -> None:
        self.line = line
        self.zh = f"第{line}行：{zh}" if line else zh
        self.en = f"line {line}: {en}" if line else en
        super().__init__(f"{self.zh} / {self.en}")


@dataclass(frozen=True)
class ArrangementDay:
    """One announced day: a day off (OFF) or a make-up working day (WORK)."""

    date: date
    kind: str
    name: str = ""
    line: int = 0


def _parse_date(text: str, line: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArrangementError(
            line, f"“{text}”不是YYYY-MM-DD格式的日期", f"{text!r} is not a date (YYYY-MM-DD)"
        ) from None


def _expand(text: str, line: int) -> list[date]:
    if ".." in text:
        first_text, _, last_text = text.partition("..")
        first, last = _parse_date(first_text, line), _parse_date(last_text, line)
        if last < first:
            raise ArrangementError(
                line,
                f"日期范围 {text} 的结束日早于开始日",
                f"the range {text} ends before it starts",
            )
        count = (last - first).days + 1
        if count > MAX_RANGE_DAYS:
            raise ArrangementError(
                line,
                f"日期范围 {text} 长达{count}天，超过{MAX_RANGE_DAYS}天，请检查是否输错",
                f"the range {text} spans {count} days, more than {MAX_RANGE_DAYS}; is it a typo?",
            )
        return [first + timedelta(days=i) for i in range(count)]
    return [_parse_date(text, line)]


def _fields(raw: str) -> list[str]:
    if "," in raw:
        return [f.strip() for f in next(csv.reader([raw]))]
    return raw.split(None, 2)


def parse_arrangement(text: str, year: int) -> list[ArrangementDay]:
    """Parse the arrangement of ``year``; raise :class:`ArrangementError` on any bad line.

    Days may fall in ``year`` or in December of the year before (a 元旦 holiday can start
    there). Make-up working days must be Saturdays or Sundays. The error raised is the first
    problem; :func:`read_arrangement` returns all of them.
    """
    days, problems = read_arrangement(text, year)
    if problems:
        raise problems[0]
    return days


def read_arrangement(text: str, year: int) -> tuple[list[ArrangementDay], list[ArrangementError]]:
    """Parse the arrangement of ``year``: the days read, and every problem (none raised)."""
    days: list[ArrangementDay] = []
    problems: list[ArrangementError] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        try:
            days += _read_line(raw, number, year, seen)
        except ArrangementError as error:
            problems.append(error)
    if not any(d.kind == OFF for d in days) and not problems:
        problems.append(
            ArrangementError(
                0,
                f"{year}年的安排中没有任何放假日；文件是否为空？",
                f"the arrangement for {year} lists no day off; is the file empty?",
            )
        )
    return sorted(days, key=lambda d: d.date), problems


def _read_line(raw: str, number: int, year: int, seen: dict[date, int]) -> list[ArrangementDay]:
    raw = raw.split("#", 1)[0].strip()
    if not raw:
        return []
    fields = _fields(raw)
    if fields[0].lower() == "kind":
        return []  # CSV header
    if len(fields) < 2 or not fields[1]:
        raise ArrangementError(
            number,
            f"“{raw}”缺少日期；应为“放假 YYYY-MM-DD[..YYYY-MM-DD] 名称”",
            f"{raw!r} has no date; expected 'off|放假 DATE[..DATE] NAME'",
        )
    kind = KIND_WORDS.get(fields[0].lower())
    if kind is None:
        raise ArrangementError(
            number,
            f"“{fields[0]}”不是“放假”或“上班”",
            f"{fields[0]!r} is not a kind of day; use 放假/off or 上班/work",
        )
    name = fields[2].strip() if len(fields) > 2 else ""
    days = []
    for day in _expand(fields[1], number):
        check_day(day, kind, year, number)
        if day in seen:
            raise ArrangementError(
                number,
                f"{day} 已在第{seen[day]}行列出",
                f"{day} is already listed on line {seen[day]}",
            )
        days.append(ArrangementDay(day, kind, name, number))
    for d in days:
        seen[d.date] = number
    return days


def check_day(day: date, kind: str, year: int, line: int) -> None:
    if not (day.year == year or (day.year == year - 1 and day.month == 12)):
        raise ArrangementError(
            line,
            f"{day} 不属于{year}年的安排（只能在{year}年内，或{year - 1}年12月）",
            f"{day} is not part of the {year} arrangement (it must fall in {year}, "
            f"or in December {year - 1})",
        )
    if kind == WORK and day.weekday() < 5:
        raise ArrangementError(
            line,
            f"{day} 是星期{'一二三四五'[day.weekday()]}，本来就是工作日；调休上班日只能是星期六或星期日",
            f"{day} is a weekday and already a working day; make-up working days are "
            "Saturdays or Sundays",
        )


def format_arrangement(days: list[ArrangementDay], *, header: str = "") -> str:
    """Write days back in the file format, merging consecutive days of one kind and name."""
    lines = [f"# {header}"] if header else []
    run: list[ArrangementDay] = []

    def flush() -> None:
        if run:
            span = run[0].date.isoformat()
            if len(run) > 1:
                span += f"..{run[-1].date.isoformat()}"
            lines.append(f"{KIND_LABELS[run[0].kind]} {span} {run[0].name}".rstrip())
            run.clear()

    for day in sorted(days, key=lambda d: d.date):
        if run and (
            day.kind != run[-1].kind
            or day.name != run[-1].name
            or day.date - run[-1].date != timedelta(days=1)
        ):
            flush()
        run.append(day)
    flush()
    return "\n".join(lines) + "\n"
