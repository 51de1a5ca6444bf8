"""The apply form loses nothing and locks nobody out, replayed in a real Chromium.

Each test is a case a walk through the form found: a file chosen before an error was
silently dropped; a person making typos hit the submission limit; a pasted long name was cut
without a word; the address was not marked required for delivery by post; a file too big for
the server was uploaded anyway.
"""

import re

import pytest
from playwright.sync_api import expect

from gongkai.applications.models import Application
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = pdf_bytes()


def solve(question: str) -> str:
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", question).groups()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def fill_application(page, *, phone="13812345678", id_number=None):
    page.get_by_label("向哪个机关申请").select_option(label="城口县人民政府办公室")
    page.get_by_label("公民（自然人）").check()
    page.get_by_label("姓名或名称").fill("李四")
    page.get_by_label("证件号码").fill(id_number or f.resident_id("19800101", 7))
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("通信地址").fill("重庆市城口县葛城街道北大街12号")
    page.get_by_label("所需政府信息的名称、文号或者特征性描述").fill("2025年城口县道路维修计划")
    page.get_by_label("验证题").fill(solve(page.locator("#captcha-question").inner_text()))


def submit(page):
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()


def new_applications():
    """Applications this test submitted through the form (the demo's own online ones carry
    ``demo-`` keys; its other applications came by other channels)."""
    return Application.objects.filter(channel="online").exclude(idempotency_key__startswith="demo-")


def test_a_file_chosen_before_an_error_is_kept_for_the_retry(live_server, phone_page, demo_county):
    page = phone_page
    page.goto(live_server.url + "/apply/")
    fill_application(page, phone="")  # the phone is missing: the form comes back
    page.get_by_label("身份证明复印件（选填）").set_input_files(
        {"name": "身份证正反面.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    answer = page.get_by_label("验证题").input_value()
    submit(page)
    expect(page.locator("#id_phone-error")).to_contain_text("请填写联系电话")
    held = page.locator("#held-id_copy")
    expect(held).to_contain_text("身份证正反面.pdf")
    expect(held.get_by_role("checkbox")).to_be_checked()
    # The captcha was not used: the same question, the answer still there.
    assert page.get_by_label("验证题").input_value() == answer
    assert not new_applications().exists()

    page.get_by_label("联系电话").fill("13812345678")
    submit(page)
    page.wait_for_url(live_server.url + "/apply/done/")
    application = new_applications().get()
    attachments = list(application.attachments.all())
    assert [(a.kind, a.original_name) for a in attachments] == [("id_copy", "身份证正反面.pdf")]
    with attachments[0].file.open("rb") as handle:
        assert handle.read() == PDF


def test_an_unticked_held_file_is_not_submitted(live_server, page, demo_county):
    page.goto(live_server.url + "/apply/")
    fill_application(page, phone="")
    page.get_by_label("身份证明复印件（选填）").set_input_files(
        {"name": "copy.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(page)
    page.locator("#held-id_copy").get_by_role("checkbox").uncheck()
    page.get_by_label("联系电话").fill("13812345678")
    submit(page)
    page.wait_for_url(live_server.url + "/apply/done/")
    assert not new_applications().get().attachments.exists()


def test_ten_refused_submissions_do_not_lock_out_the_eleventh_good_one(
    live_server, page, demo_county
):
    good = f.resident_id("19800101", 7)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    page.goto(live_server.url + "/apply/")
    fill_application(page, id_number=wrong)
    for attempt in range(10):
        submit(page)
        error = page.locator("#id_id_number-error")
        expect(error, f"attempt {attempt + 1}").to_contain_text("身份证号码有误")
        assert "应为" not in error.inner_text()
    assert not new_applications().exists()
    page.get_by_label("证件号码").fill(good)
    submit(page)
    page.wait_for_url(live_server.url + "/apply/done/")
    assert new_applications().get().id_number == good


def test_a_long_name_is_counted_not_cut_and_the_address_is_marked_for_post(
    live_server, page, demo_county
):
    page.goto(live_server.url + "/apply/")
    name = "城口县" + "某" * 110 + "有限公司"
    page.get_by_label("姓名或名称").fill(name)
    assert page.get_by_label("姓名或名称").input_value() == name  # nothing cut off
    counter = page.locator("#id_applicant_name-counter")
    expect(counter).to_contain_text(f"已输入 {len(name)} / 100 字")
    expect(counter).to_contain_text(f"超出 {len(name) - 100} 字")

    address_label = page.locator("label[for=id_address]")
    email_label = page.locator("label[for=id_email]")
    expect(address_label.locator(".req")).to_be_visible()  # post is the default delivery
    expect(email_label.locator(".req")).to_be_hidden()
    assert page.get_by_label("通信地址").get_attribute("aria-required") == "true"
    page.get_by_label("电子邮件", exact=True).check()
    expect(email_label.locator(".req")).to_be_visible()
    expect(address_label.locator(".req")).to_be_hidden()
    assert page.get_by_label("通信地址").get_attribute("aria-required") is None

    submit(page)
    expect(page.locator("#id_applicant_name-error")).to_contain_text("不能超过100个字")
    assert page.get_by_label("姓名或名称").input_value() == name
    # Delivery by e-mail was chosen: after the reload the e-mail, not the address, is marked.
    expect(page.locator("label[for=id_email] .req")).to_be_visible()
    expect(page.locator("label[for=id_address] .req")).to_be_hidden()


def test_a_file_over_the_limit_is_refused_before_upload(live_server, page, demo_county):
    page.goto(live_server.url + "/apply/")
    field = page.get_by_label("身份证明复印件（选填）")
    big = PDF + b"0" * (10 * 1024 * 1024)
    field.set_input_files({"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big})
    expect(page.locator("#id_id_copy-size-error")).to_contain_text("超过 10 MB")
    expect(page.locator("#id_id_copy-size-error")).to_contain_text("scan.pdf")
    assert page.evaluate("document.getElementById('id_id_copy').files.length") == 0
    field.set_input_files({"name": "small.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(page.locator("#id_id_copy-size-error")).to_be_hidden()
