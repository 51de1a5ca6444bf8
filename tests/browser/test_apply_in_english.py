"""The apply form in English, replayed in Chromium: the switch in the header turns the form,
its errors, the receipt and the status page English (``<html lang="en">``), and nothing of
the interface stays Chinese (names and the request are data and stay as typed)."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.applications.models import Application
from gongkai.testing import factories as f
from tests.one_language import CJK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def solve(question: str) -> str:
    a, op, b = re.search(r"What is (\d+) (plus|minus) (\d+)\?", question).groups()
    return str(int(a) + int(b) if op == "plus" else int(a) - int(b))


def test_switch_to_english_submit_with_an_error_then_reach_the_status_page(
    live_server, phone_page, demo_county
):
    page = phone_page
    page.goto(live_server.url + "/apply/")
    expect(page.locator("h1")).to_have_text("在线申请政府信息公开")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Apply for government information online")
    page.get_by_label("Agency you apply to").select_option(label="城口县人民政府办公室")
    page.get_by_label("Citizen (natural person)").check()
    page.locator("#id_applicant_name").fill("李四")
    page.get_by_label("Identity document number").fill(f.resident_id("19800101", 7))
    page.get_by_label("Postal address").fill("重庆市城口县葛城街道北大街12号")
    page.get_by_label("Title, document number or a description").fill("2025年城口县道路维修计划")
    question = page.locator("#captcha-question").inner_text()
    assert not CJK.search(question), question
    page.get_by_label("Check question").fill(solve(question))
    with page.expect_navigation():  # the telephone is missing
        page.get_by_role("button", name="Submit the application").click()

    expect(page.locator("#error-summary")).to_contain_text("Please correct the following")
    error = page.locator("#id_phone-error")
    expect(error).to_contain_text("this field is required")
    assert not CJK.search(error.inner_text())
    assert not CJK.search(page.locator("#error-summary").inner_text())
    assert (
        not Application.objects.filter(channel="online")
        .exclude(idempotency_key__startswith="demo-")
        .exists()
    )

    page.get_by_label("Telephone").fill("13812345678")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(live_server.url + "/apply/done/")
    expect(page.locator("h1")).to_have_text("Application submitted")
    receipt = page.locator("#receipt").inner_text()
    assert "Telephone" in receipt and "Either" in receipt and "By post" in receipt
    with page.expect_navigation():
        page.get_by_role("link", name="See the progress").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Progress of your application")
    expect(page.locator("#state")).to_have_text("Awaiting confirmation")
    main = page.locator("main").inner_text()
    application = Application.objects.get(channel="online", applicant_name="李四")
    for data in (application.masked_name, application.agency.name):  # data, as entered
        main = main.replace(data, "")
    assert not CJK.search(main), [line for line in main.splitlines() if CJK.search(line)]
