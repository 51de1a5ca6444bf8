"""Fixtures for the applications app: an office with a clerk, an approver, and a stranger."""

import pytest

from gongkai.holidays import services as holidays
from gongkai.testing import factories as f


@pytest.fixture
def office(db):
    holidays.seed_calendar()  # restored if a transactional test elsewhere flushed it
    return f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")


@pytest.fixture
def police(db):
    return f.agency("police", "城口县公安局", short_name="县公安局")


@pytest.fixture
def clerk(office):
    return f.staff("clerk", office, "clerk")


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def stranger(police):
    """A clerk of another agency."""
    return f.staff("police-clerk", police, "clerk")
