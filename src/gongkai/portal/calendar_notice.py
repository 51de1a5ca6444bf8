"""The year-end warning on the staff home: next year's holiday arrangement is missing.

The State Council publishes next year's arrangement between October and December. Until it is
imported, due dates in that year are provisional (gongkai.law.statutory), so from 1 October the
people who can act on it — the system admin, who imports it, and the supervisors (政务公开办),
who remind them — are told on the staff home.
"""

from __future__ import annotations

from datetime import date

from gongkai.accounts import rules
from gongkai.law.calendar import WorkingCalendar

__all__ = ["WARN_FROM_MONTH", "missing_next_year"]

WARN_FROM_MONTH = 10


def missing_next_year(user, today: date, calendar: WorkingCalendar) -> int | None:
    """The year to warn ``user`` about on ``today`` (from 1 October), or None."""
    if today.month < WARN_FROM_MONTH:
        return None
    year = today.year + 1
    if calendar.covers(year):
        return None
    if not (rules.is_system_admin(user) or rules.supervises_any(user)):
        return None
    return year
