"""The county government and its office reporting as one unit, and a clerk of the office."""

import datetime as dt

import pytest

from gongkai.agencies.models import ReportingUnit
from gongkai.normative.steps import record_published
from gongkai.testing import factories as f


@pytest.fixture
def government(db):
    return f.agency("county-government", "城口县人民政府", short_name="县政府")


@pytest.fixture
def unit(government, office):
    unit = ReportingUnit.objects.create(name="城口县人民政府机关", slug="organs")
    unit.agencies.set([government, office])
    return unit


@pytest.fixture
def keeper(unit, office):
    """A clerk of the office: keeps the government's documents too (same reporting unit)."""
    return f.staff("keeper", office, "clerk")


@pytest.fixture
def publish(keeper, government):
    """Record a published document of the government (or ``agency``) through every step."""
    serial = iter(range(1, 10_000))

    def make(published_on: dt.date, *, agency=None, **fields):
        n = next(serial)
        return record_published(
            actor=fields.pop("actor", keeper),
            agency=agency or government,
            title=fields.pop("title", f"城口县测试管理办法之{n}"),
            doc_number=fields.pop("doc_number", f"城府发〔{published_on.year}〕{n}号"),
            published_on=published_on,
            review_ref=fields.pop("review_ref", f"城司审〔{published_on.year}〕{n}号"),
            deliberation_ref=fields.pop("deliberation_ref", "县政府第1次常务会议"),
            **fields,
        )

    return make
