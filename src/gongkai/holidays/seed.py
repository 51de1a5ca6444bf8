"""The holiday arrangements shipped with the ``chinese_calendar`` package (2004 onwards).

Used by the data migration that seeds the calendar tables. No Django here. Each day goes to the
arrangement (notice) year it belongs to: a December day marked for 元旦 belongs to the next
year's notice, as in 2019's (2018-12-29 上班, 2018-12-30..2019-01-01 放假).
"""

from __future__ import annotations

from gongkai.law.arrangement import OFF, WORK, ArrangementDay

#: chinese_calendar's English names, in the words the State Council's notices use.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_version() -> str:
    from importlib.metadata import version

    return version("chinese-calendar")


def chinese_calendar_arrangements() -> dict[int, list[ArrangementDay]]:
    """Return every year's days off and make-up working days from ``chinese_calendar``."""
    from chinese_calendar import constants

    years: dict[int, list[ArrangementDay]] = {}

    def add(day, kind: str, english: str) -> None:
        name = HOLIDAY_NAMES.get(english, english)
        if kind == WORK:
            name += "调休"
        year = day.year + 1 if day.month == 12 and english == "New Year's Day" else day.year
        years.setdefault(year, []).append(ArrangementDay(day, kind, name))

    for day, english in constants.holidays.items():
        add(day, OFF, english)
    for day, english in constants.workdays.items():
        add(day, WORK, english)
    # A year is complete only if its own dates are there (2003 would have just late December).
    first = min(constants.holidays).year
    return {y: sorted(days, key=lambda d: d.date) for y, days in years.items() if y >= first}
