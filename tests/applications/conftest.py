"""Fixtures for the applications app; ``office``, ``police`` and ``clerk`` are in tests/conftest.py."""

import pytest

from gongkai.testing import factories as f


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def stranger(police):
    """A clerk of another agency."""
    return f.staff("police-clerk", police, "clerk")
