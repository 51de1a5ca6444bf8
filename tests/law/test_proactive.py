"""条例第二十六条: 20 working days from formation, counted on a calendar with 调休 days.

Known answer: 2020's National Day and Mid-autumn holiday (国办发明电〔2019〕16号): 10月1日至8日
放假, 9月27日（星期日）and 10月10日（星期六）上班.
"""

from datetime import date, timedelta

import pytest

from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.proactive import days_late, publication_deadline

OCTOBER_2020 = WorkingCalendar(
    days_off=[date(2020, 10, d) for d in range(1, 9)],
    workdays=[date(2020, 9, 27), date(2020, 10, 10)],
    years=[2020],
)
NO_ARRANGEMENT = WorkingCalendar(days_off=[], workdays=[], years=[2020])


def test_the_deadline_counts_make_up_days_and_skips_the_holiday():
    # Day 0 is Friday 25 September; the 调休 Sunday 27 September is working day 1.
    assert publication_deadline(OCTOBER_2020, date(2020, 9, 25)) == date(2020, 10, 29)
    # Without the arrangement the same period ends on 23 October.
    assert publication_deadline(NO_ARRANGEMENT, date(2020, 9, 25)) == date(2020, 10, 23)


@pytest.mark.parametrize(
    ("published", "late"),
    [
        (date(2020, 9, 25), 0),
        (date(2020, 10, 29), 0),  # the last day is still on time
        (date(2020, 10, 30), 1),
        (date(2020, 11, 1), 1),  # a Sunday adds nothing
        (date(2020, 11, 2), 2),
        (date(2020, 11, 13), 11),
    ],
)
def test_days_late_are_working_days_after_the_deadline(published, late):
    assert days_late(OCTOBER_2020, date(2020, 9, 25), published) == late


def test_a_make_up_saturday_counts_as_a_late_day():
    # Formed 7 September: day 20 is 10 October, the 调休 Saturday; 12 October is 1 day late.
    formed = date(2020, 9, 7)
    assert publication_deadline(OCTOBER_2020, formed) == date(2020, 10, 10)
    assert days_late(OCTOBER_2020, formed, date(2020, 10, 12)) == 1


def test_another_period_set_by_law_is_a_parameter():
    assert days_late(OCTOBER_2020, date(2020, 9, 25), date(2020, 9, 30), period=2) == 2


def test_a_year_without_an_arrangement_is_refused_not_guessed():
    with pytest.raises(MissingCalendarYear):
        days_late(OCTOBER_2020, date(2020, 12, 1), date(2021, 1, 20))


def test_days_late_never_falls_as_publication_gets_later():
    formed = date(2020, 9, 1)
    previous = 0
    day = formed
    while day < date(2020, 12, 31):
        day += timedelta(days=1)
        now = days_late(OCTOBER_2020, formed, day)
        assert now >= previous
        previous = now
