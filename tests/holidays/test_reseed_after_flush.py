"""A flushed database (``manage flush``, Django's transactional tests) gets the shipped calendar back."""

from datetime import date

import pytest
from django.core.management import call_command

from gongkai.holidays import services
from gongkai.holidays.models import CalendarYear


@pytest.mark.django_db(transaction=True)
def test_flush_reseeds_the_shipped_years():
    call_command("flush", interactive=False, verbosity=0)
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2004, 2020, 2026} <= years
    assert services.load_calendar().is_working_day(date(2020, 2, 1)) is False


@pytest.mark.django_db
def test_a_kept_calendar_is_not_reseeded():
    services.delete_year(year=2005, actor=None)
    call_command("migrate", interactive=False, verbosity=0)
    assert not CalendarYear.objects.filter(year=2005).exists()
