"""主动公开 from draft to the public API, as people do it, in a real Chromium.

A clerk drafts a document, sets its 公开属性 and attaches a DOCX, then submits it and reviews
it for the office; the approver, in another browser, approves it and signs off the 保密审查;
the clerk publishes it on the website and WeChat; it then appears in GET /api/v1/publications
with its 索引号, and its page shows the history. Screenshots (tests/browser/shots.py): gongkai-publication-*.png.
"""

import json
from urllib.request import urlopen

import pytest
from docx import Document
from playwright.sync_api import expect

from gongkai.publications.models import Publication
from gongkai.testing import factories as f
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pub-browser-test"


@pytest.fixture
def people(transactional_db):
    office = f.agency("county-office", "城口县人民政府办公室", short_name="县政府办公室")
    users = {}
    for name, role in (("clerk", "clerk"), ("approver", "approver")):
        user = f.staff(name, office, role)
        user.set_password(PASSWORD)
        user.save()
        users[name] = user
    return users


def docx_file(tmp_path):
    document = Document()
    document.add_paragraph("城口县电动车登记上牌办理指南")
    path = tmp_path / "办理指南.docx"
    document.save(path)
    return path


def sign_in(browser, base, username, contexts):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    contexts.append(context)  # closed by the test, so no request is cut off mid-way
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")
    return page


def act(page, action, fill=None):
    section = page.locator(f"#action-{action}")
    section.locator("summary").click()
    if fill:
        fill(section)
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_have_count(1)


def api(base, query=""):
    with urlopen(f"{base}/api/v1/publications{query}") as response:
        return json.loads(response.read())


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def test_a_clerk_drafts_the_approver_approves_and_it_is_published(
    browser, live_server, people, tmp_path, contexts
):
    base = live_server.url
    title = "城口县人民政府办公室关于加强电动车管理的通告"

    clerk = sign_in(browser, base, "clerk", contexts)
    clerk.locator("#publications-link").click()
    clerk.wait_for_url(base + "/staff/publications/")
    clerk.locator("#new-publication").click()
    clerk.get_by_label("标题").fill(title)
    clerk.get_by_label("发文字号").fill("城府办发〔2020〕58号")
    clerk.get_by_label("类型").select_option(label="公文")
    clerk.get_by_label("公开目录").select_option(label="治安管理")
    clerk.get_by_label("正文").fill("<p>为加强我县电动车管理，现就有关事项通告如下。</p>")
    # Saving without an attribute is allowed, but the draft cannot move on without one.
    clerk.get_by_label("附件（PDF、DOCX、XLSX、JPG、PNG）").set_input_files(docx_file(tmp_path))
    clerk.get_by_role("button", name="保存草稿").click()
    expect(clerk.locator("#state")).to_have_text("起草")
    section = clerk.locator("#action-submit")
    section.locator("summary").click()
    section.locator("button[type=submit]").click()
    expect(clerk.locator("#action-submit .error-summary")).to_contain_text("公开属性")
    clerk.locator("#edit-link").click()
    clerk.get_by_label("公开属性").select_option(label="主动公开")
    clerk.get_by_role("button", name="保存草稿").click()
    expect(clerk.locator("#attribute")).to_have_text("主动公开")
    expect(clerk.locator("#attachments")).to_contain_text("办理指南.docx")
    act(clerk, "submit")
    act(clerk, "review")
    expect(clerk.locator("#state")).to_have_text("待审批")
    item = Publication.objects.get(title=title)
    assert api(base)["count"] == 0  # nothing public yet

    boss = sign_in(browser, base, "approver", contexts)
    boss.goto(f"{base}/staff/publications/{item.pk}/")
    act(boss, "approve")
    act(boss, "clear_secrecy")
    expect(boss.locator("#secrecy")).to_contain_text("approver")
    shot(boss, "gongkai-publication-approved.png", full_page=True)

    clerk.goto(f"{base}/staff/publications/{item.pk}/")

    def channels(section):
        section.get_by_label("发布日期").fill("2020-07-10")
        section.get_by_label("政府网站").check()
        section.get_by_label("微信公众号").check()

    act(clerk, "publish", channels)
    expect(clerk.locator("#state")).to_have_text("已发布")
    number = clerk.locator("#index-number").inner_text()
    assert number == "county-office/2020-00001"
    expect(clerk.locator("#history")).to_contain_text("保密审查")
    shot(clerk, "gongkai-publication-published.png", full_page=True)

    listed = api(base, "?agency=county-office&year=2020")
    assert listed["count"] == 1
    (entry,) = listed["items"]
    assert entry["title"] == title and entry["index_number"] == number
    assert sorted(c["channel"] for c in entry["channels"]) == ["website", "wechat"]
    assert api(base, "?channel=website&year=2020")["count"] == 1
    detail = api(base, f"/{item.pk}")
    assert detail["attachments"][0]["name"] == "办理指南.docx"
    assert "电动车登记上牌" in item.attachments.get().text
