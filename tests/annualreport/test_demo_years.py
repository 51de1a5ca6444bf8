"""Every demo year's report passes every check: 2020 (the seed) to 2025, for 城口县人民政府机关 and
for each agency of the demo county, with the carry-over between consecutive years.

The sources of the site cluster (``sites``, ``new_media``, ``visits``) may not be connected in
this installation yet: then the draft 总体情况 holds a placeholder for each of their figures
(``narrative.placeholder``) and nothing else may be found. Once they are connected, no finding
at all is allowed.
"""

import json
import re

import pytest

from gongkai.annual.formats import APPLICANT_COLUMN_KEYS
from gongkai.annualreport.engine import Subject, compute, compute_all, find_subject
from gongkai.annualreport.figures import NARRATIVE_PLACEHOLDER, PLACEHOLDER_MARK
from gongkai.annualreport.sources import resolve
from gongkai.cli import main

YEARS = range(2020, 2026)
#: The sources another part of the platform (the site cluster) connects; all others must be.
SITE_CLUSTER = {"sites", "new_media", "visits"}


def unconnected() -> set[str]:
    return {name for name in SITE_CLUSTER if resolve(name) is None}


def assert_passes(report, where: str) -> None:
    """Only the placeholders of the unconnected site-cluster sources may be found."""
    waiting = unconnected()
    assert set(report.missing) == waiting, where
    other = [f for f in report.findings if f["rule"] != NARRATIVE_PLACEHOLDER]
    assert other == [], (where, other)
    text = report.document["sections"]["overview"]
    named = set(re.findall(r"【待补充：[^】]*数据来源“(\w+)”未接入）】", text))
    assert named == waiting, (where, named)
    assert text.count(PLACEHOLDER_MARK) == len(re.findall(r"【待补充：[^】]*】", text))
    placeholders = [f for f in report.findings if f["rule"] == NARRATIVE_PLACEHOLDER]
    assert len(placeholders) == (1 if waiting else 0), where


def in_force(doc) -> int:
    row = "规范性文件" if doc["format"] == "2019" else "行政规范性文件"
    column = "对外公开总数量" if doc["format"] == "2019" else "现行有效件数"
    return doc["proactive"][row][column]


@pytest.mark.django_db
def test_every_demo_year_of_the_county_unit_passes_every_check(demo_county, capsys):
    subject = find_subject("县人民政府机关")
    docs = {}
    for year in YEARS:
        report = compute(subject, year)
        assert_passes(report, str(year))
        docs[year] = report.document
    # The command gives the same document (what an operator runs).
    assert main(["report", "县人民政府机关", "2023", "--format", "json", "--computed"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["applications"] == docs[2023]["applications"]
    assert printed["review_litigation"] == docs[2023]["review_litigation"]
    assert printed["findings"] == docs[2023]["findings"]

    for year in YEARS[1:]:
        before, now = docs[year - 1], docs[year]
        # Table 三: this year's 上年结转 is last year's 结转下年度, column by column.
        for column in (*APPLICANT_COLUMN_KEYS, "total"):
            assert (
                now["applications"]["carried_over"][column]
                == before["applications"]["carried_forward"][column]
            ), (year, column)
        # Table 二: in force at the end of the year = last year's + issued − abolished (the demo's
        # documents lapse only by 废止, so nothing else leaves the count).
        if now["format"] == "2021":
            made = now["proactive"]["行政规范性文件"]["本年制发件数"]
            abolished = now["proactive"]["行政规范性文件"]["本年废止件数"]
            assert in_force(now) == in_force(before) + made - abolished, year
    # The 2021-format years carry data in tables 二, 三 and 四.
    later = [docs[year] for year in YEARS if year >= 2021]
    assert all(doc["format"] == "2021" for doc in later)
    assert any(
        doc["review_litigation"][group]["total"]
        for doc in later
        for group in doc["review_litigation"]
    )
    assert all(doc["proactive"]["行政规范性文件"]["本年制发件数"] for doc in later)
    assert all(doc["applications"]["new_received"]["total"] for doc in later)


@pytest.mark.django_db
def test_every_agency_of_the_demo_passes_every_check_every_year(demo_county):
    from gongkai.agencies.models import Agency

    subjects = [Subject.of(agency) for agency in Agency.objects.order_by("pk")]
    assert len(subjects) > 30
    for year in YEARS:
        for subject, report in zip(subjects, compute_all(subjects, year), strict=True):
            assert_passes(report, f"{subject.slug} {year}")
            # No blank cell anywhere: every agency entered its 第二十条 figures, zeros included.
            cells = [v for row in report.document["proactive"].values() for v in row.values()]
            assert None not in cells, (subject.slug, year)


@pytest.mark.django_db
def test_the_demo_units_draft_names_channels_and_the_rate_as_people_read_them(demo_county):
    """The real sources: channels by their names, as the seed (「通过政府网站、微信公众号等」);
    答复率 as a percent."""
    text = compute(find_subject("县人民政府机关"), 2020).document["sections"]["overview"]
    assert "通过政府网站、微信公众号、" in text and "website" not in text and "wechat" not in text
    assert "受理群众来信255件，答复255件，答复率100%" in text


@pytest.mark.django_db
def test_the_batch_path_gives_each_report_as_computed_alone(demo_county):
    """Every demo agency and year, with the real sources: the reports of :func:`reports_for_all`
    (each source asked once for every agency, through its ``_by_agency`` companion) are the
    documents :func:`compute` gives one by one, cell for cell and finding for finding; and the
    companions did answer (the batch path is the one tested, not the fallback)."""
    from gongkai.agencies.models import Agency
    from gongkai.annualreport.engine import reports_for_all
    from gongkai.annualreport.sources import SOURCE_NAMES, resolve_many

    batched = {name for name in SOURCE_NAMES if resolve(name) and resolve_many(name)}
    assert {"table_two", "table_four", "publications", "normative", "mailbox"} <= batched
    agencies = list(Agency.objects.order_by("sort_order", "pk"))
    unit = find_subject("县人民政府机关")
    for year in YEARS:
        many = reports_for_all(year)
        assert [c.document["agency"] for c in many] == [a.name for a in agencies]
        for agency, report in zip(agencies, many, strict=True):
            alone = compute(Subject.of(agency), year)
            assert report.document == alone.document, (agency.slug, year)
            assert report.figures == alone.figures, (agency.slug, year)
            assert report.missing == alone.missing, (agency.slug, year)
        # A unit among single agencies calls the sources itself, and gives its own report.
        (mixed, *_) = compute_all([unit, Subject.of(agencies[0])], year)
        assert mixed.document == compute(unit, year).document, year
    assert any(r.document["proactive"]["行政规范性文件"]["本年制发件数"] for r in many)
    assert any(r.figures.get("items_published") for r in many)
