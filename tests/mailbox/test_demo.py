"""The demo county's mailbox and register: the seed report's 2020 letters, and table 四 for
2021–2025 from the register."""

import pytest

from gongkai.agencies.models import ReportingUnit
from gongkai.appeals.models import Case
from gongkai.appeals.selectors import table_four
from gongkai.mailbox.models import Letter, Mailbox
from gongkai.mailbox.selectors import mailbox_stats, narrative_figures

pytestmark = pytest.mark.django_db


def unit_agencies():
    unit = ReportingUnit.objects.get(slug="county-government-organs")
    return list(unit.agencies.values_list("pk", flat=True))


def test_2020_has_255_letters_all_answered_online(demo_county):
    box = Mailbox.objects.get(slug="county-head")
    s = mailbox_stats(year=2020, mailbox_ids=[box.pk])
    assert (s["received"], s["answered"], s["answered_online"]) == (255, 255, 255)
    assert s["answer_rate"] == 1.0 and s["answered_on_time"] == 255
    assert narrative_figures(agency_ids=unit_agencies(), year=2020) == {
        "letters_received": 255,
        "letters_answered": 255,
        "answer_rate": 1.0,
        "answered_online": 255,
    }
    published = Letter.objects.filter(received_on__year=2020, published=True)
    assert 0 < published.count() < 255
    assert not published.filter(consent_to_publish=False).exists()
    for letter in published:
        assert letter.writer_name not in letter.public_reply


def test_later_years_leave_some_letters_unanswered(demo_county):
    rates = [
        narrative_figures(agency_ids=unit_agencies(), year=y)["answer_rate"]
        for y in range(2021, 2026)
    ]
    assert all(0.9 < rate <= 1 for rate in rates)
    assert any(rate < 1 for rate in rates)


def test_table_four_comes_from_the_register(demo_county):
    agencies = unit_agencies()
    assert table_four(agency_ids=agencies, year=2020)["review"]["total"] == 0
    totals = {group: 0 for group in ("review", "litigation_direct", "litigation_after_review")}
    pending = 0
    for year in range(2021, 2026):
        table = table_four(agency_ids=agencies, year=year)
        for group, cells in table.items():
            assert (
                cells["total"]
                == cells["upheld"] + cells["corrected"] + cells["other"] + cells["pending"]
            )
            totals[group] += cells["total"]
            pending += cells["pending"]
    assert all(n > 0 for n in totals.values()), totals
    assert pending > 0  # some open at the end of their year
    assert sum(totals.values()) == Case.objects.filter(filed_on__year__gte=2021).count()


# Loading twice adds no letter or case: tests/demo/test_demo_county.py checks every table's
# row count after a second load.
