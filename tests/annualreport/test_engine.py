"""The report computed from records: table 三 by grouped queries equals the core tally, sources
fill tables 二 and 四 and the 总体情况 figures, and a missing source is said, never zero-filled."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import ReportingUnit
from gongkai.annual.engine import tally_applications
from gongkai.annualreport.engine import (
    Subject,
    applications_behind,
    compute,
    compute_all,
    find_subject,
    table_three,
)
from gongkai.applications.services.reporting import application_records
from gongkai.law.dispositions import Disposition
from tests.annualreport.conftest import make_application

KINDS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]

records = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=900),  # received this many days after 1 Jan 2019
        st.one_of(st.none(), st.tuples(st.integers(0, 400), st.sampled_from(list(Disposition)))),
    ),
    max_size=25,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=records, year=st.sampled_from([2019, 2020, 2021]))
@pytest.mark.django_db
def test_grouped_table_three_equals_the_core_tally(rows, year, office, django_db_blocker):
    from django.db import transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for kind, offset, end in rows:
                received = date(2019, 1, 1) + timedelta(days=offset)
                closed, disposition = (None, "")
                if end is not None:
                    closed, disposition = received + timedelta(days=end[0]), end[1].value
                make_application(
                    office,
                    kind=kind,
                    received_on=received,
                    closed_on=closed,
                    disposition=disposition,
                )
            expected = tally_applications(application_records(office, year), year=year)
            assert table_three([office.pk], year) == expected
            raise Rollback
    except Rollback:
        pass


def test_the_demo_units_2020_table_three_is_the_seeds(demo_county, no_sources):
    import json
    from pathlib import Path

    seed = json.loads(
        (Path(__file__).parents[1] / "corpus" / "000-chengkou-2020.expected.json").read_text(
            encoding="utf-8"
        )
    )
    subject = find_subject("县人民政府机关")
    assert subject.unit is not None and subject.name == "城口县人民政府机关"
    doc = compute(subject, 2020).document
    assert doc["applications"] == seed["applications"]
    assert doc["format"] == "2019" and doc["year"] == 2020


def test_subjects_by_slug_name_short_name_and_name_end(demo_county):
    assert find_subject("county-government-organs").unit.slug == "county-government-organs"
    assert find_subject("城口县公安局").agency.slug == "gaj"
    assert find_subject("县公安局").agency.slug == "gaj"
    assert find_subject("gaj").name == "城口县公安局"
    with pytest.raises(LookupError, match="找不到"):
        find_subject("不存在的局")
    with pytest.raises(LookupError, match="多个"):
        find_subject("局")  # the end of many names


def test_missing_sources_leave_cells_null_and_say_so(office, no_sources):
    make_application(office, received_on=date(2022, 3, 1))
    computed = compute(Subject.of(office), 2022)
    doc = computed.document
    assert all(v is None for cells in doc["proactive"].values() for v in cells.values())
    assert all(v is None for cells in doc["review_litigation"].values() for v in cells.values())
    missing = [f for f in doc["findings"] if f["rule"] == "source.missing"]
    assert {f["message"].split("“")[1].split("”")[0] for f in missing} == {
        "table_two",
        "table_four",
    }
    assert all(f["severity"] == "error" for f in missing)
    assert len(missing[0]["cells"]) == 10  # every cell of the 2021 format's table 二
    # No cell.blank noise for cells that have no source: the one finding says it.
    assert not [f for f in doc["findings"] if f["rule"] == "cell.blank"]
    # The draft marks what it lacks and states only what the records give.
    overview = doc["sections"]["overview"]
    assert "共收到政府信息公开申请1件" in overview
    assert "【待补充：政府网站数（数据来源“sites”未接入）】" in overview
    assert "4891" not in overview
    assert [f for f in doc["findings"] if f["rule"] == "narrative.placeholder"]


def test_sources_fill_the_tables_and_the_overview(demo_county, sources):
    unit = ReportingUnit.objects.get(slug="county-government-organs")
    computed = compute(Subject.of(unit), 2020)
    doc = computed.document
    assert computed.missing == []
    assert doc["proactive"]["规范性文件"] == {
        "本年新制作数量": 15,
        "本年新公开数量": 15,
        "对外公开总数量": 102,
    }
    text = doc["sections"]["overview"]
    for phrase in (
        "主动公开政府信息共计4891条",
        "新制定行政规范性文件15件",
        "现行有效的行政规范性文件102件",
        "分2批废止行政规范性文件15件",
        "发布政策解读3件",
        "名义印发的文件15件",
        "共收到政府信息公开申请2件",
        "按时答复2件",
        "运行政府网站1个",
        "子网站51个",
        "开设政务新媒体40个，其中微信公众号32个、政务微博4个、其他平台政务新媒体4个",
        "累计发布信息2183条",
        "年访问量56.7万余人次",
        "受理群众来信255件，答复255件，答复率100%",
        "培训2次",
    ):
        assert phrase in text, phrase
    assert doc["findings"] == [], doc["findings"]


def test_cells_link_to_their_applications(office):
    a = make_application(
        office,
        received_on=date(2021, 5, 1),
        closed_on=date(2021, 5, 10),
        disposition="granted",
    )
    make_application(office, kind="commercial", received_on=date(2021, 12, 20))
    subject = Subject.of(office)
    assert list(applications_behind(subject, 2021, "applications.granted.natural_person")) == [a]
    assert applications_behind(subject, 2021, "applications.granted.commercial").count() == 0
    assert applications_behind(subject, 2021, "applications.new_received.total").count() == 2
    assert applications_behind(subject, 2021, "applications.carried_forward.total").count() == 1
    assert applications_behind(subject, 2021, "proactive.规章.本年制发件数") is None


@pytest.mark.parametrize("year", [2020, 2021])
def test_many_reports_at_once_equal_one_by_one(demo_county, sources, year):
    from gongkai.agencies.models import Agency

    gaj = Agency.objects.get(slug="gaj")
    make_application(gaj, received_on=date(2020, 12, 30))  # carried into 2021
    make_application(
        gaj,
        kind="research",
        received_on=date(2021, 2, 1),
        closed_on=date(2021, 2, 3),
        disposition="not_exist",
        due_on=date(2021, 3, 1),
    )
    subjects = [Subject.of(ReportingUnit.objects.get(slug="county-government-organs"))]
    subjects += [Subject.of(a) for a in Agency.objects.order_by("pk")]
    for every in (False, True):
        many = compute_all(subjects, year, every_agency=every)
        assert [c.document for c in many] == [compute(s, year).document for s in subjects]
    assert any(c.document["applications"]["new_received"]["total"] for c in many)
