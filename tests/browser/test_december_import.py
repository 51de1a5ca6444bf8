"""December does not stop the office: a case due past the known calendar shows a provisional
date and the clerk can still act; the admin is warned on the staff home, pastes the State
Council's notice as published, checks it day by day and imports it; the page then says how
many applications were recomputed. Replayed in a real Chromium on 10 December 2026."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.agencies.models import Agency
from gongkai.holidays.models import CalendarYear
from gongkai.holidays.services import delete_year
from gongkai.testing import factories as f
from gongkai.testing.second_factor import browser_log_in
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 12, 10)
# A made-up 2027 notice in the published form (not the State Council's: 2027's is not in the
# repository); its weekdays are right, so it reads without problems.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知（测试用的假想通知）
国办发明电〔2026〕99号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至13日（周六）放假调休，共8天。2月20日（周六）上班。
"""


def log_in(page, base, username, password):
    browser_log_in(page, base, username, password)  # the admin gives the second factor too


def test_a_provisional_date_then_the_pasted_notice_settles_it(
    live_server, browser, demo_county, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    for year in CalendarYear.objects.filter(year__gt=2026).values_list("year", flat=True):
        delete_year(year=year)
    office = Agency.objects.get(name="城口县人民政府办公室")
    clerk = office.memberships.get(user__username="clerk").user
    waiting = f.received_application(actor=clerk, agency_obj=office, received_on=TODAY)
    acting = f.received_application(actor=clerk, agency_obj=office, received_on=TODAY)
    waiting.refresh_from_db()
    assert waiting.due_on is None and waiting.provisional_due_on is not None
    base = live_server.url

    # The clerk sees the provisional date and can still act on the case.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, base, "clerk", demo_county)
    page.goto(f"{base}/staff/applications/{acting.pk}/")
    expect(page.locator("#due-date")).to_contain_text("暂定")
    section = page.locator("#action-request_correction")
    section.locator("summary").click()
    section.get_by_label("需要补正的事项").fill("请写明所需信息的年份")
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    expect(page.locator("#state")).to_have_text("待补正")
    desk.close()

    # The admin is warned, pastes the notice, previews it day by day and imports it.
    admin = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = admin.new_page()
    log_in(page, base, "admin", demo_county)
    warning = page.locator("#calendar-warning")
    expect(warning).to_contain_text("尚未导入2027年节假日安排")
    warning.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/admin/holidays/calendaryear/import/$"))
    page.get_by_label("通知全文或安排内容").fill(NOTICE_2027)
    page.get_by_role("button", name="预览").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("2027年（国办发明电〔2026〕99号），放假 11 天，调休上班 1 天")
    row = preview.locator("tr", has_text="2027-01-01")
    expect(row).to_contain_text("星期五")
    expect(row).to_contain_text("元旦")
    expect(preview.locator("tr", has_text="2027-02-20")).to_contain_text("上班")
    assert not CalendarYear.objects.filter(year=2027).exists()  # nothing saved by a preview
    shot(page, "gongkai-import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r".*/admin/holidays/calendaryear/$"))
    messages = page.locator("ul.messagelist").inner_text()
    assert "导入2027年节假日安排" in messages
    assert re.search(
        r"重新计算了\d+件办理中申请的答复期限（其中\d+件由暂定期限改为确定期限）", messages
    )
    waiting.refresh_from_db()
    assert waiting.due_on is not None and waiting.provisional_due_on is None
    assert CalendarYear.objects.get(year=2027).note == "国办发明电〔2026〕99号"
    admin.close()


def test_a_notice_with_mistakes_lists_them_all_and_saves_nothing(
    live_server, page, demo_county, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    for year in CalendarYear.objects.filter(year__gt=2026).values_list("year", flat=True):
        delete_year(year=year)
    log_in(page, live_server.url, "admin", demo_county)
    page.goto(live_server.url + "/admin/holidays/calendaryear/import/")
    wrong = NOTICE_2027.replace("1月1日（周五）", "1月1日（周四）").replace("共8天", "共7天")
    page.get_by_label("通知全文或安排内容").fill(wrong)
    page.get_by_role("button", name="预览").click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("共发现 2 处问题")
    expect(problems).to_contain_text("周四")
    expect(problems).to_contain_text("共7天")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert not CalendarYear.objects.filter(year=2027).exists()
