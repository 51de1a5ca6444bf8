"""The State Council's holiday notices (国办发明电), typed by hand into notices/*.txt.

They are not read from chinese_calendar, so they are known answers for the calendar, the reply
clock, and the calendar seeded from chinese_calendar (tests/holidays/test_seeded_calendar.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from gongkai.law.arrangement import OFF, WORK, ArrangementDay, parse_arrangement
from gongkai.law.calendar import WorkingCalendar

NOTICES = Path(__file__).parent / "notices"
HAND_YEARS = sorted(int(p.stem) for p in NOTICES.glob("*.txt"))


def build_calendar(arrangements: Mapping[int, Iterable[ArrangementDay]]) -> WorkingCalendar:
    """Build a working calendar covering exactly the given years' arrangements."""
    days = [d for year_days in arrangements.values() for d in year_days]
    return WorkingCalendar(
        (d.date for d in days if d.kind == OFF),
        (d.date for d in days if d.kind == WORK),
        arrangements.keys(),
        names={d.date: d.name for d in days if d.name},
    )


def hand_calendar(years: Iterable[int] = HAND_YEARS) -> WorkingCalendar:
    """Return the working-day calendar of the hand-typed notices of ``years``."""
    return build_calendar(
        {
            year: parse_arrangement((NOTICES / f"{year}.txt").read_text("utf-8"), year)
            for year in years
        }
    )
