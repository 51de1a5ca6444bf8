"""Table 二 and the text's figures, from the records, in both formats (docs/normative.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.annual.formats import get_format
from gongkai.normative.figures import save_figures
from gongkai.normative.models import NormativeDocument
from gongkai.normative.selectors import PROACTIVE_CELLS, narrative_figures, table_two
from gongkai.normative.steps import STEPS
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_cell_of_the_template_has_a_source(fmt):
    cells = {
        (row, col)
        for table in get_format(fmt).proactive
        for row in table.rows
        for col in table.columns
    }
    assert set(PROACTIVE_CELLS[fmt]) == cells


@pytest.fixture
def records(keeper, publish, government, office, police):
    """2019: 3 published; 2020: 2 published (one signed in 2019), 1 abolished; a regulation."""
    a = publish(D(2019, 3, 1))
    b = publish(D(2019, 6, 1))
    publish(D(2019, 9, 1), agency=office)
    late = publish(D(2020, 1, 6), lead_days=(60, 40, 20))  # signed 2019-12-17
    assert late.signed_on == D(2019, 12, 17)
    publish(D(2020, 5, 1))
    STEPS.run("abolish", actor=keeper, record=a, on=D(2020, 8, 1), decision_title="第一批废止决定")
    STEPS.run("amend", actor=keeper, record=b, on=D(2020, 8, 1), decision_title="修改决定")
    publish(D(2020, 10, 1), kind=NormativeDocument.Kind.REGULATION)
    publish(D(2020, 4, 1), agency=police, actor=f.staff("p", police))  # not in the unit
    values = {"prior_items": 10, "change": -2, "decisions": 120}
    save_figures(actor=keeper, agency=government, year=2020, item="licensing", values=values)
    save_figures(actor=keeper, agency=office, year=2020, item="licensing", values={"decisions": 5})
    save_figures(
        actor=keeper,
        agency=office,
        year=2020,
        item="fees",
        values={"prior_items": 3, "change": 1, "amount": "12.5"},
    )
    save_figures(actor=keeper, agency=government, year=2020, item="fees", values={"amount": "0.25"})
    save_figures(
        actor=keeper,
        agency=government,
        year=2020,
        item="procurement",
        values={"projects": 4, "amount": "310"},
    )
    return [government.pk, office.pk]


def test_table_two_2019_format(records, django_assert_num_queries):
    with django_assert_num_queries(2):
        table = table_two(agency_ids=records, year=2020, fmt="2019")
    assert table["规范性文件"] == {"本年新制作数量": 1, "本年新公开数量": 2, "对外公开总数量": 4}
    assert table["规章"] == {"本年新制作数量": 1, "本年新公开数量": 1, "对外公开总数量": 1}
    assert table["行政许可"] == {"上一年项目数量": 10, "本年增/减": -2, "处理决定数量": 125}
    assert table["行政事业性收费"] == {"上一年项目数量": 3, "本年增/减": 1}
    assert table["政府集中采购"] == {"采购项目数量": 4, "采购总金额": Decimal("310")}
    assert str(table["政府集中采购"]["采购总金额"]) == "310"
    # nobody entered these: blank, not a guessed 0
    assert table["行政处罚"] == {"上一年项目数量": None, "本年增/减": None, "处理决定数量": None}
    assert list(table) == [
        "规章",
        "规范性文件",
        "行政许可",
        "其他对外管理服务事项",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "政府集中采购",
    ]


def test_table_two_2021_format(records, django_assert_num_queries):
    with django_assert_num_queries(2):
        table = table_two(agency_ids=records, year=2020, fmt="2021")
    assert table["行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 4}
    assert table["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    assert table["行政许可"] == {"本年处理决定数量": 125}
    assert table["行政事业性收费"] == {"本年收费金额（单位：万元）": Decimal("12.75")}
    assert list(table) == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    last = table_two(agency_ids=records, year=2019, fmt="2021")["行政规范性文件"]
    assert last == {"本年制发件数": 3, "本年废止件数": 0, "现行有效件数": 3}


def test_narrative_figures(records, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = narrative_figures(agency_ids=records, year=2020)
    assert figures == {
        "normative_made": 2,
        "normative_abolished": 1,
        "abolish_batches": 1,
        "normative_in_force": 4,
        "regulations_made": 1,
    }


def test_an_unknown_format_is_refused(records):
    with pytest.raises(ValueError):
        table_two(agency_ids=records, year=2020, fmt="2020")
