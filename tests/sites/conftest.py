import pytest

from gongkai.sites import visits


@pytest.fixture(autouse=True)
def no_pending_visits():
    """Views counted in memory belong to one test's database only."""
    visits.discard()
    yield
    visits.discard()
