"""The statutory working-day calendar: which days count as 工作日.

《政府信息公开条例》 counts its periods (Arts. 26, 30, 32–34) in working days but does not
define them. A working day is Monday to Friday, except the days off (放假) that the State
Council announces each year, plus the weekend days it makes working days (调休上班). Both lists
are data, one year at a time: a year whose arrangement is not loaded is unknown, and any
computation that needs it raises :class:`MissingCalendarYear` instead of guessing.

Nothing here calls ``date.today()``: callers pass every date in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta

__all__ = [
    "DAY_OFF",
    "MAKEUP_WORKDAY",
    "WEEKDAY",
    "WEEKEND",
    "MissingCalendarYear",
    "WorkingCalendar",
]

ONE_DAY = timedelta(days=1)

#: What :meth:`WorkingCalendar.kind_of` says about a day.
WEEKDAY = "weekday"  # Monday to Friday, an ordinary working day
WEEKEND = "weekend"  # Saturday or Sunday, an ordinary rest day
DAY_OFF = "day_off"  # 放假: a statutory day off announced for the year
MAKEUP_WORKDAY = "makeup_workday"  # 调休上班: a Saturday or Sunday made a working day


class MissingCalendarYear(ValueError):
    """A computation needed a year whose holiday arrangement is not loaded."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.zh = (
            f"缺少{year}年的节假日安排（放假和调休上班日），无法计算工作日。"
            f"请按国务院办公厅当年的通知导入：gongkai calendar import {year} FILE"
        )
        self.en = (
            f"No holiday arrangement is loaded for {year}, so its working days are unknown. "
            f"Import the State Council's notice for that year: gongkai calendar import {year} FILE"
        )
        super().__init__(f"{self.zh} / {self.en}")


class WorkingCalendar:
    """Working days built from data: days off, make-up working days, and the years they cover.

    ``days_off`` are the announced 放假 days (weekend days among them are harmless);
    ``workdays`` are the weekend days announced as 调休上班; ``years`` are the years whose
    arrangement is complete. ``names`` optionally maps a day to its holiday name (国庆节), used
    only to explain results.
    """

    def __init__(
        self,
        days_off: Iterable[date],
        workdays: Iterable[date],
        years: Iterable[int],
        *,
        names: Mapping[date, str] | None = None,
        provisional_years: Iterable[int] = (),
    ) -> None:
        self._days_off = frozenset(days_off)
        self._workdays = frozenset(workdays)
        self._provisional = frozenset(int(y) for y in provisional_years)
        self._years = frozenset(int(y) for y in years) | self._provisional
        both = sorted(self._days_off & self._workdays)
        if both:
            raise ValueError(
                f"{both[0].isoformat()} 不能既是放假日又是调休上班日 / "
                f"{both[0].isoformat()} cannot be both a day off and a make-up working day"
            )
        self._names = dict(names or {})

    @property
    def years(self) -> frozenset[int]:
        """The years whose arrangement is loaded (provisional ones included)."""
        return self._years

    @property
    def provisional_years(self) -> frozenset[int]:
        """The years estimated from the statute, not announced (:mod:`gongkai.law.statutory`)."""
        return self._provisional

    def is_provisional(self, day: date | int) -> bool:
        """Say whether ``day`` (or a year) is in a provisional year: its answers are estimates."""
        year = day if isinstance(day, int) else day.year
        return year in self._provisional

    def extended(
        self, days_off: Mapping[date, str], *, provisional_years: Iterable[int]
    ) -> WorkingCalendar:
        """Return a copy that also covers ``provisional_years`` with ``days_off`` (name by day)."""
        return WorkingCalendar(
            self._days_off | set(days_off),
            self._workdays,
            self._years,
            names={**self._names, **days_off},
            provisional_years=self._provisional | set(provisional_years),
        )

    def covers(self, year: int) -> bool:
        """Say whether the arrangement for ``year`` is loaded."""
        return year in self._years

    def _check(self, day: date) -> None:
        if day.year not in self._years:
            raise MissingCalendarYear(day.year)

    def kind_of(self, day: date) -> str:
        """Classify ``day``: WEEKDAY, WEEKEND, DAY_OFF or MAKEUP_WORKDAY."""
        self._check(day)
        if day in self._workdays:
            return MAKEUP_WORKDAY
        if day in self._days_off:
            return DAY_OFF
        return WEEKEND if day.weekday() >= 5 else WEEKDAY

    def name_of(self, day: date) -> str:
        """Return the holiday name attached to ``day`` ('' when there is none)."""
        return self._names.get(day, "")

    def is_working_day(self, day: date) -> bool:
        """Say whether ``day`` is a working day (工作日)."""
        return self.kind_of(day) in (WEEKDAY, MAKEUP_WORKDAY)

    def days_after(self, day: date) -> Iterator[date]:
        """Yield the days after ``day``, checking each one's year is covered."""
        while True:
            day += ONE_DAY
            self._check(day)
            yield day

    def add_working_days(self, day: date, n: int) -> date:
        """Return the ``n``-th working day after ``day`` (``day`` itself is day 0).

        This is how the 条例 counts a period of n working days from a triggering day: the
        count starts on the next day, so the period ends on the returned day.
        """
        if n < 0:
            raise ValueError(
                f"工作日数不能为负数：{n} / the number of working days must be >= 0: {n}"
            )
        if n == 0:
            return day
        counted = 0
        for current in self.days_after(day):
            if self.is_working_day(current):
                counted += 1
                if counted == n:
                    return current
        raise AssertionError("unreachable")  # pragma: no cover

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def days_off_in(self, year: int) -> list[date]:
        """Return the announced days off falling in ``year``, in order."""
        return sorted(d for d in self._days_off if d.year == year)

    def workdays_in(self, year: int) -> list[date]:
        """Return the announced make-up working days falling in ``year``, in order."""
        return sorted(d for d in self._workdays if d.year == year)

    def __repr__(self) -> str:
        span = f"{min(self._years)}–{max(self._years)}" if self._years else "no years"
        estimated = f", provisional {sorted(self._provisional)}" if self._provisional else ""
        return f"<WorkingCalendar {span}, {len(self._years)} years{estimated}>"
