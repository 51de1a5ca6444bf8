"""The workbench queue as clerks use it: search, the clock column, cases kept until archived,
the XLSX export of what is filtered, 待我审批 and 报请延期 (《政府信息公开条例》第三十三条第二款)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.applications import services as s
from gongkai.applications.models import Application, ExtensionRequest
from gongkai.applications.services.deadlines import estimated
from gongkai.applications.services.queue import search_q
from gongkai.holidays.services import load_calendar
from gongkai.law.workflow import TransitionRefused
from gongkai.testing import factories as f

QUEUE = "/staff/applications/"


@pytest.fixture
def cases(office, clerk):
    today = timezone.localdate()
    zhang = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=today,
        data=f.person_data(applicant_name="张三丰", phone="13812345678"),
    )
    li = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=today - timedelta(days=60),
        data=f.person_data(applicant_name="李四", phone="13900002222"),
    )
    waiting = s.submit_online(agency=office, data=f.person_data(applicant_name="王五"))
    Application.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    return {"zhang": zhang, "li": li, "waiting": waiting}


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


def listed(client, **params):
    return [row.application.pk for row in client.get(QUEUE, params).context["items"]]


def test_search_by_reference_code_name_and_phone(client, clerk, cases):
    client.force_login(clerk)
    zhang = cases["zhang"]
    assert listed(client, q=zhang.reference) == [zhang.pk]
    assert listed(client, q=zhang.tracking_code_display.lower()) == [zhang.pk]  # with dashes
    assert listed(client, q="三丰") == [zhang.pk]
    assert listed(client, q="13900002222") == [cases["li"].pk]
    assert listed(client, q="139 0000 2222") == [cases["li"].pk]
    # Phones are encrypted at rest: a whole number is found by its keyed hash, a part is not.
    assert listed(client, q="2222") == []
    assert listed(client, q="没有这个人") == []
    assert set(listed(client)) == {c.pk for c in cases.values()}


def test_a_short_number_is_not_read_as_a_phone(cases):
    matched = Application.objects.filter(search_q("13"))
    assert cases["li"] not in matched  # "13" is in every phone; it must match a name or number


def test_the_clock_column_says_days_left_overdue_or_waiting(client, clerk, cases):
    client.force_login(clerk)
    today = timezone.localdate()
    calendar = estimated(load_calendar(), today.year + 1)  # December: next year may be missing
    rows = {row.application.pk: row for row in client.get(QUEUE).context["items"]}
    zhang = Application.objects.get(pk=cases["zhang"].pk)
    left = calendar.working_days_between(today, zhang.shown_due_on)
    assert rows[zhang.pk].clock.startswith(f"剩余 {left} 个工作日")
    li = Application.objects.get(pk=cases["li"].pk)
    late = calendar.working_days_between(li.due_on, today)
    assert late > 0 and rows[li.pk].clock == f"已超期 {late} 个工作日"
    assert rows[cases["waiting"].pk].band_label == "待确认"
    assert rows[cases["waiting"].pk].clock == "已等待 3 天"
    html = client.get(QUEUE).content.decode()
    assert f"剩余 {left} 个工作日" in html and "已等待 3 天" in html
    if zhang.due_on is None:  # a provisional date says so
        assert rows[zhang.pk].clock.endswith("（暂定）")


def test_a_replied_case_stays_until_archived(client, clerk, approver, cases):
    client.force_login(clerk)
    zhang = cases["zhang"]
    s.reply(actor=approver, application=zhang, disposition="not_exist")
    assert zhang.pk in listed(client)
    s.record_delivery(actor=clerk, application=Application.objects.get(pk=zhang.pk), method="post")
    assert zhang.pk in listed(client)  # delivered, not yet archived
    s.archive(actor=clerk, application=Application.objects.get(pk=zhang.pk))
    assert zhang.pk not in listed(client)
    assert zhang.pk in listed(client, state="all")


def test_the_export_holds_the_filtered_rows_masked(client, clerk, cases):
    client.force_login(clerk)
    response = client.get(QUEUE + "export.xlsx", {"q": "张三丰"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and "查询码" not in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == cases["zhang"].reference and rows[1][1] == "张**"
    text = "".join(str(v) for row in rows for v in row if v is not None)
    assert "张三丰" not in text and cases["zhang"].tracking_code not in text
    assert rows[1][8].startswith("剩余")


def test_a_clerk_requests_an_extension_the_approver_approves_it(client, clerk, approver, cases):
    zhang = Application.objects.get(pk=cases["zhang"].pk)
    client.force_login(clerk)
    page = client.get(f"{QUEUE}{zhang.pk}/").content.decode()
    assert 'id="action-request_extension"' in page and 'id="action-extend"' not in page
    response = client.post(
        f"{QUEUE}{zhang.pk}/actions/request_extension/",
        {"request_extension-days": "15", "request_extension-reason": "需调取档案"},
    )
    assert response.status_code == 302
    assert ExtensionRequest.objects.get(application=zhang).pending
    assert not hasattr(Application.objects.get(pk=zhang.pk), "extension")
    queue_page = client.get(QUEUE).content.decode()
    assert "待审批延期" in queue_page
    page = client.get(f"{QUEUE}{zhang.pk}/").content.decode()
    assert "延期申请（待负责人审批）" in page and 'id="action-request_extension"' not in page

    client.force_login(approver)
    queue = client.get(QUEUE)
    assert queue.context["to_approve"] == 1
    approvals = client.get(QUEUE + "approvals/")
    assert [row.application.pk for row in approvals.context["items"]] == [zhang.pk]
    page = client.get(f"{QUEUE}{zhang.pk}/").content.decode()
    assert 'id="action-approve_extension_request"' in page
    assert 'id="action-extend"' not in page  # one way to answer a pending request
    due_before = Application.objects.get(pk=zhang.pk).shown_due_on
    response = client.post(f"{QUEUE}{zhang.pk}/actions/approve_extension_request/", {})
    assert response.status_code == 302
    zhang = Application.objects.get(pk=zhang.pk)
    assert zhang.extension.days == 15 and zhang.extension.reason == "需调取档案"
    assert zhang.extension.approved_by == approver
    calendar = estimated(load_calendar(), timezone.localdate().year + 1)
    assert zhang.shown_due_on == calendar.add_working_days(due_before, 15)
    assert not ExtensionRequest.objects.filter(application=zhang).exists()
    event = zhang.events.get(action="extend")
    assert event.actor == approver and event.data["requested_by"] == clerk.pk
    assert client.get(QUEUE).context["to_approve"] == 0


def test_a_returned_request_says_why_and_a_clerk_cannot_approve(client, clerk, approver, cases):
    zhang = cases["zhang"]
    s.request_extension(actor=clerk, application=zhang, days=5, reason="量大")
    with pytest.raises(Exception) as denied:
        s.approve_extension_request(actor=clerk, application=zhang)
    assert "负责人" in str(denied.value)
    s.return_extension_request(actor=approver, application=zhang, note="理由不充分")
    request = ExtensionRequest.objects.get(application=zhang)
    assert not request.pending and request.return_note == "理由不充分"
    client.force_login(clerk)
    page = client.get(f"{QUEUE}{zhang.pk}/").content.decode()
    assert "延期申请（已退回）" in page and "理由不充分" in page
    assert 'id="action-request_extension"' in page  # may ask again
    row = next(r for r in client.get(QUEUE).context["items"] if r.application.pk == zhang.pk)
    assert row.returned == ("延期申请已退回",) and not row.extension_pending
    with pytest.raises(TransitionRefused):
        s.approve_extension_request(actor=approver, application=zhang)
