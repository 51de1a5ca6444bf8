"""The queue holds any data: a 100-character name leaves every column in view, at a 1366 px
desk and on a 390 px phone, and the full text is there on hover and keyboard focus."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.agencies.models import Agency
from gongkai.testing import factories as f
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = ("ChengkouMountainAgriculturalProductsCooperativeDevelopmentTradingCompany" * 2)[:100]
LONG_REQUEST = "关于" + "城口县某某镇某某村2019年至2025年" * 12 + "的全部资料"


def log_in(page, base, username, password):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")


def columns_in_view(page) -> list[str]:
    """The cells whose box leaves the visible width of the table or the window."""
    return page.evaluate(
        """() => {
        const wrap = document.querySelector('.table-wrap').getBoundingClientRect();
        const right = Math.min(wrap.right, document.documentElement.clientWidth) + 1;
        const bad = [];
        document.querySelectorAll('table.queue th, table.queue td').forEach((cell) => {
          const box = cell.getBoundingClientRect();
          if (box.width > 0 && (box.right > right || box.left < wrap.left - 1)) {
            bad.push(cell.textContent.trim().slice(0, 30) + ' @' + Math.round(box.right));
          }
        });
        return bad;
    }"""
    )


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desk-1366", "phone-390"])
def test_a_100_character_name_pushes_no_column_out(live_server, page, demo_county, size):
    office = Agency.objects.get(name="城口县人民政府办公室")
    clerk = office.memberships.get(user__username="clerk").user
    assert len(LONG_NAME) == 100
    f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=timezone.localdate(),
        data=f.organisation_data(
            applicant_name=LONG_NAME,
            description=LONG_REQUEST,
            address="重庆市城口县" + "某某路" * 30,
        ),
    )
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server.url, "clerk", demo_county)
    page.goto(live_server.url + "/staff/applications/?q=" + LONG_NAME[:20])
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    shot(page, f"gongkai-queue-long-{width}.png", full_page=True)

    assert columns_in_view(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")

    # The name is clipped in the list but whole on hover and keyboard focus.
    name = page.locator("table.queue .clip", has_text=LONG_NAME[:20])
    assert name.get_attribute("title") == LONG_NAME
    assert name.evaluate("el => el.scrollHeight > el.clientHeight + 1")  # clipped
    name.focus()
    assert name.evaluate("el => el.scrollHeight <= el.clientHeight + 1")  # all of it shown
    request = page.locator("table.queue .clip", has_text="城口县某某镇")
    assert request.get_attribute("title") == LONG_REQUEST
    assert columns_in_view(page) == []
