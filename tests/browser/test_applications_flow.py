"""依申请公开 from end to end, as people do it, in a real Chromium.

A citizen applies on a phone (solving the arithmetic question by reading it, as a person
would); a clerk confirms receipt, asks for a correction, records the supplement, opens and
closes a third-party consultation — the due date shown moves exactly as ``law.clock`` says —,
drafts the reply and downloads the draft; the approver, in another browser, approves it and
downloads the reply letter; the citizen's status page then shows 已答复.
Screenshots (tests/browser/shots.py): gongkai-*.png for a look at the layout.
"""

import io
import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from gongkai.applications.models import Application
from gongkai.holidays.services import import_year, load_calendar
from gongkai.law.clock import Correction, Pause, compute_due_date, consultation_deadline
from gongkai.testing import factories as f
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_calendar(transactional_db):
    """A transactional database (the live server reads it from another thread) with the seeded
    holiday calendar, which the holidays app restores after every flush (post_migrate)."""


PHONE_WIDTH = 390


def solve(question: str) -> str:
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", question).groups()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def due_text(page) -> str:
    return page.locator("#due-date").inner_text()


def act(page, action: str, fill=None, button: str | None = None):
    """Open the action's section, fill it, press its button, wait for the page to reload."""
    section = page.locator(f"#action-{action}")
    section.locator("summary").click()
    if fill:
        fill(section)
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    expect(page.locator(".message.success"), "the action succeeded").to_have_count(1)


def test_a_citizen_applies_and_a_clerk_answers(browser, live_server, seeded_calendar, demo_county):
    base = live_server.url
    citizen = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": PHONE_WIDTH, "height": 844}
    )
    phone = citizen.new_page()
    phone.set_default_timeout(15_000)

    # --- the citizen, on a phone -------------------------------------------------------------
    phone.goto(base + "/")
    phone.get_by_role("link", name="依申请公开").click()
    phone.wait_for_url(base + "/apply/")
    phone.get_by_label("向哪个机关申请").select_option(label="城口县人民政府办公室")
    phone.get_by_label("公民（自然人）").check()
    phone.get_by_label("姓名或名称").fill("张三丰")
    id_number = f.resident_id("19850315", 123)
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("联系电话").fill("13812345678")
    phone.get_by_label("电子邮箱").fill("zhang@example.com")
    phone.get_by_label("通信地址").fill("重庆市城口县葛城街道北大街12号")
    phone.get_by_label("所需政府信息的名称、文号或者特征性描述").fill(
        "城口县2025年度城乡居民最低生活保障资金发放情况"
    )
    phone.get_by_label("电子", exact=True).check()
    phone.get_by_label("电子邮件", exact=True).check()
    # Organisation fields are hidden for a natural person.
    expect(phone.get_by_label("统一社会信用代码")).to_be_hidden()
    # First a wrong answer: the message is beside the field, nothing is saved.
    phone.get_by_label("验证题").fill("999")
    phone.get_by_role("button", name="提交申请").click()
    error = phone.locator("#id_captcha_answer-error")
    expect(error).to_contain_text("验证题答案不正确")  # waits for the reloaded page
    described = phone.get_by_label("验证题").get_attribute("aria-describedby")
    assert "id_captcha_answer-error" in described
    assert not Application.objects.filter(applicant_name="张三丰").exists()  # nothing saved
    # The fields keep what was typed; read the new question and answer it.
    assert phone.get_by_label("姓名或名称").input_value() == "张三丰"
    question = phone.locator("#captcha-question").inner_text()
    phone.get_by_label("验证题").fill(solve(question))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone, "gongkai-apply-form-phone.png", full_page=True)
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url(base + "/apply/done/")
    code = phone.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert "待确认" in phone.locator("main").inner_text()
    shot(phone, "gongkai-apply-done-phone.png", full_page=True)
    application = Application.objects.get(tracking_code=code.replace("-", ""))
    assert application.state == "registered" and application.id_number == id_number

    # --- the clerk, at a desk --------------------------------------------------------------
    office = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    page = office.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(demo_county)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")
    page.get_by_role("link", name="依申请公开：待办申请").click()
    page.wait_for_url(base + "/staff/applications/")
    expect(page.locator(".band-counts")).to_be_visible()
    # The handling clerk sees the names of the cases they handle; the phone is never listed.
    queue_text = page.locator("table.queue").inner_text()
    assert "张三丰" in queue_text and "13812345678" not in queue_text
    shot(page, "gongkai-queue.png", full_page=True)
    page.get_by_role("link", name=application.reference).click()
    page.wait_for_url(f"{base}/staff/applications/{application.pk}/")
    assert "尚未确认收到" in due_text(page)

    today = timezone.localdate()
    if not load_calendar().covers(today.year + 1):
        # Late in the year a consultation pushes the due date into a year whose holidays the
        # State Council has not announced yet; the platform then shows no date rather than a
        # guess. This test loads a minimal year (1 January off, else weekends; not a real
        # notice) to go on.
        year = today.year + 1
        import_year(year=year, text=f"放假 {year}-01-01 元旦\n", source="测试用（非国务院通知）")
    calendar = load_calendar()

    act(page, "accept")
    expected = compute_due_date(calendar, received=today).due
    assert due_text(page).startswith(expected.isoformat())
    assert page.locator("#state").inner_text() == "已受理"

    act(
        page,
        "request_correction",
        lambda s: s.get_by_label("需要补正的事项").fill("请写明所需信息的年份和发文机关"),
    )
    assert "暂停计算" in due_text(page)
    assert page.locator("#state").inner_text() == "待补正"

    act(page, "record_supplement")
    correction = Correction(requested=today, supplied=today)
    expected = compute_due_date(calendar, received=today, correction=correction).due
    assert due_text(page).startswith(expected.isoformat())

    def consult(section):
        section.get_by_label("类型").select_option(label="第三方意见征询")
        section.get_by_label("征求意见对象").fill("城口县某某商贸有限公司")

    act(page, "open_consultation", consult)
    pause = Pause(today, consultation_deadline(calendar, today))
    during = compute_due_date(calendar, received=today, correction=correction, pauses=[pause]).due
    assert due_text(page).startswith(during.isoformat())
    assert during > expected  # the consultation's 15 working days are not counted

    act(page, "close_consultation", lambda s: s.get_by_label("意见（选填）").fill("同意公开"))
    after = compute_due_date(
        calendar, received=today, correction=correction, pauses=[Pause(today, today)]
    ).due
    assert due_text(page).startswith(after.isoformat())
    page.locator("#due-heading + .due + details summary").click()
    assert "第20个工作日" in page.locator(".explanation").inner_text()

    def answer(section):
        section.get_by_label("处理结果", exact=True).select_option("granted")
        section.get_by_label("提供方式", exact=True).fill("电子邮件")
        shot(section, "gongkai-reply-form.png")

    # The clerk drafts the reply (承办人拟稿); the state and the clock do not change.
    act(page, "draft_reply", answer)
    assert page.locator("#state").inner_text() == "已受理"
    expect(page.locator("#reply-approval")).to_have_text("待审批答复")
    assert due_text(page).startswith(after.isoformat())
    shot(page, "gongkai-detail-draft.png", full_page=True)
    draft_title = Application.objects.get(pk=application.pk).reply_draft.letter.title
    assert draft_title.endswith("（草稿）")
    with page.expect_download() as download_info:
        page.locator("#draft-docx").click()
    with open(download_info.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert draft_title in text.replace(" ", "") or draft_title in text
    page.goto(base + "/staff/applications/")
    row = page.locator("table.queue tr", has_text=application.reference)
    assert "待审批答复" in row.inner_text()
    page.get_by_role("link", name=application.reference).click()
    page.wait_for_url(f"{base}/staff/applications/{application.pk}/")
    expect(page.locator("#action-approve_reply")).to_have_count(0)  # a clerk does not approve

    # --- the approver signs it off (负责人审核签发), in another browser ------------------
    desk = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    boss = desk.new_page()
    boss.set_default_timeout(15_000)
    boss.goto(base + "/accounts/login/")
    boss.get_by_label("用户名").fill("approver")
    boss.get_by_label("密码").fill(demo_county)
    boss.get_by_role("button", name="登录").click()
    boss.wait_for_url(base + "/staff/")
    boss.goto(f"{base}/staff/applications/{application.pk}/")
    expect(boss.locator("#reply-approval")).to_have_text("待审批答复")
    act(boss, "approve_reply")
    assert boss.locator("#state").inner_text() == "已答复"
    shot(boss, "gongkai-detail.png", full_page=True)

    reply = Application.objects.get(pk=application.pk).reply
    assert reply.drafted_by.username == "clerk" and reply.approved_by.username == "approver"
    title = reply.letter.title
    row = boss.locator(".letters li", has_text=reply.letter.number)
    with boss.expect_download() as download_info:
        row.get_by_role("link", name="下载 DOCX").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert title in text.replace(" ", "") or title in text
    assert "张三丰" in text and "草稿" not in title
    desk.close()

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "gongkai-detail-phone.png", full_page=True)
    page.goto(base + "/staff/applications/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "gongkai-queue-phone.png", full_page=True)
    office.close()

    # --- the citizen checks the status -----------------------------------------------------
    phone.goto(base + "/apply/status/")
    phone.get_by_label("查询码").fill(code.lower())
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url(re.compile(r".*/apply/status/view/$"))  # no 查询码 in the address
    assert phone.locator("#state").inner_text() == "已答复"
    body = phone.locator("main").inner_text()
    assert "张**" in body and "张三丰" not in body and id_number not in body
    assert "13812345678" not in body
    shot(phone, "gongkai-status-phone.png", full_page=True)
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name=re.compile("下载答复书")).click()
    letter = Application.objects.get(pk=application.pk).reply.letter
    assert download_info.value.suggested_filename == f"{letter.number} {letter.title}.pdf"
    citizen.close()


def test_the_form_works_with_the_keyboard_alone(
    phone_page, live_server, seeded_calendar, demo_county
):
    """Every control is reached with Tab; errors are announced: focus goes to the summary."""
    page = phone_page
    page.goto(live_server.url + "/apply/")
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.id")
        reached.add(name)
        if page.evaluate("document.activeElement.id") == "apply-submit":
            break
    else:
        pytest.fail("Tab never reached the submit button")
    for name in [
        "agency",
        "applicant_kind",
        "applicant_name",
        "id_number",
        "phone",
        "description",
        "delivery_method",
        "id_copy",
        "captcha_answer",
    ]:
        assert name in reached, name
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    summary = page.get_by_role("alert")
    assert "请修改以下内容" in summary.inner_text()
    for message in ["请选择受理机关", "请填写申请人姓名或名称", "请填写联系电话", "请回答验证题"]:
        assert message in summary.inner_text(), message
    shot(page, "gongkai-apply-errors-phone.png", full_page=True)


def test_the_api_docs_render_from_local_files_only(page, live_server, transactional_db):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "gongkai" in page.locator(".swagger-ui .info .title").inner_text()
    expect(page.get_by_text("/api/v1/applications/status/{query_code}").first).to_be_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
