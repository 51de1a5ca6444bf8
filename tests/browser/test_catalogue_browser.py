"""The standard catalogue in a real browser: a resident reads it on a phone; the 政务公开办
finds an overdue item in the compliance view and records its publication."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.testing.second_factor import browser_log_in
from tests.browser.shots import shot

PHONE_WIDTH = 390

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_catalogue_on_a_phone(phone_page, live_server, demo_county):
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="基层政务公开标准目录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("基层政务公开标准目录")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="城口县发展和改革委员会")
    )
    section.get_by_role("link", name="重大建设项目").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "城口县发展和改革委员会重大建设项目领域基层政务公开标准目录"
    )
    entries = page.locator(".entry")
    expect(entries).to_have_count(4)
    first = entries.first
    expect(first.get_by_role("heading")).to_have_text("1. 审批服务 · 审批结果")
    assert "信息形成（或者变更）之日起20个工作日内" in first.inner_text()
    assert "■ 政府网站" in first.inner_text()
    # Phone-readable: one column of cards, nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "gongkai-catalogue-phone.png", full_page=True)
    page.get_by_role("link", name="村级").click()
    expect(page).to_have_url(re.compile(r"\?level=village$"))
    expect(page.locator(".entry")).to_have_count(2)
    expect(page.get_by_text("村级", exact=True).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载表格（XLSX）").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_compliance_view_leads_to_the_item_to_fix(page, live_server, demo_county):
    browser_log_in(page, live_server.url, "supervisor", demo_county)  # with the second factor
    page.get_by_role("link", name=re.compile("基层政务公开标准目录")).click()
    page.get_by_role("link", name="公开时限检查").click()
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.first.locator("td").first).to_have_text("逾期未公开")
    summary = page.locator("#summary tbody tr", has_text="县发展改革委")
    expect(summary.locator("td").nth(1)).to_have_text("2")  # overdue
    shot(page, "gongkai-compliance.png", full_page=True)

    page.locator("#problems").get_by_role("link", name="项目实施·招标投标").click()
    expect(page).to_have_url(re.compile(r"/staff/catalogue/\d+/#entry-\d+$"))
    item = page.locator(".entry", has_text="项目实施 · 招标投标")
    expect(item.locator(".status-overdue")).to_have_text("逾期未公开")
    item.get_by_label("公开日期").fill("2020-10-30")
    item.get_by_label("索引号或网址").fill("11500229DM0000031/2020-00077")
    item.get_by_role("button", name="登记公开佐证").click()
    expect(page.get_by_role("status")).to_contain_text("已登记「项目实施·招标投标」的公开佐证")
    item = page.locator(".entry", has_text="项目实施 · 招标投标")
    expect(item.locator(".status-late")).to_have_text("超期公开")

    page.goto(live_server.url + "/staff/catalogue/compliance/")
    expect(page.locator("#problems tbody tr")).to_have_count(3)
    late = page.locator("#problems tbody tr", has_text="项目实施·招标投标")
    expect(late.locator("td").first).to_have_text("超期公开")


def test_the_new_staff_pages_break_no_policy(page, live_server, demo_county):
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    browser_log_in(page, live_server.url, "supervisor", demo_county)  # with the second factor
    page.get_by_role("link", name="政务公开考核").click()
    page.locator(".card a").first.click()
    expect(page.locator("#scorecard tbody tr")).to_have_count(39)
    fgw = page.locator("#scorecard tbody tr", has_text="县发展改革委")
    expect(fgw.locator("td").nth(2)).to_contain_text("超期公开1项，逾期未公开2项")
    page.goto(live_server.url + "/staff/training/?year=2020")
    expect(page.locator("#figures")).to_contain_text("全年组织培训和会议 2 次")
    page.get_by_role("link", name="2020年全县政务公开工作培训（第二期）").click()
    expect(page.get_by_label("左岚乡")).to_have_value("0")
    for path in ("/staff/catalogue/", "/staff/catalogue/domains/", "/staff/training/new/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(live_server.url + "/staff/catalogue/")
    page.locator("table a").first.click()
    page.get_by_role("link", name="新增事项").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新增事项")
    assert blocked == []
