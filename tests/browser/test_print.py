"""Printing the queue and a case page: no navigation, filters, forms or buttons on paper, and
the full text of every clipped cell (checked with Chromium's print media)."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "城口县" + "某某镇某某村2019年至2025年道路建设" * 8 + "的全部资料"


def log_in(page, base, password):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")


def test_the_queue_and_the_case_print_without_controls(live_server, page, demo_county):
    office = Agency.objects.get(name="城口县人民政府办公室")
    clerk = office.memberships.get(user__username="clerk").user
    case = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=timezone.localdate(),
        data=f.person_data(description=LONG),
    )
    log_in(page, live_server.url, demo_county)
    page.goto(live_server.url + "/staff/applications/?q=" + case.reference)
    cell = page.locator("table.queue .clip", has_text="某某镇")
    assert cell.evaluate("el => el.scrollHeight > el.clientHeight + 1")  # clipped on screen
    page.emulate_media(media="print")
    for hidden in (".filters", ".queue-links", ".site-header nav"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert cell.evaluate("el => el.scrollHeight <= el.clientHeight + 1")  # whole on paper
    assert cell.inner_text().startswith(LONG[:20])

    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/staff/applications/{case.pk}/")
    assert page.locator("details.action").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator("details.action").first.is_hidden()
    assert page.locator("#due-date").is_visible() and page.locator(".timeline").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
