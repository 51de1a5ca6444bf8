"""Every workbench action form reaches its service: fee, extension, delivery, archive, transfer."""

import pytest
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.holidays.services import import_year, load_calendar
from gongkai.testing import factories as f

BASE = "/staff/applications/"


@pytest.fixture
def today_case(office, clerk):
    year = timezone.localdate().year + 1
    if not load_calendar().covers(year):
        # Late in a year, 20 + 10 working days reach a year whose holidays are not announced
        # yet, and the platform gives no date rather than a guess; load a minimal year (not a
        # real notice) so the extension has a date to move to.
        import_year(year=year, text=f"放假 {year}-01-01 元旦\n", source="测试用（非国务院通知）")
    return f.received_application(actor=clerk, agency_obj=office, received_on=timezone.localdate())


def post(client, application, action, data):
    prefixed = {f"{action}-{k}": v for k, v in data.items()}
    return client.post(f"{BASE}{application.pk}/actions/{action}/", prefixed)


def test_an_approver_extends_and_the_letter_is_made(client, approver, today_case):
    client.force_login(approver)
    before = today_case.due_on
    response = post(client, today_case, "extend", {"days": "10", "reason": "需检索多年档案"})
    assert response.status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.extension.days == 10 and application.due_on > before
    assert application.letters.filter(key="extension").exists()
    again = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert 'id="action-extend"' not in again  # only once (Art. 33)


def test_fee_notice_then_payment(client, clerk, today_case):
    client.force_login(clerk)
    response = post(
        client,
        today_case,
        "issue_fee_notice",
        {"method": "per_page", "pages": "150", "payment_method": "银行转账至县财政局账户"},
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.state == "fee_pending" and str(application.fee_notice.amount) == "1700.00"
    assert post(client, application, "record_payment", {}).status_code == 302
    assert Application.objects.get(pk=today_case.pk).state == "accepted"


def test_reply_drafted_approved_delivered_and_archived(client, clerk, approver, today_case):
    """承办人拟稿 → 负责人审核签发 on the workbench, then 送达 and 归档."""
    client.force_login(clerk)
    page = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert 'id="action-draft_reply"' in page and 'id="action-reply"' not in page
    draft = {"disposition": "not_exist", "search_description": "经在本机关公文管理系统检索"}
    assert post(client, today_case, "draft_reply", draft).status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.state == "accepted" and application.awaiting_reply_approval
    page = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert "待审批答复" in page and 'id="draft-docx"' in page
    assert 'id="action-approve_reply"' not in page  # a clerk does not approve
    letter = application.reply_draft.letter
    assert letter.number == "" and "草稿" in letter.title and "-draft-" in letter.docx.name
    preview = client.get(f"{BASE}{today_case.pk}/letters/{letter.pk}/").content.decode()
    assert "草稿" in preview
    assert post(client, today_case, "reply", draft).status_code == 403
    assert post(client, today_case, "approve_reply", {}).status_code == 403
    assert Application.objects.get(pk=today_case.pk).state == "accepted"

    client.force_login(approver)
    page = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert 'id="action-approve_reply"' in page and 'id="action-return_reply_draft"' in page
    assert post(client, today_case, "approve_reply", {}).status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.state == "replied" and application.disposition == "not_exist"
    assert (application.reply.drafted_by, application.reply.approved_by) == (clerk, approver)
    assert application.reply.letter.number and "草稿" not in application.reply.letter.title

    client.force_login(clerk)
    assert post(client, today_case, "deliver", {"method": "email", "note": ""}).status_code == 302
    assert post(client, today_case, "archive", {}).status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.state == "archived" and application.disposition == "not_exist"
    page = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert 'id="action-' not in page


def test_an_approver_returns_a_draft_with_a_note(client, clerk, approver, today_case):
    s.draft_reply(
        actor=clerk,
        application=today_case,
        disposition="not_exist",
        letter_context={"search_description": "检索了档案"},
    )
    client.force_login(approver)
    empty = post(client, today_case, "return_reply_draft", {"note": ""})
    assert empty.status_code == 400 and "退回意见" in empty.content.decode()
    assert (
        post(client, today_case, "return_reply_draft", {"note": "检索范围不全"}).status_code == 302
    )
    application = Application.objects.get(pk=today_case.pk)
    assert not application.awaiting_reply_approval and application.state == "accepted"
    client.force_login(clerk)
    page = client.get(f"{BASE}{today_case.pk}/").content.decode()
    assert "已退回" in page and "检索范围不全" in page and 'id="action-draft_reply"' in page


def test_transfer_to_another_agency(client, clerk, police, today_case):
    client.force_login(clerk)
    response = post(
        client, today_case, "transfer", {"to_agency": police.pk, "note": "属公安局职责"}
    )
    assert response.status_code == 302
    sent = Application.objects.get(pk=today_case.pk)
    received = Application.objects.get(transferred_from=sent)
    assert sent.state == "transferred" and received.agency == police
    assert received.awaiting_confirmation


def test_withdraw(client, clerk, today_case):
    client.force_login(clerk)
    assert post(client, today_case, "withdraw", {"note": "申请人电话撤回"}).status_code == 302
    assert Application.objects.get(pk=today_case.pk).disposition == "withdrawn"


def test_an_unknown_action_is_404(client, clerk, today_case):
    client.force_login(clerk)
    assert client.post(f"{BASE}{today_case.pk}/actions/fly/", {}).status_code == 404
    assert client.get(f"{BASE}{today_case.pk}/actions/archive/").status_code == 405


def test_close_one_of_two_consultations(client, clerk, today_case):
    client.force_login(clerk)
    for party in ["甲公司", "乙公司"]:
        response = post(
            client, today_case, "open_consultation", {"kind": "third_party", "party": party}
        )
        assert response.status_code == 302
    first = today_case.consultations.order_by("pk").first()
    response = post(
        client,
        today_case,
        "close_consultation",
        {"consultation": first.pk, "opinion": "不同意公开"},
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=today_case.pk)
    assert application.state == "consulting"  # one is still open
    s.close_consultation(actor=clerk, consultation=application.consultations.get(closed_on=None))
    assert Application.objects.get(pk=today_case.pk).state == "accepted"


def test_assign_the_handler_and_filter_my_queue(client, clerk, approver, stranger, today_case):
    client.force_login(clerk)
    url = f"{BASE}{today_case.pk}/handler/"
    assert client.post(url, {"handler": stranger.pk}).status_code == 302
    assert Application.objects.get(pk=today_case.pk).handler is None  # not staff here
    assert client.post(url, {"handler": approver.pk}).status_code == 302
    assert Application.objects.get(pk=today_case.pk).handler == approver
    assert client.get(BASE, {"mine": "on"}).context["items"] == []
    client.force_login(approver)
    mine = client.get(BASE, {"mine": "on"}).context["items"]
    assert [row.application.pk for row in mine] == [today_case.pk]
    client.force_login(stranger)
    assert client.post(url, {"handler": ""}).status_code == 404


def test_generate_the_receipt(client, clerk, office, today_case):
    client.force_login(clerk)
    response = client.post(f"{BASE}{today_case.pk}/receipt/", follow=True)
    assert "已生成《政府信息公开申请登记回执》" in response.content.decode()
    assert today_case.letters.filter(key="receipt").exists()
    waiting = s.submit_online(agency=office, data=f.person_data())
    page = client.get(f"{BASE}{waiting.pk}/").content.decode()
    assert "生成登记回执" not in page  # no receipt day yet
