"""The demo county's catalogue, trainings and 2020 scorecard (demo step ``catalogue``)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.assessment import selectors as assessment
from gongkai.assessment.models import Scheme
from gongkai.catalogue import selectors
from gongkai.catalogue.models import Catalogue, Entry
from gongkai.catalogue.selectors import Status
from gongkai.holidays.services import load_calendar
from gongkai.training.selectors import narrative_figures

pytestmark = pytest.mark.django_db


def test_25_domains_across_the_14_departments(demo_county):
    catalogues = Catalogue.objects.select_related("agency")
    assert catalogues.count() == 25
    assert {c.agency.kind for c in catalogues} == {Agency.Kind.DEPARTMENT}
    assert len({c.agency_id for c in catalogues}) == 14
    assert Entry.objects.count() == 100


def test_two_trainings_in_2020_for_the_reporting_unit(demo_county):
    unit = Agency.objects.filter(slug__in=["county-government", "county-office"])
    figures = narrative_figures(agency_ids=list(unit.values_list("pk", flat=True)), year=2020)
    assert figures["trainings"] == 2 and figures["trainees"] > 0


def test_compliance_shows_the_planted_overdue_and_late_items(demo_county):
    found = selectors.standings(
        Catalogue.objects.values_list("agency_id", flat=True),
        as_of=date(2020, 12, 31),
        calendar=load_calendar(),
    )
    flagged = {(s.status, str(s.entry)) for s in found if s.status in (Status.OVERDUE, Status.LATE)}
    assert flagged == {
        (Status.LATE, "审批服务·核准结果"),
        (Status.OVERDUE, "项目实施·招标投标"),
        (Status.OVERDUE, "成交信息·中标结果公示"),
    }


def test_the_2020_scorecard_is_explained_cell_by_cell(demo_county, client):
    scheme = Scheme.objects.get(year=2020)
    card = assessment.scorecard(scheme)
    assert len(card.lines) == Agency.objects.filter(parent=scheme.agency).count()
    fgw = next(line for line in card.lines if line.agency.slug == "fgw")
    assert fgw.cells[2].value == "1/4" and "超期公开1项，逾期未公开2项" in fgw.cells[2].explanation
    zuolan = next(line for line in card.lines if line.agency.slug == "zuolan")
    assert zuolan.cells[1].value == "1/2" and "未参加：12月10日" in zuolan.cells[1].explanation
    client.force_login(User.objects.get(username="supervisor"))
    html = client.get(reverse("assessment:detail", args=[scheme.pk])).content.decode()
    assert "2020年度政务公开工作考核" in html and "未参加：12月10日" in html


# Loading again writes no audit row: tests/demo/test_demo_county.py checks every table's row
# count after a second load.


def test_the_report_narrative_figures_of_the_seed(demo_county):
    unit = Agency.objects.filter(slug__in=["county-government", "county-office"])
    figures = selectors.narrative_figures(agency_ids=unit.values_list("pk", flat=True))
    assert figures == {"domains": 25, "agencies": 14, "entries": 100}
    police = Agency.objects.filter(slug="gaj").values_list("pk", flat=True)
    assert selectors.narrative_figures(agency_ids=police) == {
        "domains": 1,
        "agencies": 1,
        "entries": 4,
    }
