"""Bad input to ``gongkai`` ends with a message, Chinese first then English, and exit status 2:
never a Python traceback. Run as real processes, as a person or a cron job runs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def gongkai(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    child_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    child_env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=child_env,
        capture_output=True,
        text=True,
    )


def assert_usage_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    chinese, _, english = message.partition(" / ")
    assert english, f"no ' / ' between Chinese and English: {message!r}"
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese), message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize(
    ("variable", "value", "args"),
    [
        ("GONGKAI_DEBUG", "maybe", ("calendar", "years")),
        ("GONGKAI_DEBUG", "maybe", ("manage", "check")),
        ("GONGKAI_THREADS", "many", ("serve",)),
        ("DATABASE_URL", "foo://db.example/gongkai", ("calendar", "years")),
        ("DATABASE_URL", "postgres://u@127.0.0.1:notaport/db", ("manage", "migrate")),
    ],
)
def test_a_bad_environment_variable_is_named_without_a_traceback(tmp_path, variable, value, args):
    result = gongkai(tmp_path, *args, **{variable: value})
    assert_usage_error(result, variable)


@pytest.mark.parametrize(
    "args",
    [
        ("clock", "--received", "2025-09-26", "--bogus"),
        ("clock", "--received"),
        ("audit", "--format", "xml", str(CORPUS / "000-chengkou-2020.txt")),
        ("calendar", "show"),
        ("no-such-command",),
    ],
)
def test_argument_errors_are_in_chinese_and_english(tmp_path, args):
    assert_usage_error(gongkai(tmp_path, *args))


def test_a_bad_option_value_of_a_management_command_is_not_a_traceback(tmp_path):
    result = gongkai(tmp_path, "manage", "send_deadline_reminders", "--dry-run", "--today", "x")
    assert_usage_error(result, "YYYY-MM-DD")


def test_output_cut_short_by_a_closed_pipe_is_not_a_traceback(tmp_path):
    """``gongkai audit … | head`` closes the pipe early: stop quietly, like any Unix tool."""
    child_env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "gongkai", "audit", "--format", "table", str(CORPUS)]
    with subprocess.Popen(
        command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        process.stdout.close()  # the reader is gone before the first line is written
        stderr = process.stderr.read().decode()
        process.wait()
    assert "Traceback" not in stderr, stderr
    assert "BrokenPipeError" not in stderr, stderr
    assert process.returncode != 0


@pytest.mark.parametrize("args", [("calendar", "years"), ("manage", "migrate")])
def test_a_database_that_cannot_be_reached_is_a_message_not_a_traceback(tmp_path, args):
    """A newcomer's PostgreSQL is not running, or the database was never created."""
    result = gongkai(tmp_path, *args, DATABASE_URL="postgres://postgres@127.0.0.1:1/gongkai")
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "无法连接数据库" in result.stderr and "DATABASE_URL" in result.stderr, result.stderr


def test_clock_refuses_a_missing_year_unless_asked_for_a_provisional_date(tmp_path):
    refused = gongkai(tmp_path, "clock", "--received", "2035-01-10")
    assert_usage_error(refused, "gongkai calendar import 2035")
    provisional = gongkai(tmp_path, "clock", "--received", "2035-01-10", "--provisional")
    assert provisional.returncode == 0, provisional.stderr
    assert "答复期限（暂定） / provisional due date: 2035-02-" in provisional.stdout
    assert "缺少2035年节假日安排" in provisional.stdout
    as_json = gongkai(tmp_path, "clock", "--received", "2035-01-10", "--provisional", "--json")
    import json

    data = json.loads(as_json.stdout)
    assert data["provisional_years"] == [2035] and data["due"].startswith("2035-02-")
