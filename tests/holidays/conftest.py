"""Fixtures for the holidays app's tests."""

import pytest

from gongkai.holidays import services

#: A made-up 2027 arrangement for tests (NOT the State Council's notice): 2027 is beyond what
#: chinese_calendar ships, so it exercises the import path.
ARRANGEMENT_2027 = """\
# 测试用的假想2027年安排（并非国务院通知）
放假 2027-01-01..2027-01-03 元旦
放假 2027-02-06..2027-02-13 春节
上班 2027-02-20 春节调休
"""


@pytest.fixture
def seeded(db):
    """The seeded 2004–2026 calendar, restored if a transactional test elsewhere flushed it."""
    services.seed_calendar()


@pytest.fixture
def hook_calls():
    """Register a change hook for the test; yields the list of calls it received."""
    calls = []

    def hook(years, actor):
        calls.append((years, actor))

    services.register_calendar_change_hook(hook)
    yield calls
    services.unregister_calendar_change_hook(hook)


@pytest.fixture
def arrangement_2027() -> str:
    return ARRANGEMENT_2027
