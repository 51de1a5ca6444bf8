"""GET /api/v1/publications: published items only, every filter, and staff drafts by token."""

import json
from datetime import date

import pytest
from django.test import Client

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.agencies.models import ReportingUnit
from gongkai.publications import services as s
from gongkai.publications.models import Publication
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db

URL = "/api/v1/publications"


@pytest.fixture
def county(db):
    return f.agency("county-government", "城口县人民政府", short_name="县政府")


@pytest.fixture
def items(office, police, county, clerk, approver):
    """Published: two of the office (2020 website+WeChat, 2021 WeChat), one of the county
    government (2020, an interpretation), one of the police (2020); plus drafts of each stage."""
    police_clerk = f.staff("police-clerk", police, "clerk")
    police_boss = f.staff("police-boss", police, "approver")
    county_clerk = f.staff("county-clerk", county, "clerk")
    county_boss = f.staff("county-boss", county, "approver")

    def made(agency, who, boss, day, channels, **data):
        item = s.create_draft(actor=who, agency=agency, data=draft_data(**data))
        walk_to_approved(item, who, boss)
        return publish(item, who, day=day, channels=channels)

    a = made(office, clerk, approver, date(2020, 3, 2), ("website", "wechat"), title="甲")
    b = made(office, clerk, approver, date(2021, 3, 2), ("wechat",), title="乙", category="a20-07")
    c = made(
        county,
        county_clerk,
        county_boss,
        date(2020, 5, 6),
        ("website",),
        title="丙",
        kind="interpretation",
        interpretation_form="text",
        explains=[a.pk],
    )
    d = made(police, police_clerk, police_boss, date(2020, 7, 1), ("weibo",), title="丁")
    s.create_draft(actor=clerk, agency=office, data=draft_data(title="草稿"))
    pending = s.create_draft(actor=clerk, agency=office, data=draft_data(title="待审批"))
    walk_to_approved(pending, clerk, approver)
    gone = made(office, clerk, approver, date(2020, 4, 1), ("website",), title="已撤回")
    s.run_step("withdraw", actor=clerk, publication=gone, reason="误发")
    unit = ReportingUnit.objects.create(name="城口县人民政府机关", slug="organs")
    unit.agencies.set([county, office])
    return {"a": a, "b": b, "c": c, "d": d, "draft_ids": {pending.pk, gone.pk}}


def titles(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"]) or body["count"] > len(body["items"])
    return sorted(item["title"] for item in body["items"])


def test_only_published_items_are_listed(items):
    client = Client()
    assert titles(client.get(URL)) == ["丁", "丙", "乙", "甲"]
    assert client.get(URL).json()["count"] == 4


def test_drafts_never_leak_even_with_a_token(items, clerk):
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="test")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert titles(client.get(URL)) == ["丁", "丙", "乙", "甲"]
    for pk in [
        *items["draft_ids"],
        *Publication.objects.filter(title="草稿").values_list("pk", flat=True),
    ]:
        assert client.get(f"{URL}/{pk}").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agency=office", ["乙", "甲"]),
        ("agency=office&year=2020", ["甲"]),
        ("year=2020", ["丁", "丙", "甲"]),
        ("reporting_unit=organs&year=2020", ["丙", "甲"]),
        ("reporting_unit=城口县人民政府机关", ["丙", "乙", "甲"]),
        ("category=a20-07", ["乙"]),
        ("channel=wechat", ["乙", "甲"]),
        ("channel=website&year=2020", ["丙", "甲"]),
        ("kind=interpretation", ["丙"]),
        ("validity=in_force&agency=police", ["丁"]),
        ("validity=repealed", []),
    ],
)
def test_filters(items, query, expected):
    assert titles(Client().get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("agency=nowhere", "agency"),
        ("reporting_unit=nobody", "reporting_unit"),
        ("channel=x", "channel"),
        ("kind=x", "kind"),
    ],
)
def test_unknown_filter_values_are_422_in_chinese(items, query, field):
    response = Client().get(f"{URL}?{query}")
    assert response.status_code == 422
    assert "/" in response.json()["errors"][field][0]


def test_an_item_carries_its_channels_and_its_portal_page(items):
    body = Client().get(f"{URL}?agency=office&year=2020").json()
    (item,) = body["items"]
    assert item["url"] == f"/gk/item/{item['id']}/"
    assert Client().get(item["url"]).status_code == 200
    assert item["index_number"] == "office/2020-00001"
    assert sorted(c["channel"] for c in item["channels"]) == ["website", "wechat"]
    detail = Client().get(f"{URL}/{items['a'].pk}").json()
    assert detail["interpretations"] == [items["c"].pk]
    assert detail["body"].startswith("<p>")


def test_paging(items):
    body = Client().get(f"{URL}?page_size=3&page=2").json()
    assert body["count"] == 4 and len(body["items"]) == 1


def test_staff_create_update_and_publish_through_the_api(office, clerk, approver):
    _row, clerk_token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="t")
    _row, boss_token = issue_api_token(actor=COMMAND_LINE, user=approver, name="t")
    as_clerk = Client(headers={"Authorization": f"Bearer {clerk_token}"})
    as_boss = Client(headers={"Authorization": f"Bearer {boss_token}"})

    def post(client, url, data, method="post"):
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")

    assert post(Client(), URL, {"agency": "office", **draft_data()}).status_code == 401
    bad = post(as_clerk, URL, {"agency": "office", **draft_data(category="nope")})
    assert bad.status_code == 422 and "公开目录" in bad.json()["errors"]["category"][0]
    created = post(as_clerk, URL, {"agency": "office", **draft_data(attribute="")})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "draft"
    refused = post(as_clerk, f"{URL}/{pk}/actions/submit", {})
    assert refused.status_code == 422 and "公开属性" in refused.json()["errors"]["attribute"][0]
    changed = post(as_clerk, f"{URL}/{pk}", {"attribute": "proactive"}, method="patch")
    assert changed.status_code == 200 and changed.json()["attribute"] == "proactive"
    assert post(as_clerk, f"{URL}/{pk}/actions/submit", {}).status_code == 200
    assert post(as_clerk, f"{URL}/{pk}/actions/review", {}).status_code == 200
    assert post(as_clerk, f"{URL}/{pk}/actions/approve", {}).status_code == 403
    assert post(as_boss, f"{URL}/{pk}/actions/approve", {}).status_code == 200
    assert post(as_boss, f"{URL}/{pk}/actions/clear_secrecy", {}).status_code == 200
    assert post(as_clerk, f"{URL}/{pk}/actions/fly", {}).status_code == 404
    assert Client().get(f"{URL}/{pk}").status_code == 404  # approved is not published
    done = post(
        as_clerk,
        f"{URL}/{pk}/actions/publish",
        {
            "published_on": "2020-01-20",
            "placements": [{"channel": "website", "placed_on": "2020-01-20"}],
        },
    )
    assert done.status_code == 200, done.content
    assert Client().get(f"{URL}/{pk}").json()["published_on"] == "2020-01-20"


def test_a_clerk_cannot_draft_for_another_agency_through_the_api(office, police, clerk):
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="t")
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        URL, json.dumps({"agency": "police", **draft_data()}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["agency=a%00b", "category=%00", "reporting_unit=x%00", "year=99999", "year=-5", "page=-3"],
)
def test_odd_queries_are_refused_or_clamped_never_a_server_error(items, query):
    response = Client().get(f"{URL}?{query}")
    assert response.status_code in (200, 422), response.content


@pytest.mark.parametrize(
    "params",
    [
        {"placements": "website"},
        {"placements": [1, 2]},
        {"published_on": 20200101},
        {"published_on": "yesterday"},
        {"actor": 1},
    ],
)
def test_odd_step_parameters_are_422(office, clerk, approver, params):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="t")
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        f"{URL}/{item.pk}/actions/publish", json.dumps(params), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    item.refresh_from_db()
    assert item.state == "approved"


@pytest.mark.parametrize(
    "data",
    [
        {"co_issuers": 5},
        {"explains": "12"},
        {"explains": [2**70]},
        {"category": "a20\x0001"},
        {"title": "标题\x00"},
    ],
)
def test_odd_draft_fields_are_422_or_cleaned(office, clerk, data):
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="t")
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        URL,
        json.dumps({"agency": "office", **draft_data(), **data}),
        content_type="application/json",
    )
    assert response.status_code in (201, 422), response.content
    if response.status_code == 201:
        assert "\x00" not in Publication.objects.get().title


def test_the_public_list_runs_a_fixed_number_of_queries(items, office, clerk, approver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        Client().get(URL)
    for i in range(6):
        item = s.create_draft(actor=clerk, agency=office, data=draft_data(title=f"加{i}"))
        walk_to_approved(item, clerk, approver)
        publish(item, clerk, channels=("website", "wechat"))
    with CaptureQueriesContext(connection) as many:
        assert Client().get(URL).json()["count"] == 10
    assert len(many) == len(few)
