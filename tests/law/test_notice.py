"""The State Council's notice as published, pasted whole: read day by day, every problem at once.

Known answers: the notices of 2023–2025 as published (tests/law/published/), read and compared
with the same years typed by hand in the file format (tests/law/notices/).
"""

from datetime import date
from pathlib import Path

import pytest

from gongkai.law.arrangement import OFF, WORK, parse_arrangement
from gongkai.law.notice import looks_like_notice, read_any, read_notice

HERE = Path(__file__).parent
PUBLISHED = HERE / "published"


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_a_published_notice_reads_as_the_hand_typed_year(year):
    text = (PUBLISHED / f"{year}.txt").read_text("utf-8")
    assert looks_like_notice(text)
    reading = read_notice(text, None)  # the year from the title
    assert reading.problems == []
    assert reading.year == year and reading.source.startswith("国办发明电〔")
    hand = parse_arrangement((HERE / "notices" / f"{year}.txt").read_text("utf-8"), year)
    assert [(d.date, d.kind) for d in reading.days] == [(d.date, d.kind) for d in hand]


def test_names_come_from_the_items():
    reading = read_notice((PUBLISHED / "2025.txt").read_text("utf-8"), 2025)
    named = {d.date: (d.kind, d.name) for d in reading.days}
    assert named[date(2025, 1, 28)] == (OFF, "春节")
    assert named[date(2025, 2, 8)] == (WORK, "春节调休")
    assert named[date(2025, 10, 8)] == (OFF, "国庆节、中秋节")


def test_every_problem_is_reported_at_once():
    text = (
        "一、元旦：1月1日（周四）放假1天，不调休。\n"  # 2025-01-01 is a Wednesday
        "二、春节：1月28日至2月4日放假调休，共7天。1月29日（周三）上班。\n"  # 8 days; a weekday
        "三、清明节：4月4日至6日放假，共3天。\n"
    )
    reading = read_notice(text, 2025)
    messages = [str(p) for p in reading.problems]
    assert len(messages) == 3, messages
    assert "星期三" in messages[0] and "周四" in messages[0] and messages[0].startswith("第1行")
    assert any("共8天" in m and "共7天" in m for m in messages)
    assert any("2025-01-29 是星期三" in m for m in messages)


def test_the_year_of_the_title_must_match():
    text = (PUBLISHED / "2025.txt").read_text("utf-8")
    reading = read_notice(text, 2026)
    assert any("2025年的安排" in str(p) for p in reading.problems)


def test_the_file_format_reports_every_bad_line_too():
    reading = read_any("放假 2027-01-01 元旦\n放假 2027-13-01 错\n上班 2027-01-04 周一\n", 2027)
    assert not reading.is_notice
    assert [p.line for p in reading.problems] == [2, 3]
    assert [d.date for d in reading.days] == [date(2027, 1, 1)]


def test_nothing_read_is_a_problem_not_an_empty_year():
    reading = read_notice("一、元旦：照常。\n", 2027)
    assert reading.days == [] and reading.problems
