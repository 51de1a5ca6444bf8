"""The calendar seeded from chinese_calendar agrees with the hand-typed State Council notices."""

from datetime import date, timedelta

import pytest

from gongkai.holidays.models import CalendarDay, CalendarYear
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear
from gongkai.law.clock import compute_due_date
from tests.law.hand_notices import HAND_YEARS, hand_calendar


def _hand(year: int):
    return hand_calendar([year])


def test_hand_tables_exist() -> None:
    assert HAND_YEARS == [2019, 2020, 2021, 2023, 2024, 2025]


@pytest.mark.parametrize("year", HAND_YEARS)
def test_every_day_of_the_year_agrees_with_the_notice(seeded, year: int) -> None:
    hand, db = _hand(year), load_calendar()
    day, disagree = date(year, 1, 1), []
    while day.year == year:
        if hand.is_working_day(day) != db.is_working_day(day):
            disagree.append(day)
        day += timedelta(days=1)
    assert disagree == []


@pytest.mark.parametrize("year", HAND_YEARS)
def test_make_up_days_agree(seeded, year: int) -> None:
    assert _hand(year).workdays_in(year) == load_calendar().workdays_in(year)


def test_december_days_belong_to_the_next_years_notice(seeded) -> None:
    day = CalendarDay.objects.select_related("calendar_year").get(date=date(2018, 12, 29))
    assert day.kind == CalendarDay.Kind.WORKDAY and day.calendar_year.year == 2019
    assert load_calendar().is_working_day(date(2018, 12, 29))


@pytest.mark.django_db
def test_the_data_migration_seeded_every_year_chinese_calendar_covers() -> None:
    """Checked without the ``seeded`` fixture: the rows come from migration 0002."""
    from gongkai.holidays.seed import chinese_calendar_arrangements
    from gongkai.holidays.services import calendar_changes

    expected = chinese_calendar_arrangements()
    assert sorted(expected) == list(range(2004, 2027))
    assert list(CalendarYear.objects.values_list("year", flat=True)) == sorted(expected)
    assert CalendarDay.objects.count() == sum(len(days) for days in expected.values())
    assert calendar_changes().filter(action="seeded").count() == len(expected)


def test_seeded_years_are_2004_to_2026(seeded) -> None:
    years = list(CalendarYear.objects.values_list("year", flat=True))
    assert years == list(range(2004, 2027))
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {"seeded"}
    calendar = load_calendar()
    assert calendar.covers(2004) and calendar.covers(2026) and not calendar.covers(2027)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2019-09-20", "2019-10-23"),
        ("2020-01-17", "2020-02-21"),
        ("2020-12-20", "2021-01-18"),
        ("2023-01-13", "2023-02-15"),
        ("2024-02-02", "2024-03-06"),
        ("2025-09-26", "2025-10-30"),
    ],
)
def test_known_due_dates_on_the_database_calendar(seeded, received: str, due: str) -> None:
    result = compute_due_date(load_calendar(), received=date.fromisoformat(received))
    assert result.due == date.fromisoformat(due)


def test_the_seeded_calendar_refuses_2027(seeded) -> None:
    with pytest.raises(MissingCalendarYear, match="gongkai calendar import 2027 FILE"):
        compute_due_date(load_calendar(), received=date(2026, 12, 15))
