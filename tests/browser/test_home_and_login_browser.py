"""A person opens the public site on a phone, then a clerk logs in to 工作台."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.shots import shot

PHONE_WIDTH = 390

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_on_a_phone_then_a_clerk_logs_in(phone_page, live_server, demo_county):
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.title() == "城口县人民政府 政府信息公开"
    assert page.get_by_role("heading", level=1).inner_text() == "城口县人民政府 政府信息公开"
    expect(page.get_by_role("heading", name="机关名录")).to_be_visible()
    expect(page.get_by_text("城口县公安局", exact=True)).to_be_visible()
    # Mobile-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # The stylesheet arrived (the header band is coloured, not the browser default).
    band = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert band == "rgb(158, 27, 27)"
    shot(page, "gongkai-home-phone.png", full_page=True)

    # The skip link is the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"

    page.get_by_role("link", name="工作人员登录").click()
    page.get_by_label("用户名").fill("gaj-clerk")
    page.get_by_label("密码").fill(demo_county)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
    card = page.locator(".card")
    assert "城口县公安局" in card.inner_text()
    assert "公开专员" in card.inner_text()
    shot(page, "gongkai-staff-phone.png", full_page=True)

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def test_wrong_password_shows_an_alert(page, live_server, demo_county):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    # The alert comes with the reloaded page: wait for it (is_visible() would not).
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/login/")))


def test_home_on_a_desktop_uses_the_width(page, live_server, demo_county):
    page.goto(live_server.url + "/")
    columns = page.locator(".directory").first.evaluate(
        "e => getComputedStyle(e).gridTemplateColumns.split(' ').length"
    )
    assert columns == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "gongkai-home-desktop.png")
