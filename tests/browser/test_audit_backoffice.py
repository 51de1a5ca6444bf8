"""The auditor in the back office, as a supervisor's clerk uses it in a real Chromium: log in,
upload two years of one agency's report, see the findings highlighted in the tables, follow a
finding to its cell, and compare the two years. Screenshots (tests/browser/shots.py): gongkai-audit-*.png."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongkai.annual.render import to_html
from gongkai.testing import factories as f
from gongkai.testing.second_factor import enrol_totp, totp_code
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PASSWORD = "audit-Passw0rd!"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def auditor(transactional_db):
    office = f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")
    user = f.staff("auditor", office, "supervisor")
    user.set_password(PASSWORD)
    user.save()
    enrol_totp(user)  # a supervisor logs in with an authenticator app
    return user


@pytest.fixture
def reports(tmp_path) -> list[Path]:
    """012 as published (2022) and the year before rendered from its document, whose
    结转下年度 (3) disagrees with 2022's 上年结转 (1)."""
    doc = json.loads((CORPUS / "012-pingtan-gaj-2022.expected.json").read_text(encoding="utf-8"))
    doc.pop("about_this_file", None)
    earlier = copy.deepcopy(doc)
    earlier["year"] = 2021
    earlier["applications"]["carried_forward"]["natural_person"] = 3
    earlier["applications"]["carried_forward"]["total"] = 3
    first = tmp_path / "平潭公安局2021.html"
    first.write_text(to_html(earlier), encoding="utf-8")
    return [first, CORPUS / "012-pingtan-gaj-2022.txt"]


def test_upload_see_findings_and_compare_two_years(page, live_server, auditor, reports):
    base = live_server.url
    page.goto(base + "/accounts/login/?next=/staff/")
    page.get_by_label("用户名").fill("auditor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # A supervisor gives the second factor too.
    page.wait_for_url(base + "/accounts/2fa/?**")
    page.get_by_label("验证码").fill(totp_code(enrol_totp(auditor)))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(base + "/staff/")
    page.get_by_role("link", name="年报审核").first.click()
    page.get_by_role("link", name="上传审核").click()

    page.get_by_label("报告文件").set_input_files([str(p) for p in reports])
    page.get_by_role("button", name="上传并审核").click()
    page.wait_for_url(base + "/staff/reports/batches/*/")
    expect(page.locator(".messages")).to_contain_text("已接收 2 份报告")
    expect(page.locator(".list-table tbody tr")).to_have_count(2)
    shot(page, "gongkai-audit-batch.png", full_page=True)

    # The 2021 report: its own balance no longer holds (结转下年度 3 without the applications).
    page.get_by_role("link", name="平潭综合实验区公安局 2021年").click()
    expect(page.locator(".facts")).to_contain_text("2021")  # waits for the report page
    errors = page.locator("td.flag-error")
    expect(errors.first).to_be_visible()
    assert "✕" in errors.first.inner_text()  # a text marker, not colour alone
    background = errors.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(248, 201, 207)"
    shot(page, "gongkai-audit-report.png", full_page=True)
    # A finding's cell link jumps to the highlighted cell.
    link = page.locator(".finding-error .finding-cells a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(":target")).to_have_count(1)
    assert page.evaluate("location.hash")
    assert page.locator(":target").evaluate("e => e.tagName") == "TD"
    assert target

    # Compare the two years from the report page.
    page.get_by_role("link", name="与2022年对比").click()
    carry = page.locator(".carry")
    # waits for the comparison page, which names the rule by its label, never its id
    expect(carry).to_contain_text("上年结转与本年不一致")
    assert "cross_year.carry" not in carry.inner_text()
    assert "本年上年结转(1) ≠ 2021年度报告结转下年度(3)" in carry.inner_text()
    assert page.locator(".side-by-side").count() >= 3
    flagged = page.locator("#b-applications\\.carried_over\\.total")
    assert "flag-warning" in flagged.get_attribute("class")
    shot(page, "gongkai-audit-compare.png", full_page=True)
