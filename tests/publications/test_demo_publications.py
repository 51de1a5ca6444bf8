"""The demo county's 主动公开 records give the seed report's 2020 figures for
「城口县人民政府机关」 (tests/corpus/000-chengkou-2020.txt), counted from the records."""

import pytest
from django.test import Client

from gongkai.agencies.models import Agency
from gongkai.publications.models import Publication, State
from gongkai.publications.selectors import narrative_figures

URL = "/api/v1/publications"


def count(client, query):
    response = client.get(f"{URL}?{query}&page_size=1")
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.django_db
def test_the_demo_api_figures_add_up_to_the_seed_report(demo_county):
    client = Client()
    per_agency = [
        count(client, f"agency={slug}&year=2020") for slug in ("county-government", "county-office")
    ]
    assert sum(per_agency) == 4891 and all(per_agency)
    assert count(client, "reporting_unit=county-government-organs&year=2020") == 4891
    website = [
        count(client, f"agency={slug}&year=2020&channel=website")
        for slug in ("county-government", "county-office")
    ]
    assert sum(website) == 2183
    assert count(client, "reporting_unit=城口县人民政府机关&year=2020&kind=interpretation") == 3
    ids = list(
        Agency.objects.filter(slug__in=["county-government", "county-office"]).values_list(
            "pk", flat=True
        )
    )
    figures = narrative_figures(agency_ids=ids, year=2020)
    assert figures["items_published"] == 4891
    assert figures["website_items"] == 2183
    assert figures["documents_issued"] == 15
    assert figures["interpretations"] == 3
    # Later years carry on, and other agencies have records of their own.
    assert count(client, "reporting_unit=county-government-organs&year=2021") > 4000
    assert count(client, "agency=gaj&year=2025") > 0
    assert count(client, "agency=bashan&year=2020") > 0


@pytest.mark.django_db
def test_hand_written_items_have_histories_and_a_second_load_adds_nothing(demo_county):
    policy = Publication.objects.get(title__contains="支持企业复工复产和生产经营若干措施的通知")
    assert policy.doc_number == "城府办发〔2020〕12号"
    actions = [e.action for e in policy.events]
    assert actions[:1] == ["publication.create"] and "publication.publish" in actions
    assert {e.at.date().isoformat() for e in policy.events} == {"2020-02-24"}
    (reading,) = policy.interpretations.all()
    assert reading.interpretation_form == "text"
    numbers = Publication.objects.filter(agency=policy.agency, published_on__year=2020)
    assert numbers.values("index_number").distinct().count() == numbers.count()
    late = Publication.objects.get(title="城口县人民政府办公室2020年政府信息公开工作要点")
    assert late.days_late > 0
    assert Publication.objects.filter(state=State.DRAFT).exists()
    # Loading twice adds nothing: tests/demo/test_demo_county.py, every table's row count.
