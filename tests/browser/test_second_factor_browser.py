"""A supervisor's first login in Chromium: enrol an authenticator from the page (QR code drawn
by the server, secret as text), keep the recovery codes, and later log in with one of them."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from gongkai.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-9"


def code_for(secret_text: str) -> str:
    """What an authenticator app shows for the secret as printed on the page."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(page, base):
    page.goto(base + "/accounts/login/?next=/staff/")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_enrol_then_log_in_with_a_recovery_code(page, live_server):
    office = f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")
    boss = f.staff("boss", office, "supervisor")
    boss.set_password(PASSWORD)
    boss.save()
    base = live_server.url

    log_in(page, base)
    page.wait_for_url(base + "/accounts/2fa/setup/?**")
    expect(page.locator(".otp-qr svg")).to_be_visible()
    box = page.locator(".otp-qr svg").bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200  # big enough to scan
    page.goto(base + "/staff/")  # nothing else opens before the second factor
    page.wait_for_url(base + "/accounts/2fa/setup/?**")
    secret = page.locator("#otp-secret").inner_text()
    page.get_by_label("验证码").fill(code_for(secret))
    page.get_by_role("button", name="确认并启用").click()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="继续").click()
    page.wait_for_url(base + "/staff/")

    page.get_by_role("button", name="退出").click()
    log_in(page, base)
    page.wait_for_url(base + "/accounts/2fa/?**")
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(base + "/staff/")
    expect(page.locator("main")).to_be_visible()
