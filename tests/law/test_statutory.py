"""The provisional calendar: the days off 《全国年节及纪念日放假办法》 fixes in advance.

Known answers: every statutory day off it gives for 2025 and 2026 is a day off in the State
Council's notices (as shipped by chinese-calendar), and the count of days is the statute's.
"""

from datetime import date

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.statutory import statutory_days_off, with_provisional_years


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_off_is_off_in_the_published_notice(year):
    for day, name in statutory_days_off(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 春节 2025: 除夕 28 January (Tuesday) to 初三 31 January; 清明 4 April; 端午 31 May is
        # a Saturday, made up on Monday 2 June; 中秋 6 October is inside 国庆 week.
        (2025, {date(2025, 1, 28), date(2025, 4, 4), date(2025, 5, 31), date(2025, 6, 2)}),
        # 2027: 除夕 5 February; 元旦 a Friday; 劳动节 1–2 May a weekend, made up 3–4 May.
        (2027, {date(2027, 2, 5), date(2027, 1, 1), date(2027, 5, 3), date(2027, 5, 4)}),
    ],
)
def test_known_days(year, expected):
    assert expected <= set(statutory_days_off(year))


@given(st.integers(min_value=2025, max_value=2090))
def test_thirteen_holidays_and_a_make_up_day_for_each_one_on_a_weekend(year):
    days = statutory_days_off(year)
    made_up = [d for d, name in days.items() if name.endswith("补假")]
    holidays = [d for d, name in days.items() if not name.endswith("补假")]
    # 1 + 4 + 1 + 2 + 1 + 1 + 3 = 13 days (中秋 and 国庆 may coincide, then 12)
    assert len(holidays) in (12, 13)
    assert all(d.weekday() < 5 for d in made_up)
    on_weekends = sum(1 for d in holidays if d.weekday() >= 5)
    assert len(made_up) <= on_weekends  # a make-up day past 31 December is not this year's


def test_years_before_the_2024_revision_are_refused():
    with pytest.raises(ValueError, match="2024"):
        statutory_days_off(2024)


def test_a_provisional_year_is_marked_and_known_years_are_untouched():
    known = WorkingCalendar([date(2026, 10, 1)], [], [2026])
    with pytest.raises(MissingCalendarYear):
        known.add_working_days(date(2026, 12, 10), 20)
    estimate = with_provisional_years(known, [2026, 2027])
    assert estimate.provisional_years == {2027} and estimate.covers(2027)
    assert estimate.is_provisional(date(2027, 1, 8)) and not estimate.is_provisional(2026)
    assert estimate.add_working_days(date(2026, 12, 10), 20) == date(2027, 1, 8)
    assert not estimate.is_working_day(date(2027, 1, 1))
    assert with_provisional_years(known, [2026]) is known
