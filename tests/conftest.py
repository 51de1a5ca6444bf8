"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py.

Two agencies and a clerk of the first, for every app's tests (a directory may override one,
as tests/applications does to restore the holiday tables).
"""

import pytest


@pytest.fixture
def demo_county(db):
    """The demo county of ``gongkai demo`` (every step of DEMO_STEPS), loaded into the test database.

    Returns ``gongkai.demo``'s password for the demo accounts (``clerk``, ``supervisor``, …).
    """
    from gongkai.demo import load_demo
    from gongkai.demo.staff import DEMO_PASSWORD

    # The holiday tables the demo's applications need survive a transactional test's flush:
    # the holidays app re-seeds an empty calendar after every flush (post_migrate).
    load_demo(out=lambda _line: None)
    return DEMO_PASSWORD


@pytest.fixture
def office(db):
    from gongkai.testing import factories as f

    return f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")


@pytest.fixture
def police(db):
    from gongkai.testing import factories as f

    return f.agency("police", "城口县公安局", short_name="县公安局")


@pytest.fixture
def clerk(office):
    from gongkai.testing import factories as f

    return f.staff("clerk", office, "clerk")


@pytest.fixture
def empty_cache(db):
    """An empty cache before and after the test (rate limits and the login throttle count there;
    the cache is a database table by default, so this needs the database).

    Use with ``pytestmark = pytest.mark.usefixtures("empty_cache")``.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
