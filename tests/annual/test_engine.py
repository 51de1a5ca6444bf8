"""Table 三 straight from the records: the seed county, every disposition, carry-over, balance."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual.checks import check_document
from gongkai.annual.engine import ApplicationRecord, build_document, tally_applications
from gongkai.annual.formats import APPLICANT_COLUMN_KEYS, BY_CODE, format_for_year
from gongkai.law.applicants import ApplicantKind
from gongkai.law.dispositions import Disposition, TransferCounting, row_for

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = json.loads((CORPUS / "000-chengkou-2020.expected.json").read_text(encoding="utf-8"))
NP = ApplicantKind.NATURAL_PERSON


def record(kind, received, closed=None, disposition=None) -> ApplicationRecord:
    return ApplicationRecord(kind, received, closed, disposition)


def test_the_seed_county_2020() -> None:
    """城口县人民政府机关 2020: 2 applications from natural persons, both granted (the seed)."""
    records = [
        record(NP, date(2020, 6, 3), date(2020, 6, 19), Disposition.GRANTED),
        record(NP, date(2020, 9, 14), date(2020, 9, 25), Disposition.GRANTED),
    ]
    assert tally_applications(records, year=2020) == SEED["applications"]
    doc = build_document(
        agency="城口县人民政府机关",
        year=2020,
        records=records,
        proactive=SEED["proactive"],
        review_litigation=SEED["review_litigation"],
    )
    expected = {k: v for k, v in SEED.items() if k != "about_this_file"}
    assert {k: v for k, v in doc.items() if k != "findings"} == expected
    assert check_document(doc) == []


@pytest.mark.parametrize("year", [2020, 2021], ids=["format-2019", "format-2021"])
@pytest.mark.parametrize("disposition", list(Disposition))
def test_every_disposition_lands_in_its_row(year: int, disposition: Disposition) -> None:
    spec = format_for_year(year)
    kind = ApplicantKind.LEGAL_SERVICE
    table = tally_applications(
        [record(kind, date(year, 3, 2), date(year, 4, 1), disposition)], year=year
    )
    row = row_for(disposition, spec.code)
    for key in spec.outcome_row_keys:
        expected = 1 if key == row else 0
        assert table[key][kind.value] == expected, key
        assert table[key]["total"] == expected, key
    assert table["new_received"]["total"] == table["total_processed"]["total"] == 1
    assert table["carried_forward"]["total"] == table["carried_over"]["total"] == 0
    assert table["total_processed"][NP.value] == 0


def test_partial_counts_only_as_partial() -> None:
    table = tally_applications(
        [record(NP, date(2022, 5, 5), date(2022, 5, 30), "partial")], year=2022
    )
    counted = {row for row, cells in table.items() if cells["total"]}
    assert counted == {"new_received", "partial", "total_processed"}


def test_carry_over_across_a_year_end() -> None:
    records = [record(ApplicantKind.COMMERCIAL, date(2021, 12, 20), date(2022, 1, 10), "not_exist")]
    y2021 = tally_applications(records, year=2021)
    y2022 = tally_applications(records, year=2022)
    assert y2021["new_received"]["commercial"] == 1
    assert y2021["carried_forward"]["commercial"] == 1
    assert y2021["total_processed"]["total"] == 0
    assert y2022["carried_over"]["commercial"] == 1
    assert y2022["new_received"]["total"] == 0
    assert y2022["unable_not_held"]["commercial"] == 1
    assert y2022["carried_forward"]["total"] == 0
    assert all(cells["total"] == 0 for cells in tally_applications(records, year=2023).values())
    assert all(cells["total"] == 0 for cells in tally_applications(records, year=2020).values())


def test_closed_on_31_december_is_not_carried_forward() -> None:
    records = [record(NP, date(2023, 12, 29), date(2023, 12, 31), "granted")]
    assert tally_applications(records, year=2023)["carried_forward"]["total"] == 0
    assert tally_applications(records, year=2024)["carried_over"]["total"] == 0


def test_open_for_years_is_carried_every_year() -> None:
    records = [record(ApplicantKind.RESEARCH, date(2019, 11, 1))]
    for year in (2019, 2020, 2021, 2022):
        table = tally_applications(records, year=year)
        assert table["carried_forward"]["research"] == 1
        assert table["carried_over"]["research"] == (0 if year == 2019 else 1)


def test_format_can_be_chosen_and_transfers_follow_the_setting() -> None:
    records = [record(ApplicantKind.OTHER_ORG, date(2020, 3, 2), date(2020, 3, 9), "transferred")]
    assert tally_applications(records, year=2020)["other"]["other_org"] == 1
    assert tally_applications(records, year=2020, fmt="2021")["other_other"]["other_org"] == 1
    as_36_5 = tally_applications(
        records, year=2020, transfer_counting=TransferCounting.NOT_RESPONSIBLE
    )
    assert as_36_5["unable_not_held"]["other_org"] == 1
    assert as_36_5["other"]["other_org"] == 0


def test_bad_records_are_refused() -> None:
    with pytest.raises(ValueError, match="办结日期与处理结果须同时填写"):
        record(NP, date(2020, 1, 2), date(2020, 1, 3))
    with pytest.raises(ValueError, match="早于收到申请日期"):
        record(NP, date(2020, 1, 2), date(2020, 1, 1), "granted")
    with pytest.raises(ValueError):
        record("citizen", date(2020, 1, 2))


def test_build_document_merges_the_other_parts() -> None:
    doc = build_document(
        agency="某县某局",
        year=2022,
        records=[],
        proactive={"行政许可": {"本年处理决定数量": 12}},
        review_litigation={"review": {"upheld": 2, "corrected": 1}},
        sections={"overview": "总体情况……", "other": "本年度未收取信息处理费。"},
    )
    assert doc["format"] == "2021"
    assert doc["proactive"]["行政许可"]["本年处理决定数量"] == 12
    assert doc["proactive"]["行政处罚"]["本年处理决定数量"] == 0
    assert doc["review_litigation"]["review"] == {
        "upheld": 2,
        "corrected": 1,
        "other": 0,
        "pending": 0,
        "total": 3,
    }
    assert doc["sections"]["other"] == "本年度未收取信息处理费。"
    assert check_document(doc) == []
    assert doc["findings"] == []


def test_build_document_reports_what_the_given_cells_break() -> None:
    doc = build_document(
        agency="某县某局",
        year=2022,
        records=[],
        review_litigation={"review": {"upheld": 2, "total": 1}},
        previous=build_document(
            agency="某县某局", year=2021, records=[record(NP, date(2021, 12, 30))]
        ),
    )
    assert {f["rule"] for f in doc["findings"]} == {"cross_year.carry", "t4.total"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"proactive": {"政府集中采购": {"采购项目数量": 1}}}, "proactive.政府集中采购"),
        ({"proactive": {"行政许可": {"上一年项目数量": 1}}}, "proactive.行政许可.上一年项目数量"),
        ({"review_litigation": {"appeal": {"upheld": 1}}}, "review_litigation.appeal"),
        ({"sections": {"summary": "…"}}, "未知的报告部分"),
    ],
)
def test_build_document_refuses_cells_the_format_has_not(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        build_document(agency="某县某局", year=2022, records=[], **kwargs)


# --- properties -------------------------------------------------------------------------------

YEARS = range(2019, 2025)


@st.composite
def records_strategy(draw) -> ApplicationRecord:
    received = draw(st.dates(date(2018, 6, 1), date(2024, 12, 31)))
    kind = draw(st.sampled_from(list(ApplicantKind)))
    if draw(st.booleans()):
        return record(kind, received)
    closed = received + timedelta(days=draw(st.integers(0, 500)))
    return record(kind, received, closed, draw(st.sampled_from(list(Disposition))))


def _assert_rules(table: dict, code: str) -> None:
    outcomes = BY_CODE[code].outcome_row_keys
    for col in (*APPLICANT_COLUMN_KEYS, "total"):
        assert (
            table["new_received"][col] + table["carried_over"][col]
            == table["total_processed"][col] + table["carried_forward"][col]
        )
        assert table["total_processed"][col] == sum(table[row][col] for row in outcomes)
    for cells in table.values():
        assert cells["total"] == sum(cells[col] for col in APPLICANT_COLUMN_KEYS)
        assert all(isinstance(v, int) and v >= 0 for v in cells.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(records_strategy(), max_size=40))
def test_any_records_give_tables_that_pass_every_check(records: list[ApplicationRecord]) -> None:
    previous = None
    for year in YEARS:
        doc = build_document(agency="某县", year=year, records=records)
        _assert_rules(doc["applications"], doc["format"])
        assert check_document(doc, previous=previous) == []
        if previous is not None:
            for col in (*APPLICANT_COLUMN_KEYS, "total"):
                assert (
                    doc["applications"]["carried_over"][col]
                    == previous["applications"]["carried_forward"][col]
                )
        previous = doc
    # Over all the years, every record received in them is counted exactly once as new.
    received = sum(1 for r in records if r.received_on.year in YEARS)
    assert received == sum(
        tally_applications(records, year=y)["new_received"]["total"] for y in YEARS
    )
