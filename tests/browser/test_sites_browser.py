"""The 政府信息公开 column on a phone: the list fits the screen, a filter narrows it, and an item
opens with its metadata box."""

from datetime import date

import pytest
from playwright.sync_api import expect

from gongkai.publications import services as ps
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(office, clerk):
    approver = f.staff("approver", office, "approver")
    made = []
    for i, (title, day) in enumerate(
        [
            ("城口县人民政府办公室关于进一步做好城乡居民医保参保缴费工作的通知", date(2020, 9, 1)),
            ("城口县人民政府办公室关于做好2021年春节期间安全生产工作的通知", date(2021, 1, 20)),
        ]
    ):
        item = ps.create_draft(
            actor=clerk,
            agency=office,
            data=draft_data(title=title, doc_number=f"城府办发〔{day.year}〕{i + 1}号"),
        )
        walk_to_approved(item, clerk, approver)
        made.append(publish(item, clerk, day=day))
    return made


def test_the_column_on_a_phone_and_an_item(phone_page, live_server, office, published):
    page = phone_page
    page.goto(f"{live_server.url}/gk/{office.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("政府信息公开")
    expect(page.locator("#total")).to_have_text("共 2 条")
    # Nothing wider than the phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    page.get_by_label("年度").select_option("2020")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#total")).to_have_text("共 1 条")
    page.get_by_role("link", name=published[0].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(published[0].title)
    box = page.locator(".meta-box")
    expect(box).to_contain_text(published[0].index_number)
    expect(box).to_contain_text("城府办发〔2020〕1号")
    expect(box).to_contain_text("2020-09-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
