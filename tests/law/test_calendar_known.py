"""Known answers for the working-day calendar, from the State Council's holiday notices.

The arrangements in notices/*.txt were typed by hand from the notices (国办发明电), not read
from chinese_calendar; tests/holidays/test_seeded_calendar.py checks the two agree.
"""

from datetime import date

import pytest

from gongkai.law.calendar import (
    DAY_OFF,
    MAKEUP_WORKDAY,
    WEEKDAY,
    WEEKEND,
    MissingCalendarYear,
    WorkingCalendar,
)
from tests.law.hand_notices import hand_calendar

CAL = hand_calendar()

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "working", "kind"),
    [
        # 2019 国庆节: 10-01..10-07 off; 09-29 (Sun) and 10-12 (Sat) working
        ("2019-09-28", False, WEEKEND),
        ("2019-09-29", True, MAKEUP_WORKDAY),
        ("2019-09-30", True, WEEKDAY),
        ("2019-10-01", False, DAY_OFF),
        ("2019-10-07", False, DAY_OFF),
        ("2019-10-08", True, WEEKDAY),
        ("2019-10-12", True, MAKEUP_WORKDAY),
        ("2019-10-13", False, WEEKEND),
        # 2019 劳动节 as revised: 05-01..05-04 off, 04-28 (Sun) and 05-05 (Sun) working
        ("2019-04-28", True, MAKEUP_WORKDAY),
        ("2019-05-04", False, DAY_OFF),
        ("2019-05-05", True, MAKEUP_WORKDAY),
        # 2020 春节 with the COVID extension: off until 02-02, the 02-01 make-up day cancelled
        ("2020-01-19", True, MAKEUP_WORKDAY),
        ("2020-01-23", True, WEEKDAY),
        ("2020-01-30", False, DAY_OFF),
        ("2020-01-31", False, DAY_OFF),
        ("2020-02-01", False, DAY_OFF),
        ("2020-02-02", False, DAY_OFF),
        ("2020-02-03", True, WEEKDAY),
        # 2021: 元旦 01-01..01-03, 春节 make-up 02-07 (Sun) and 02-20 (Sat), 中秋 09-18 (Sat)
        ("2021-01-01", False, DAY_OFF),
        ("2021-01-04", True, WEEKDAY),
        ("2021-02-07", True, MAKEUP_WORKDAY),
        ("2021-02-17", False, DAY_OFF),
        ("2021-02-20", True, MAKEUP_WORKDAY),
        ("2021-09-18", True, MAKEUP_WORKDAY),
        # 2023 春节 01-21..01-27, then a working weekend 01-28/01-29; 国庆 to 10-06, 10-07/08 work
        ("2023-01-02", False, DAY_OFF),
        ("2023-01-27", False, DAY_OFF),
        ("2023-01-28", True, MAKEUP_WORKDAY),
        ("2023-01-29", True, MAKEUP_WORKDAY),
        ("2023-09-29", False, DAY_OFF),
        ("2023-10-06", False, DAY_OFF),
        ("2023-10-07", True, MAKEUP_WORKDAY),
        ("2023-10-08", True, MAKEUP_WORKDAY),
        # 2024: 除夕 02-09 was still a working day; make-up Sundays 02-04, 02-18, 04-07
        ("2024-02-04", True, MAKEUP_WORKDAY),
        ("2024-02-09", True, WEEKDAY),
        ("2024-02-10", False, DAY_OFF),
        ("2024-02-18", True, MAKEUP_WORKDAY),
        ("2024-04-07", True, MAKEUP_WORKDAY),
        ("2024-10-12", True, MAKEUP_WORKDAY),
        # 2025, the first year with 除夕 and 05-02 as statutory days off
        ("2025-01-26", True, MAKEUP_WORKDAY),
        ("2025-01-27", True, WEEKDAY),
        ("2025-01-28", False, DAY_OFF),
        ("2025-02-04", False, DAY_OFF),
        ("2025-02-08", True, MAKEUP_WORKDAY),
        ("2025-05-02", False, DAY_OFF),
        ("2025-05-05", False, DAY_OFF),
        ("2025-10-08", False, DAY_OFF),
        ("2025-10-11", True, MAKEUP_WORKDAY),
    ],
)
def test_working_days_from_the_notices(day: str, working: bool, kind: str) -> None:
    assert CAL.is_working_day(D(day)) is working
    assert CAL.kind_of(D(day)) == kind


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2019-09-30", 1, "2019-10-08"),  # across the 国庆 week
        ("2019-10-11", 1, "2019-10-12"),  # onto the make-up Saturday
        ("2020-01-23", 1, "2020-02-03"),  # across the extended 春节
        ("2020-01-17", 1, "2020-01-19"),  # onto the make-up Sunday
        ("2020-12-31", 1, "2021-01-04"),  # across a year boundary
        ("2024-02-08", 2, "2024-02-18"),  # 02-09 works, then 02-10..17 off, 02-18 works
        ("2025-09-26", 15, "2025-10-23"),  # a 15-working-day consultation over 国庆
        ("2025-03-03", 0, "2025-03-03"),
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2019-09-30", "2019-10-08", 1),
        # (09-27, 10-13]: 09-29 (Sun, make-up), 09-30, then 10-08..10-12 (10-12 a make-up Sat)
        ("2019-09-27", "2019-10-13", 7),
        ("2020-01-23", "2020-02-03", 1),
        ("2025-09-30", "2025-10-09", 1),
        ("2025-10-09", "2025-10-09", 0),
        ("2025-10-09", "2025-09-30", -1),
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert CAL.working_days_between(D(start), D(end)) == expected


def test_a_year_without_data_raises_and_names_the_import_command() -> None:
    assert not CAL.covers(2022)
    with pytest.raises(MissingCalendarYear) as caught:
        CAL.is_working_day(D("2022-06-01"))
    message = str(caught.value)
    assert caught.value.year == 2022
    assert "2022" in message and "gongkai calendar import 2022 FILE" in message
    zh, en = message.split(" / ", 1)
    assert "缺少2022年" in zh and "No holiday arrangement is loaded for 2022" in en
    assert isinstance(caught.value, ValueError)


def test_counting_into_an_uncovered_year_raises() -> None:
    # 2021 is covered, 2022 is not: counting past the end of 2021 must not guess.
    with pytest.raises(MissingCalendarYear) as caught:
        CAL.add_working_days(D("2021-12-20"), 20)
    assert caught.value.year == 2022
    with pytest.raises(MissingCalendarYear):
        CAL.working_days_between(D("2021-12-30"), D("2022-01-04"))


def test_the_december_days_of_a_next_year_notice_do_not_cover_that_december() -> None:
    # The 2023 notice lists 2022-12-31, but 2022 as a whole is unknown.
    with pytest.raises(MissingCalendarYear):
        CAL.is_working_day(D("2022-12-31"))


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="2025-10-11"):
        WorkingCalendar([D("2025-10-11")], [D("2025-10-11")], [2025])


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(D("2025-03-03"), -1)


def test_weekends_only_calendar() -> None:
    plain = WorkingCalendar([], [], [2030])
    assert plain.add_working_days(D("2030-01-04"), 1) == D("2030-01-07")  # Fri -> Mon
    assert plain.working_days_between(D("2030-01-01"), D("2030-01-31")) == 22
    assert plain.years == frozenset({2030})
