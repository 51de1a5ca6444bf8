"""In a real browser, the Content-Security-Policy blocks nothing that gongkai's pages need.

Chromium reports every blocked script, style or image on the console; the API docs page
(Swagger UI, served locally) must still draw its operations.
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongkai.testing.second_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/apply/",
    "/apply/status/",
    "/staff/",
    "/staff/applications/",
    "/staff/applications/register/",
    "/staff/reports/",
    "/admin/",
    "/admin/applications/application/",
    "/admin/accounts/user/add/",
    "/accounts/2fa/setup/",  # the enrolment page's QR code is an inline SVG
]


def test_no_page_breaks_the_policy(page, live_server, demo_county):
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(demo_county)
    page.get_by_role("button", name="登录").click()
    # A system admin gives the second factor: the code of the authenticator `gongkai demo` set up.
    page.wait_for_url(live_server.url + "/accounts/2fa/?**")
    page.get_by_label("验证码").fill(totp_code(TOTPDevice.objects.get(user__username="admin")))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + "/staff/")
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    # An application's page runs detail.js (its action forms).
    page.goto(live_server.url + "/staff/applications/")
    page.locator("table a").first.click()
    page.wait_for_load_state("load")

    # The letter preview is styled through its nonce: the agency's name is big and red.
    from gongkai.letters.models import IssuedLetter

    letter = IssuedLetter.objects.filter(agency__slug="county-office").first()
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(demo_county)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    page.goto(f"{live_server.url}/staff/applications/{letter.object_id}/letters/{letter.pk}/")
    head = page.locator("p.head")
    assert head.evaluate("e => getComputedStyle(e).color") == "rgb(230, 0, 18)"
    assert float(head.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 29

    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 5
    assert not blocked, blocked
