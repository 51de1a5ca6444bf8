"""The arrangement file parser (docs/calendar-format.md): what it accepts, and its errors."""

from datetime import date
from pathlib import Path

import pytest

from gongkai.law.arrangement import (
    OFF,
    WORK,
    ArrangementError,
    format_arrangement,
    parse_arrangement,
)

D = date.fromisoformat
DOC = Path(__file__).resolve().parents[2] / "docs" / "calendar-format.md"


def test_lines_ranges_comments_and_names() -> None:
    days = parse_arrangement(
        "\ufeff# 国办发明电〔2024〕12号\n"
        "\n"
        "放假 2025-10-01..2025-10-03 国庆节、中秋节   # 共8天的前3天\n"
        "上班 2025-09-28 国庆节调休\n"
        "off 2025-01-01\n"
        "WORK\u30002025-10-11\u3000国庆节调休\n",
        2025,
    )
    assert [(d.date, d.kind, d.name, d.line) for d in days] == [
        (D("2025-01-01"), OFF, "", 5),
        (D("2025-09-28"), WORK, "国庆节调休", 4),
        (D("2025-10-01"), OFF, "国庆节、中秋节", 3),
        (D("2025-10-02"), OFF, "国庆节、中秋节", 3),
        (D("2025-10-03"), OFF, "国庆节、中秋节", 3),
        (D("2025-10-11"), WORK, "国庆节调休", 6),
    ]


def test_csv_with_a_header() -> None:
    days = parse_arrangement(
        'kind,date_or_range,name\n放假,2025-05-01..2025-05-05,劳动节\n上班,2025-04-27,"劳动节调休"\n',
        2025,
    )
    assert len(days) == 6
    assert days[0] == days[0].__class__(D("2025-04-27"), WORK, "劳动节调休", 3)


def test_december_of_the_year_before_is_accepted() -> None:
    days = parse_arrangement("上班 2018-12-29 元旦调休\n放假 2018-12-30..2019-01-01 元旦\n", 2019)
    assert [d.date for d in days][:2] == [D("2018-12-29"), D("2018-12-30")]


@pytest.mark.parametrize(
    ("text", "line", "zh", "en"),
    [
        ("放假 2025-10-01\n休息 2025-10-02\n", 2, "“休息”不是“放假”或“上班”", "not a kind of day"),
        ("放假 2025-10-01\n放假\n", 2, "缺少日期", "has no date"),
        ("放假 2025-13-01 国庆节\n", 1, "“2025-13-01”不是YYYY-MM-DD格式的日期", "is not a date"),
        ("放假 2025/10/01\n", 1, "不是YYYY-MM-DD格式", "is not a date"),
        ("# c\n放假 2025-10-08..2025-10-01\n", 2, "结束日早于开始日", "ends before it starts"),
        ("放假 2025-01-01..2025-12-31\n", 1, "超过31天", "more than 31"),
        ("放假 2026-01-01\n", 1, "不属于2025年的安排", "not part of the 2025 arrangement"),
        ("放假 2024-11-30\n", 1, "不属于2025年的安排", "not part of the 2025 arrangement"),
        ("放假 2025-10-01\n上班 2025-09-29\n", 2, "本来就是工作日", "already a working day"),
        (
            "放假 2025-10-01..2025-10-08\n\n上班 2025-10-04\n",
            3,
            "2025-10-04 已在第1行列出",
            "already listed on line 1",
        ),
        ("kind,date,name\noff,2025-10-01\nwork,,x\n", 3, "缺少日期", "has no date"),
    ],
)
def test_errors_name_the_line_in_chinese_then_english(text, line, zh, en) -> None:
    with pytest.raises(ArrangementError) as caught:
        parse_arrangement(text, 2025)
    error = caught.value
    assert error.line == line
    message = str(error)
    zh_part, en_part = message.split(" / ", 1)
    assert zh_part.startswith(f"第{line}行：") and zh in zh_part
    assert en_part.startswith(f"line {line}: ") and en in en_part


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n", "上班 2025-09-28\n"])
def test_a_file_without_days_off_is_refused(text: str) -> None:
    with pytest.raises(ArrangementError, match="没有任何放假日.*lists no day off"):
        parse_arrangement(text, 2025)


def test_format_round_trips() -> None:
    text = (
        "上班 2025-01-26 春节调休\n放假 2025-01-28..2025-02-04 春节\n上班 2025-02-08 春节调休\n"
        "放假 2025-10-01..2025-10-08 国庆节、中秋节\n"
    )
    days = parse_arrangement(text, 2025)
    again = format_arrangement(days)
    assert again == text
    assert [(d.date, d.kind, d.name) for d in parse_arrangement(again, 2025)] == [
        (d.date, d.kind, d.name) for d in days
    ]


def test_the_documented_example_parses() -> None:
    """docs/calendar-format.md's full example year must be a valid file."""
    doc = DOC.read_text("utf-8")
    example = doc.split("```text\n", 1)[1].split("```", 1)[0]
    days = parse_arrangement(example, 2025)
    assert sum(d.kind == WORK for d in days) == 5
    assert D("2025-01-28") in {d.date for d in days}
    csv_example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    assert [(d.date, d.kind) for d in parse_arrangement(csv_example, 2025)] == [
        (d.date, d.kind) for d in days
    ]
