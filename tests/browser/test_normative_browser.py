"""Normative documents in a real Chromium: the office's clerk records a county government
document from 起草 to 公布 and 备案, finds it in the in-force list, abolishes an old one in a
cleanup batch, and enters the year's 第二十条 figures. Screenshots (tests/browser/shots.py): gongkai-normative-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.agencies.models import ReportingUnit
from gongkai.normative.models import Article20Figure, NormativeDocument
from gongkai.normative.steps import record_published
from gongkai.testing import factories as f
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "normative-Passw0rd!"


@pytest.fixture
def clerk_of_office(transactional_db):
    government = f.agency("county-government", "城口县人民政府", short_name="县政府")
    office = f.agency("county-office", "城口县人民政府办公室", short_name="县政府办公室")
    unit = ReportingUnit.objects.create(name="城口县人民政府机关", slug="organs")
    unit.agencies.set([government, office])
    user = f.staff("office-clerk", office, "clerk")
    user.set_password(PASSWORD)
    user.save()
    record_published(
        actor=user,
        agency=government,
        title="城口县人民政府关于印发城口县农村公路养护管理办法的通知",
        doc_number="城府发〔2016〕12号",
        published_on=dt.date(2016, 5, 3),
        review_ref="城司审〔2016〕9号",
        deliberation_ref="县政府第80次常务会议",
    )
    return user


def test_a_clerk_keeps_the_governments_documents(page, live_server, clerk_of_office):
    base = live_server.url
    page.goto(base + "/accounts/login/?next=/staff/")
    page.get_by_label("用户名").fill("office-clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")
    page.get_by_role("link", name="规章和行政规范性文件").click()
    page.get_by_role("link", name="登记起草的文件").click()

    page.get_by_label("制定机关").select_option(label="城口县人民政府")
    page.get_by_label("标题").fill("城口县人民政府关于印发城口县城区电动自行车管理办法的通知")
    page.get_by_label("起草日期").fill("2020-03-02")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记起草")

    step = page.locator("#step-review")
    step.get_by_label("审核日期").fill("2020-03-20")
    step.get_by_label("合法性审核意见（文号或标题）").fill("城司审〔2020〕8号")
    step.get_by_role("button", name="记录合法性审核").click()
    step = page.locator("#step-deliberate")
    # a meeting before the review is refused, beside the form
    step.get_by_label("审议日期").fill("2020-03-01")
    step.get_by_label("审议会议").fill("县政府第52次常务会议")
    step.get_by_role("button", name="记录集体审议").click()
    expect(page.locator("#step-deliberate .error-summary")).to_contain_text(
        "不能早于合法性审核日期"
    )
    step = page.locator("#step-deliberate")
    step.get_by_label("审议日期").fill("2020-04-08")
    step.get_by_role("button", name="记录集体审议").click()
    step = page.locator("#step-publish")
    step.get_by_label("文号").fill("城府发〔2020〕9号")
    step.get_by_label("成文日期").fill("2020-04-10")
    step.get_by_label("公布日期").fill("2020-04-13")
    step.get_by_role("button", name="记录公布").click()
    step = page.locator("#step-file")
    step.get_by_label("备案日期").fill("2020-04-30")
    step.get_by_label("备案机关").fill("重庆市人民政府")
    step.get_by_role("button", name="记录备案").click()
    expect(page.locator(".lifecycle")).to_contain_text("报重庆市人民政府")
    expect(page.locator(".lifecycle")).to_contain_text("城府发〔2020〕9号")
    expect(page.locator(".facts")).to_contain_text("行政规范性文件")  # the default kind
    expect(page.locator("table.list")).to_contain_text("文号：城府发〔2020〕9号")
    shot(page, "gongkai-normative-document.png", full_page=True)

    page.get_by_role("link", name="现行有效文件").click()
    page.get_by_label("或年报主体").select_option(label="城口县人民政府机关")
    page.get_by_label("日期", exact=True).fill("2020-12-31")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("现行有效 2 件")

    page.get_by_role("link", name="清理", exact=True).click()
    page.get_by_label("清理名称").fill("2020年行政规范性文件清理")
    page.get_by_label("开始日期").fill("2020-06-01")
    page.get_by_role("button", name="开始清理").click()
    review = page.locator("#review")
    review.get_by_label(
        "城口县人民政府关于印发城口县农村公路养护管理办法的通知", exact=False
    ).check()
    review.get_by_role("button", name="列入").click()
    batch = page.locator("#batch")
    batch.get_by_label(
        "城口县人民政府关于印发城口县农村公路养护管理办法的通知", exact=False
    ).check()
    batch.get_by_label("决定日期").fill("2020-06-28")
    batch.get_by_label("决定标题").fill("城口县人民政府关于废止部分行政规范性文件的决定")
    batch.get_by_label("决定文号").fill("城府发〔2020〕20号")
    batch.get_by_role("button", name="记录本批").click()
    expect(page.locator(".messages")).to_contain_text("已记录第1批")
    shot(page, "gongkai-normative-cleanup.png", full_page=True)
    assert NormativeDocument.objects.get(doc_number="城府发〔2016〕12号").state == "abolished"

    page.get_by_role("link", name="第二十条统计").click()
    page.get_by_label("机关", exact=True).select_option(label="城口县人民政府")
    page.get_by_label("年度", exact=True).fill("2020")
    page.get_by_role("button", name="选择").click()
    page.locator("#id_licensing-decisions").fill("0")
    page.locator("#id_procurement-amount").fill("12.5")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    shot(page, "gongkai-normative-figures.png", full_page=True)
    assert Article20Figure.objects.get(item="procurement").amount == 12.5
