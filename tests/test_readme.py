"""README.md documents every ``gongkai`` command, option and environment variable (like
sqlite-utils' test that every CLI command is documented)."""

import argparse
import re
from pathlib import Path

import pytest

from gongkai.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(command: str) -> str:
    match = re.search(rf"^### `gongkai {command}`\n(.*?)(?=^#|\Z)", README, re.M | re.S)
    assert match, f"README.md has no section '### `gongkai {command}`'"
    return match.group(1)


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def long_options(parser: argparse.ArgumentParser) -> list[str]:
    options = [
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    for sub in subparsers(parser).values():
        options += long_options(sub)
    return options


COMMAND_PARSERS = subparsers(build_parser())


def test_every_command_is_listed():
    assert set(COMMAND_PARSERS) == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_a_section(command):
    assert section(command).strip()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_documented(command):
    text = section(command)
    missing = [
        option for option in long_options(COMMAND_PARSERS[command]) if f"`{option}" not in text
    ]
    assert not missing, f"README.md's section on gongkai {command} does not mention {missing}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_action_is_documented(command):
    text = section(command)
    missing = [
        name
        for name in subparsers(COMMAND_PARSERS[command])
        if f"gongkai {command} {name}" not in text
    ]
    assert not missing, (
        f"README.md's section on gongkai {command} does not mention actions {missing}"
    )


def environment_variables() -> set[str]:
    pattern = re.compile(
        r'(?:env_(?:str|bool|int|list)\(|(?<!``os\.)environ(?:\.get)?[\[(])\s*"([A-Z][A-Z0-9_]+)"'
    )
    found = set()
    for path in [*(ROOT / "src").rglob("*.py"), *(ROOT / "tests" / "browser").rglob("conftest.py")]:
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    # (A ``os.environ…`` in double backticks is an example in a docstring.)
    # Set by gongkai for its own machinery, not by a person.
    return found - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_environment_variables_are_found():
    assert {"GONGKAI_DATA_DIR", "DATABASE_URL", "GONGKAI_DEBUG"} <= environment_variables()


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_documented(name):
    assert f"`{name}`" in README, f"README.md does not document the environment variable {name}"


def test_quick_start_is_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick_start, re.S)
    assert [block.strip() for block in blocks] == ["uv run gongkai demo", "uv run pytest"]
