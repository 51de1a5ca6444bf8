"""Proactive disclosure (主动公开) timing: 《政府信息公开条例》第二十六条.

「属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开」
(docs/law/ogi-spec.md §0, §1.2). A law or regulation may set another period, so the period is
a parameter. Working days come from the platform's calendar (holidays and 调休 make-up days).
"""

from __future__ import annotations

from datetime import date

from gongkai.law.calendar import WorkingCalendar

__all__ = ["PROACTIVE_PERIOD", "days_late", "publication_deadline"]

#: 条例第二十六条: 20 working days from the day the information was formed or changed.
PROACTIVE_PERIOD = 20


def publication_deadline(
    calendar: WorkingCalendar, formed: date, *, period: int = PROACTIVE_PERIOD
) -> date:
    """Return the last day to publish information formed or changed on ``formed`` (第二十六条).

    The day it was formed is day 0; the period ends on the ``period``-th working day after it.
    """
    return calendar.add_working_days(formed, period)


def days_late(
    calendar: WorkingCalendar, formed: date, published: date, *, period: int = PROACTIVE_PERIOD
) -> int:
    """Return how many working days after the 第二十六条 deadline ``published`` falls (0 if on time).

    An item formed on a Friday before a week-long holiday is not late on the first working day
    after the holiday: only working days count, and a 调休 Saturday counts as one.
    """
    deadline = publication_deadline(calendar, formed, period=period)
    if published <= deadline:
        return 0
    return calendar.working_days_between(deadline, published)
