"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

import pytest


@pytest.fixture
def demo_county(db):
    """The demo county of ``gongkai demo`` (agencies and staff), loaded into the test database.

    Returns ``gongkai.demo``'s password for the demo accounts (``clerk``, ``supervisor``, …).
    """
    from gongkai.demo import load_demo
    from gongkai.demo.staff import DEMO_PASSWORD

    load_demo(out=lambda _line: None)
    return DEMO_PASSWORD
