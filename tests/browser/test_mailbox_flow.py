"""公开信箱 from end to end, in a real Chromium: a citizen writes to the 县长信箱 on a phone;
the county office's clerk transfers the letter to the police; the police clerk drafts the
reply; the approver approves it; the clerk publishes it (the writer consented) and the
published page shows the name masked; the writer reads the reply with the 查询码.
Screenshots (tests/browser/shots.py): gongkai-mailbox-*.png."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.mailbox.models import Letter
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def solve(question: str) -> str:
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", question).groups()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def staff_page(browser, base, username, password):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=DESK)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")
    return page


def press(page, section: str, button: str, fill=None):
    box = page.locator(f"#action-{section}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    if fill:
        fill(box)
    with page.expect_navigation():
        box.get_by_role("button", name=button).click()
    expect(page.locator(".message.success")).to_have_count(1)


def test_a_letter_from_a_phone_to_a_published_reply(browser, live_server, demo_county):
    base = live_server.url
    citizen = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    phone = citizen.new_page()
    phone.set_default_timeout(15_000)

    # --- the citizen writes, on a phone --------------------------------------------------------
    phone.goto(base + "/")
    phone.get_by_role("link", name="公开信箱").click()
    phone.locator(".card", has_text="县长信箱").get_by_role("link", name="写信").click()
    phone.wait_for_url(base + "/mailbox/county-head/write/")
    phone.get_by_role("textbox", name="姓名").fill("张三丰")
    phone.get_by_label("联系电话").fill("13812345678")
    phone.get_by_label("求助").check()
    phone.get_by_label("标题").fill("北大街路灯不亮")
    phone.get_by_label("来信内容").fill(
        "我是张三丰，北大街路灯坏了两周，夜里出行不便，请尽快修复。"
    )
    phone.get_by_label("同意在门户网站选登").check()
    phone.get_by_label("验证题").fill(solve(phone.locator("#captcha-question").inner_text()))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "gongkai-mailbox-write-phone.png", full_page=True)
    phone.get_by_role("button", name="提交来信").click()
    phone.wait_for_url(base + "/mailbox/done/")
    code = phone.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    letter = Letter.objects.get(tracking_code=code.replace("-", ""))

    # --- the county office's clerk transfers it to the police ----------------------------------
    clerk = staff_page(browser, base, "clerk", demo_county)
    expect(clerk.locator("#mailbox-alerts")).to_contain_text("待分办")
    clerk.get_by_role("link", name=re.compile("公开信箱：办理中来信")).click()
    clerk.get_by_role("link", name=letter.reference).click()
    press(
        clerk,
        "transfer",
        "转办",
        lambda box: box.get_by_label("转交机关").select_option(label="城口县公安局"),
    )
    expect(clerk.locator("#agency")).to_have_text("城口县公安局")

    # --- the police clerk drafts the reply ----------------------------------------------------
    police = staff_page(browser, base, "gaj-clerk", demo_county)
    police.goto(f"{base}/staff/mailbox/{letter.pk}/")
    press(
        police,
        "draft",
        "提交审核",
        lambda box: box.get_by_label("答复内容").fill(
            "张三丰同志：北大街路灯已于今日修复，感谢监督。"
        ),
    )
    expect(police.locator("#state")).to_contain_text("答复待审核")

    # --- the approver approves it -------------------------------------------------------------
    approver = staff_page(browser, base, "approver", demo_county)
    approver.goto(f"{base}/staff/mailbox/{letter.pk}/")
    press(approver, "approve", "审核通过并网上答复")
    expect(approver.locator("#state")).to_contain_text("已答复")

    # --- the clerk publishes it; the name is masked -------------------------------------------
    clerk.reload()
    press(clerk, "publish", "选登公开")
    shot(clerk, "gongkai-mailbox-staff-letter.png", full_page=True)
    public = citizen.new_page()
    public.goto(base + "/mailbox/letters/")
    public.get_by_role("link", name="北大街路灯不亮").first.click()
    expect(public.locator("#public-reply")).to_contain_text("张**同志：北大街路灯已于今日修复")
    page_text = public.locator("main").inner_text()
    assert "张三丰" not in page_text and "13812345678" not in page_text
    for label in ("受理日期", "答复日期", "答复部门", "城口县公安局"):
        assert label in page_text
    shot(public, "gongkai-mailbox-published.png", full_page=True)

    # --- the writer follows it with the 查询码 --------------------------------------------------
    phone.goto(base + "/mailbox/status/")
    phone.get_by_label("查询码").fill(code.lower())
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#state")).to_have_text("已答复")
    expect(phone.locator("#reply")).to_contain_text("北大街路灯已于今日修复")
    timeline = phone.locator(".timeline").inner_text()
    assert "转交城口县公安局办理" in timeline and "已答复" in timeline
    assert "张三丰" not in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "gongkai-mailbox-status-phone.png", full_page=True)
