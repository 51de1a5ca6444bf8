"""The monitoring dashboard in a real browser: a supervisor runs the checks, sees the single-veto
letter first and follows the finding to the letter; once the letter is answered (here in the
database: the mailbox's own browser test answers letters), the next run no longer lists it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.mailbox.models import Letter, Mailbox
from gongkai.publications.models import Publication, State
from gongkai.testing import factories as f
from gongkai.testing.second_factor import enrol_totp, totp_code
from tests.browser.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_leads_to_the_record_to_fix(page, live_server, office):
    boss = f.staff("boss", office, "supervisor", "clerk")
    boss.set_password("pw-Monitor-2026")
    boss.save()
    device = enrol_totp(boss)  # a supervisor logs in with an authenticator app
    received = timezone.localdate() - timedelta(days=120)
    box = Mailbox.objects.create(agency=office, slug="head", name="县长信箱")
    letter = Letter.objects.create(
        agency=office,
        mailbox=box,
        tracking_code="T00000000001",
        reference="县长信箱〔2026〕1号",
        reference_year=received.year,
        reference_serial=1,
        writer_name="张三",
        phone="13800138000",
        category="consultation",
        subject="路灯坏了",
        body="请修",
        notify_by="none",
        state=Letter.State.ASSIGNED,
        submitted_at=f.at(received),
        received_on=received,
    )
    Publication.objects.create(
        agency=office,
        state=State.PUBLISHED,
        created_by=boss,
        title="专栏说明",
        published_on=timezone.localdate(),
        body='<a href="/no/such/page/">旧链接</a>',
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill("pw-Monitor-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/accounts/2fa/?**")  # a supervisor gives a second factor
    page.get_by_label("验证码").fill(totp_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + "/staff/")
    page.get_by_role("link", name=re.compile("网站自查")).click()
    expect(page.locator("#no-run")).to_be_visible()
    page.get_by_role("button", name="立即自查").click()
    expect(page.locator("#veto")).to_have_text("1")
    rows = page.locator("tr.finding")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-kind", "unanswered_letter")  # veto first
    expect(rows.nth(1)).to_contain_text("/no/such/page/")
    shot(page, "gongkai-monitoring.png", full_page=True)
    rows.first.get_by_role("link", name="去整改").click()
    expect(page).to_have_url(re.compile(rf"/staff/mailbox/{letter.pk}/$"))
    expect(page.get_by_text("路灯坏了").first).to_be_visible()
    Letter.objects.filter(pk=letter.pk).update(state=Letter.State.ANSWERED)
    page.goto(live_server.url + "/staff/monitoring/")
    page.get_by_role("button", name="立即自查").click()
    expect(page.locator("#veto")).to_have_text("0")
    expect(page.locator("tr.finding")).to_have_count(1)
    expect(page.locator("#trend tbody tr")).to_have_count(2)


def test_a_guide_older_than_the_contact_data_is_fixed_in_the_back_office(page, live_server, office):
    """A system admin finds the 指南 older than the office's contact data, follows the finding to
    the 工作机构 record in the back office, updates the guide's date there, and the next run no
    longer lists it."""
    from gongkai.accounts.models import Role
    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.guide.models import DisclosureOffice
    from gongkai.guide.services import save_office

    admin = f.staff("sysadmin", office, Role.ADMIN)
    admin.set_password("pw-Monitor-2026")
    admin.save()
    device = enrol_totp(admin)
    today = timezone.localdate()
    record = save_office(
        actor=COMMAND_LINE,
        office=DisclosureOffice(
            agency=office,
            name="县政府办公室政务公开科",
            address="城口县葛城街道演示路1号",
            hours="工作日上午9:00—12:00",
            phone="023-59000001",
            updated_on=today - timedelta(days=200),
        ),
    )
    record.phone = "023-59009999"  # the office moved its line; the guide was not reviewed
    save_office(actor=COMMAND_LINE, office=record)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("密码").fill("pw-Monitor-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/accounts/2fa/?**")
    page.get_by_label("验证码").fill(totp_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + "/staff/")
    page.goto(live_server.url + "/staff/monitoring/")
    page.get_by_role("button", name="立即自查").click()
    row = page.locator('tr.finding[data-kind="guide_outdated"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("城口县人民政府办公室政府信息公开指南")
    expect(row).to_contain_text(str(today))
    row.get_by_role("link", name="去整改").click()
    expect(page).to_have_url(re.compile(rf"/admin/guide/disclosureoffice/{record.pk}/change/$"))
    expect(page.locator("#id_phone")).to_have_value("023-59009999")
    page.locator("#id_updated_on").fill(today.isoformat())
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    record.refresh_from_db()
    assert record.updated_on == today
    page.goto(live_server.url + "/staff/monitoring/")
    page.get_by_role("button", name="立即自查").click()
    expect(page.locator("#run-summary")).to_be_visible()
    expect(page.locator('tr.finding[data-kind="guide_outdated"]')).to_have_count(0)
