"""A published annual report looked at in a browser: on a phone (the page fits, the tables
scroll in their box), with real table headers, and in print (no navigation)."""

import pytest
from playwright.sync_api import expect

from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def published(demo_county, settings):
    from gongkai.accounts.models import User
    from gongkai.annualreport import services
    from gongkai.annualreport.engine import find_subject
    from tests.annualreport import fake_sources

    fake_sources.reset()
    settings.GONGKAI_REPORT_SOURCES = dict(fake_sources.SOURCES)
    clerk, approver = (User.objects.get(username=n) for n in ("clerk", "approver"))
    report = services.start_report(actor=clerk, subject=find_subject("县人民政府机关"), year=2020)
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    services.STEPS.run("publish", actor=approver, record=report)
    return report


def test_the_published_report_on_a_phone_and_in_print(phone_page, live_server, published):
    page = phone_page
    page.goto(live_server.url + "/annual-reports/")
    page.get_by_role("link", name="城口县人民政府机关2020年政府信息公开工作年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "城口县人民政府机关2020年政府信息公开工作年度报告"
    )
    # Every heading of the 60号 format, in order.
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:6] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    expect(page.get_by_text("主动公开政府信息共计4891条", exact=False)).to_be_visible()
    # Real headers: the browser exposes them as column and row headers.
    table3 = page.locator('table[data-part="applications"]')
    expect(table3.get_by_role("columnheader", name="自然人")).to_be_visible()
    expect(table3.get_by_role("rowheader", name="（一）予以公开")).to_be_attached()
    granted = table3.locator('td[data-cell="applications.granted.natural_person"]')
    assert granted.inner_text() == "2"
    # The page fits the phone; the wide table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "gongkai-annual-report-phone.png", full_page=True)
    box = page.locator(".table-box").nth(1)
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    shot(page, "gongkai-annual-report-phone.png", full_page=True)

    page.emulate_media(media="print")
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".table-box").first.evaluate("e => getComputedStyle(e).overflowX") in (
        "visible",
        "auto",
    )
    expect(granted).to_be_visible()
    shot(page, "gongkai-annual-report-print.png", full_page=True)


def test_a_clerk_drafts_and_checks_in_the_browser(page, live_server, demo_county, settings):
    from tests.annualreport import fake_sources

    fake_sources.reset()
    settings.GONGKAI_REPORT_SOURCES = dict(fake_sources.SOURCES)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(demo_county)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    page.get_by_role("link", name="年度报告：由记录生成", exact=False).click()
    page.get_by_label("机关或年报主体").select_option(label="城口县人民政府机关")
    page.get_by_label("年度", exact=True).select_option("2020")
    page.get_by_role("button", name="起草或打开年报").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "城口县人民政府机关2020年度报告（第1版）"
    )
    expect(page.get_by_label("一、总体情况")).to_contain_text("主动公开政府信息共计4891条")
    page.get_by_role("button", name="审核", exact=True).click()
    expect(page.locator("[data-state]").first).to_have_text("已审核")
    expect(page.get_by_text("没有发现问题。")).to_be_visible()
    shot(page, "gongkai-annual-report-staff.png", full_page=True)
