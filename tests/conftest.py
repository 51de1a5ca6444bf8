"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

import pytest


@pytest.fixture
def demo_county(db):
    """The demo county of ``gongkai demo`` (every step of DEMO_STEPS), loaded into the test database.

    Returns ``gongkai.demo``'s password for the demo accounts (``clerk``, ``supervisor``, …).
    """
    from gongkai.demo import load_demo
    from gongkai.demo.staff import DEMO_PASSWORD
    from gongkai.holidays.services import seed_calendar

    # A transactional test (browser tests) flushes what migrations loaded; the demo's
    # applications need the holiday tables.
    seed_calendar()
    load_demo(out=lambda _line: None)
    return DEMO_PASSWORD
