import pytest

from gongkai.testing import factories as f


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")
