"""Provisional working days for a year whose holiday arrangement is not published yet.

Each year the State Council announces which days are off (放假) and which weekend days are
worked (调休上班); until that notice is loaded the working days of the year are unknown
(:class:`~gongkai.law.calendar.MissingCalendarYear`). An office still has to see, in December,
roughly when an application received now falls due. This module estimates it from what the
law fixes in advance, 《全国年节及纪念日放假办法》 (2024 revision, in force from 1 January 2025;
docs/law/statutory-holidays.md):

- 第二条: 元旦 1 day (1 January), 春节 4 days (农历除夕 and 正月初一至初三), 清明节 1 day
  (the day of 清明), 劳动节 2 days (1–2 May), 端午节 1 day (农历五月初五), 中秋节 1 day
  (农历八月十五), 国庆节 3 days (1–3 October);
- 第六条: a holiday that falls on a Saturday or Sunday is made up (补假) on a working day — here
  the next weekday that is not already off, which is what the notices usually choose.

What the notice adds beyond that — longer breaks joined up with 调休上班 weekends — cannot be
known, so every date computed with a provisional year is *provisional*: shown as such, never
written into a letter as final, and recomputed when the notice is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from lunar_python import Lunar, Solar

from gongkai.law.calendar import WorkingCalendar

__all__ = ["FIRST_YEAR", "statutory_days_off", "with_provisional_years"]

#: The first year the 2024 revision of the 放假办法 governs. Earlier years all have notices.
FIRST_YEAR = 2025

ONE_DAY = timedelta(days=1)


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    solar = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _holidays(year: int) -> list[tuple[date, str]]:
    """The days of 第二条 that fall in ``year``, in order, with their names."""
    new_year_lunar = _lunar(year, 1, 1)
    spring = [new_year_lunar - ONE_DAY] + [new_year_lunar + ONE_DAY * i for i in range(3)]
    days = [(date(year, 1, 1), "元旦")]
    days += [(d, "春节") for d in spring]
    days += [(_qingming(year), "清明节")]
    days += [(date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days += [(_lunar(year, 5, 5), "端午节"), (_lunar(year, 8, 15), "中秋节")]
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    # 除夕 of next year's 春节 can fall in late January of the *same* solar year only for the
    # lunar year that starts then, which is already in ``spring``; keep the days of ``year``.
    return sorted((d, name) for d, name in days if d.year == year)


def statutory_days_off(year: int) -> dict[date, str]:
    """Return the days off that 《全国年节及纪念日放假办法》 fixes for ``year``, with names.

    Holidays falling on a weekend are made up on the next weekday not already off (第六条),
    named 「<节日>补假」. Raise ValueError for a year before :data:`FIRST_YEAR`, whose
    arrangement follows an earlier revision (every such year has its published notice).
    """
    if year < FIRST_YEAR:
        raise ValueError(
            f"{year}年适用修订前的放假办法，请导入当年的通知 / "
            f"{year} predates the 2024 revision; import that year's notice"
        )
    off: dict[date, str] = dict(_holidays(year))
    for day, name in sorted(off.items()):
        if day.weekday() < 5:
            continue
        substitute = day + ONE_DAY
        while substitute.weekday() >= 5 or substitute in off:
            substitute += ONE_DAY
        if substitute.year == year:
            off[substitute] = f"{name}补假"
    return dict(sorted(off.items()))


def with_provisional_years(calendar: WorkingCalendar, years: Iterable[int]) -> WorkingCalendar:
    """Return ``calendar`` extended by provisional arrangements for those ``years`` it lacks.

    The new calendar answers for those years with the days of :func:`statutory_days_off` and
    ordinary weekends (no 调休上班 days), and says so through
    :meth:`~gongkai.law.calendar.WorkingCalendar.is_provisional`. Years the calendar covers
    are left as they are.
    """
    added = sorted(y for y in set(years) if not calendar.covers(y) and y >= FIRST_YEAR)
    if not added:
        return calendar
    return calendar.extended(
        {day: name for y in added for day, name in statutory_days_off(y).items()},
        provisional_years=added,
    )
