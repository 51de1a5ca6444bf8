"""The demo county gives the seed report's table 二 for 2020, from its records, and carries on."""

import json
from pathlib import Path

import pytest

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.normative.models import CleanupBatch, NormativeDocument
from gongkai.normative.selectors import narrative_figures, table_two

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[1] / "corpus" / "000-chengkou-2020.expected.json"


@pytest.fixture
def unit_ids(demo_county):
    unit = ReportingUnit.objects.get(name="城口县人民政府机关")
    return list(unit.agencies.values_list("pk", flat=True))


def test_2020_table_two_is_the_seeds_cell_for_cell_and_later_years_carry_on(unit_ids):
    """(One test, so the demo county is loaded once.)"""
    expected = json.loads(SEED.read_text(encoding="utf-8"))["proactive"]
    table = table_two(agency_ids=unit_ids, year=2020, fmt="2019")
    assert list(table) == list(expected)
    for row, columns in expected.items():
        assert list(table[row]) == list(columns), row
        for column, value in columns.items():
            assert table[row][column] == value, f"{row} / {column}: {table[row][column]!r}"
            assert table[row][column] is not None
    _text_figures_are_the_seeds(unit_ids)
    _the_2021_format_years_carry_on(unit_ids)


def _text_figures_are_the_seeds(unit_ids):
    seed = json.loads(SEED.read_text(encoding="utf-8"))["about_this_file"]["narrative_figures"]
    figures = narrative_figures(agency_ids=unit_ids, year=2020)
    assert figures == {
        "normative_made": seed["normative_documents_made"],
        "normative_abolished": seed["normative_documents_abolished"],
        "abolish_batches": seed["abolition_batches"],
        "normative_in_force": seed["normative_documents_in_force"],
        "regulations_made": 0,
    }
    # the two batches are the 2020 cleanup's, each with its decision
    batches = CleanupBatch.objects.filter(decided_on__year=2020, action="abolish")
    assert [b.ended_documents.count() for b in batches.order_by("number")] == [9, 6]
    assert all(b.decision_number.startswith("城府发〔2020〕") for b in batches)


def _the_2021_format_years_carry_on(unit_ids):
    last = table_two(agency_ids=unit_ids, year=2020, fmt="2021")["行政规范性文件"]["现行有效件数"]
    assert last == 102
    for year in range(2021, 2026):
        table = table_two(agency_ids=unit_ids, year=year, fmt="2021")
        row = table["行政规范性文件"]
        assert row["本年制发件数"] > 0 and row["本年废止件数"] > 0, year
        # in force at the end of the year = last year's + issued − abolished (no 有效期 in the demo)
        assert row["现行有效件数"] == last + row["本年制发件数"] - row["本年废止件数"], year
        assert table["规章"] == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0}
        assert table["行政许可"] == {"本年处理决定数量": 0}
        last = row["现行有效件数"]


def test_departments_have_records_of_their_own(demo_county):
    police = Agency.objects.get(slug="gaj")
    table = table_two(agency_ids=[police.pk], year=2022, fmt="2021")
    assert table["行政处罚"]["本年处理决定数量"] > 1000
    assert table["行政事业性收费"]["本年收费金额（单位：万元）"] > 0
    assert NormativeDocument.objects.filter(agency__slug="rlsbj", state="published").count() >= 10
    assert NormativeDocument.objects.filter(published_on__isnull=True).count() == 0
    # loading the demo again changes nothing
    from gongkai.demo import normative

    before = NormativeDocument.objects.count()
    normative.load(out=lambda _line: None)
    assert NormativeDocument.objects.count() == before
