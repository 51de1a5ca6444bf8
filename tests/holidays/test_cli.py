"""``gongkai clock`` and ``gongkai calendar``, run through gongkai.cli.main as a clerk would."""

import json

import pytest

from gongkai.cli import main
from gongkai.holidays.models import CalendarYear

pytestmark = pytest.mark.usefixtures("seeded")


def test_clock_plain_output_explains_every_day(capsys) -> None:
    assert main(["clock", "--received", "2019-09-20"]) == 0
    out = capsys.readouterr().out
    assert "2019-09-29（星期日）  第6个工作日（调休上班日：国庆节调休，计入）" in out
    assert "2019-10-01（星期二）  法定节假日放假（国庆节），不计" in out
    assert "2019-10-13（星期日）  周末休息日，不计" in out
    assert out.rstrip().endswith("答复期限 / reply due: 2019-10-23")


def test_clock_json(capsys) -> None:
    argv = ["clock", "--received", "2025-03-03", "--pause", "2025-03-10:2025-03-14"]
    assert main([*argv, "--extend", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == "2025-04-14"
    assert data["extension_days"] == 5
    assert [s["date"] for s in data["steps"] if s["kind"] == "paused"] == [
        "2025-03-11",
        "2025-03-12",
        "2025-03-13",
        "2025-03-14",
    ]


def test_clock_with_a_correction(capsys) -> None:
    argv = ["clock", "--received", "2021-02-01", "--correction", "2021-02-05:2021-02-08"]
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2021-03-12"
    assert main(["clock", "--received", "2021-02-01", "--correction", "2021-02-05"]) == 0
    assert "停止计算" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["--received", "2025-02-30"], "不是YYYY-MM-DD格式的日期", "is not a date"),
        ([], "缺少收到申请的日期", "is missing"),
        (
            ["--received", "2025-03-03", "--correction", "2025-03-05:2025-03-04"],
            "早于要求补正的日期",
            "before the correction was requested",
        ),
        (
            ["--received", "2025-03-03", "--correction", "2025-03-13:2025-03-14"],
            "晚于收到申请后第7个工作日",
            "after the 7th working day",
        ),
        (
            [
                "--received",
                "2025-03-03",
                "--correction",
                "2025-03-04:2025-03-05",
                "--correction",
                "2025-03-06:2025-03-07",
            ],
            "补正只能要求一次",
            "only once",
        ),
        (["--received", "2025-03-03", "--extend", "21"], "1至20个工作日", "1 to 20"),
        (["--received", "2025-03-03", "--extend", "0"], "1至20个工作日", "1 to 20"),
        (["--received", "2025-03-03", "--extend", "two"], "1至20的整数", "whole number"),
        (["--received", "2025-03-03", "--pause", "2025-03-10"], "A:B", "A:B"),
        (
            ["--received", "2025-03-03", "--pause", "2025-03-10:2025-03-09"],
            "早于开始日",
            "before it starts",
        ),
        (
            ["--received", "2027-03-01"],
            "缺少2027年的节假日安排",
            "gongkai calendar import 2027 FILE",
        ),
    ],
)
def test_clock_bad_input_exits_2_with_a_bilingual_message(capsys, argv, zh, en) -> None:
    assert main(["clock", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gongkai clock: ")
    zh_part, en_part = captured.err.split(" / ", 1)
    assert zh in zh_part and en in en_part
    assert "Traceback" not in captured.err


def test_import_makes_2027_work_and_without_it_the_clock_fails(capsys, tmp_path, arrangement_2027):
    assert main(["clock", "--received", "2027-03-01"]) == 2
    err = capsys.readouterr().err
    assert "2027" in err and "gongkai calendar import 2027 FILE" in err
    path = tmp_path / "2027.txt"
    path.write_text(arrangement_2027, encoding="utf-8")
    assert main(["calendar", "import", "2027", str(path), "--source", "测试"]) == 0
    assert "导入2027年节假日安排（测试）" in capsys.readouterr().out
    assert main(["clock", "--received", "2027-03-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2027-03-29"
    assert main(["calendar", "years"]) == 0
    assert "2004–2027" in capsys.readouterr().out
    assert main(["calendar", "show", "2027"]) == 0
    out = capsys.readouterr().out
    assert "2027-02-20 星期六  春节调休" in out and "导入" in out and "测试" in out


def test_calendar_import_bad_file_exits_2_and_saves_nothing(capsys, tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("放假 2027-01-01 元旦\n上班 2027-01-04 元旦调休\n", encoding="utf-8")
    assert main(["calendar", "import", "2027", str(path)]) == 2
    err = capsys.readouterr().err
    assert "第2行" in err and "line 2" in err
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert main(["calendar", "import", "2027", str(tmp_path / "missing.txt")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["calendar", "import", "20x7", str(path)]) == 2
    assert "不是有效的年份" in capsys.readouterr().err


def test_calendar_show(capsys) -> None:
    assert main(["calendar", "show", "2019"]) == 0
    out = capsys.readouterr().out
    assert "2019-09-29 星期日  国庆节调休" in out
    assert "2019-10-12 星期六  国庆节调休" in out
    assert "随软件预置" in out and "chinese_calendar" in out
    assert main(["calendar", "show", "2030"]) == 2
    assert "gongkai calendar import 2030 FILE" in capsys.readouterr().err


def test_calendar_show_as_file_round_trips(capsys, tmp_path) -> None:
    assert main(["calendar", "show", "2020", "--as-file"]) == 0
    text = capsys.readouterr().out
    assert "放假 2020-01-24..2020-02-02 春节" in text
    path = tmp_path / "2020.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["calendar", "import", "2020", str(path)]) == 0
    assert "与原有数据相同" in capsys.readouterr().out


def test_calendar_without_an_action_prints_help(capsys) -> None:
    assert main(["calendar"]) == 2
    assert "import" in capsys.readouterr().out
