from datetime import date, datetime, time
from itertools import count

import pytest
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.testing import factories as f
from tests.annualreport import fake_sources

_serial = count(1)


@pytest.fixture
def sources(settings):
    """Every report source connected, answering the seed's figures (fake_sources.STATE)."""
    fake_sources.reset()
    settings.GONGKAI_REPORT_SOURCES = dict(fake_sources.SOURCES)
    yield fake_sources.STATE
    fake_sources.reset()


@pytest.fixture
def no_sources(settings):
    settings.GONGKAI_REPORT_SOURCES = {}


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


def make_application(
    agency,
    *,
    kind="natural_person",
    received_on: date,
    closed_on: date | None = None,
    disposition: str = "",
    due_on: date | None = None,
):
    """One application row as the report reads it (the workflow is tested in applications)."""
    n = next(_serial)
    return Application.objects.create(
        agency=agency,
        tracking_code=f"T{n:011d}",
        reference=f"城府公开〔{received_on.year}〕{n}号",
        reference_year=received_on.year,
        reference_serial=n,
        channel="online",
        submitted_at=timezone.make_aware(datetime.combine(received_on, time(9))),
        received_on=received_on,
        state="replied" if closed_on else "accepted",
        applicant_kind=kind,
        applicant_name="张三" if kind == "natural_person" else "某公司",
        description="文件",
        disposition=disposition,
        closed_on=closed_on,
        due_on=due_on,
    )
