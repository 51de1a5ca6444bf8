"""The annual report's figures and the list of policies lacking an interpretation."""

from datetime import date

import pytest

from gongkai.publications import services as s
from gongkai.publications.selectors import narrative_figures, policies_lacking_interpretation
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db


def made(office, clerk, approver, day, channels, **data):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data(**data))
    walk_to_approved(item, clerk, approver)
    return publish(item, clerk, day=day, channels=channels)


def test_narrative_figures_count_each_item_once(office, police, clerk, approver):
    made(office, clerk, approver, date(2020, 2, 3), ("website", "wechat"), title="1")
    made(
        office, clerk, approver, date(2020, 2, 4), ("subsite", "website"), title="2", doc_number=""
    )
    made(office, clerk, approver, date(2020, 2, 5), ("wechat",), title="3", kind="information")
    made(
        office,
        clerk,
        approver,
        date(2020, 2, 6),
        ("website",),
        title="4",
        kind="interpretation",
        interpretation_form="graphic",
    )
    made(office, clerk, approver, date(2021, 1, 4), ("website",), title="next year")
    gone = made(office, clerk, approver, date(2020, 3, 2), ("weibo",), title="withdrawn later")
    s.run_step("withdraw", actor=clerk, publication=gone, reason="误发")
    s.create_draft(actor=clerk, agency=office, data=draft_data(title="draft"))
    figures = narrative_figures(agency_ids=[office.pk], year=2020)
    assert figures == {
        "items_published": 5,
        "items_by_channel": {"政府网站": 3, "微信公众号": 2, "子网站栏目": 1, "政务微博": 1},
        "website_items": 3,
        # document kind with a 发文字号: "1" and "withdrawn later" (which was published in 2020)
        "documents_issued": 2,
        "interpretations": 1,
    }
    assert narrative_figures(agency_ids=[police.pk], year=2020)["items_published"] == 0
    # In the order of the channels (政府网站 first): the report's text names them so.
    assert list(figures["items_by_channel"]) == ["政府网站", "子网站栏目", "微信公众号", "政务微博"]


def test_policies_lacking_an_interpretation(office, clerk, approver):
    policy = made(office, clerk, approver, date(2020, 2, 3), ("website",), is_policy=True)
    other = made(office, clerk, approver, date(2020, 2, 3), ("website",), is_policy=True, title="B")
    made(office, clerk, approver, date(2020, 2, 3), ("website",), title="not a policy")
    assert set(policies_lacking_interpretation(clerk)) == {policy, other}
    reading = s.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(kind="interpretation", interpretation_form="text", explains=[policy.pk]),
    )
    assert set(policies_lacking_interpretation(clerk)) == {
        policy,
        other,
    }  # a draft explains nothing
    walk_to_approved(reading, clerk, approver)
    publish(reading, clerk)
    assert list(policies_lacking_interpretation(clerk)) == [other]
