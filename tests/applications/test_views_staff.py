"""The workbench: queue (bands, filters, masking, bounded queries), registration, detail, actions."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band, estimated
from gongkai.applications.services.ui_support import band_counts, band_q
from gongkai.holidays.services import load_calendar
from gongkai.testing import factories as f

QUEUE = "/staff/applications/"


def received_for_due(calendar, due: date) -> date:
    """The receipt day whose 20th working day after is ``due`` (a working day)."""
    day = due - timedelta(days=1)
    while calendar.add_working_days(day, 20) > due:
        day -= timedelta(days=1)
    assert calendar.add_working_days(day, 20) == due
    return day


def next_working_day(calendar, day: date) -> date:
    return calendar.add_working_days(day, 1)


@pytest.fixture
def busy_clerk(office, clerk):
    """The clerk with 30 open applications, one due on the next working day, one overdue.

    In December the next year's holidays may not be published yet: the calendar then counts
    on the statute's estimate, and those due dates are provisional (shown and banded alike).
    """
    today = timezone.localdate()
    calendar = estimated(load_calendar(), today.year + 1)
    tomorrow = next_working_day(calendar, today)
    due_tomorrow = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=received_for_due(calendar, tomorrow),
        data=f.person_data(applicant_name="欧阳明日", phone="13900001111"),
    )
    overdue = f.received_application(
        actor=clerk, agency_obj=office, received_on=today - timedelta(days=60)
    )
    for i in range(27):
        f.received_application(
            actor=clerk, agency_obj=office, received_on=today - timedelta(days=i % 10)
        )
    s.submit_online(agency=office, data=f.person_data())  # 待确认: no clock yet
    return {"tomorrow": due_tomorrow, "overdue": overdue, "today": today, "calendar": calendar}


def test_the_queue_sorts_by_due_date_with_bands_in_words(client, clerk, busy_clerk):
    client.force_login(clerk)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    items = response.context["items"]
    assert len(items) == 30
    dues = [row.application.due_on for row in items if row.application.due_on]
    assert dues == sorted(dues)
    assert items[0].application == busy_clerk["overdue"]
    assert items[0].band is DeadlineBand.OVERDUE and items[1].band is DeadlineBand.DUE_SOON
    assert items[1].application == busy_clerk["tomorrow"]
    counts = dict((band.value, n) for band, n in response.context["counts"])
    assert counts["overdue"] == 1 and counts["awaiting"] == 1 and counts["stopped"] == 0
    assert sum(counts.values()) == 30
    for word in ["已超期", "即将到期", "正常", "暂停计时"]:
        assert word in html
    # The handling clerk sees the names of the cases they handle; the phone is not listed.
    assert "欧阳明日" in html
    assert "13900001111" not in html
    # Someone who does not handle the agency (its supervisor) sees names masked.
    client.force_login(f.staff("supervisor", items[0].application.agency, "supervisor"))
    html = client.get(QUEUE).content.decode()
    assert "欧阳明日" not in html and "欧***" in html


def test_the_queue_runs_a_bounded_number_of_queries(client, clerk, busy_clerk):
    client.force_login(clerk)
    client.get(QUEUE)  # warm the calendar cache
    with CaptureQueriesContext(connection) as thirty:
        client.get(QUEUE)
    Application.objects.exclude(pk=busy_clerk["tomorrow"].pk).delete()
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    assert len(thirty) == len(one)


def test_the_queue_query_count_is_at_most_ten(
    client, clerk, busy_clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    client.get(QUEUE)
    with django_assert_max_num_queries(10):
        client.get(QUEUE)


def test_filters_by_band_state_channel_and_agency(client, clerk, busy_clerk, office, police):
    client.force_login(clerk)
    overdue = client.get(QUEUE, {"band": "overdue"}).context["items"]
    assert [row.application for row in overdue] == [busy_clerk["overdue"]]
    waiting = client.get(QUEUE, {"state": "registered"}).context["items"]
    assert len(waiting) == 1 and waiting[0].application.channel == "online"
    online = client.get(QUEUE, {"channel": "online"}).context["items"]
    assert len(online) == 1
    assert len(client.get(QUEUE, {"agency": office.pk}).context["items"]) == 30
    # Another agency is not among the choices: the filter is invalid and ignored.
    assert len(client.get(QUEUE, {"agency": police.pk}).context["items"]) == 30


def test_band_filter_agrees_with_deadline_band(office, clerk, busy_clerk):
    today, calendar = busy_clerk["today"], busy_clerk["calendar"]
    rows = Application.objects.all()
    for band in DeadlineBand:
        expected = {a.pk for a in rows if deadline_band(a, today, calendar) is band}
        assert (
            set(rows.filter(band_q(band, today, calendar)).values_list("pk", flat=True)) == expected
        )
    counts = band_counts(rows, today, calendar)
    assert counts["due_soon"] >= 1 and counts["overdue"] == 1


def test_another_agencys_clerk_sees_nothing(client, stranger, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 3, 2)
    )
    client.force_login(stranger)
    assert client.get(QUEUE).context["items"] == []
    assert client.get(f"{QUEUE}{application.pk}/").status_code == 404
    response = client.post(f"{QUEUE}{application.pk}/actions/withdraw/", {})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == "accepted"


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_detail_shows_full_data_to_the_handler_and_masks_for_others(client, office, clerk):
    data = f.person_data(applicant_name="张三丰", phone="13812345678")
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 3, 2), data=data
    )
    client.force_login(clerk)
    html = client.get(f"{QUEUE}{application.pk}/").content.decode()
    assert "张三丰" in html and data["id_number"] in html and "13812345678" in html
    assert "2026-03-30" in html  # 20 working days after 2 March 2026
    assert "第20个工作日" in html  # the clock's steps
    admin = f.staff("sysadmin", office, "admin")
    office_admin = Application.objects.get(pk=application.pk)
    assert office_admin.agency == office
    client.force_login(admin)
    html = client.get(f"{QUEUE}{application.pk}/").content.decode()
    assert "张三丰" not in html and data["id_number"] not in html and "13812345678" not in html
    assert "张**" in html and "138****5678" in html
    assert 'id="action-' not in html  # an admin does not handle cases


def test_a_supervisor_sees_full_data(client, office, clerk):
    county = f.agency("county", "城口县人民政府")
    office.parent = county
    office.save()
    supervisor = f.staff("zwgk", county, "supervisor")
    data = f.person_data(applicant_name="张三丰")
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 3, 2), data=data
    )
    client.force_login(supervisor)
    html = client.get(f"{QUEUE}{application.pk}/").content.decode()
    assert "张三丰" in html and data["id_number"] in html


def test_only_allowed_actions_are_offered(client, office, clerk, approver):
    waiting = s.submit_online(agency=office, data=f.person_data())
    client.force_login(clerk)
    html = client.get(f"{QUEUE}{waiting.pk}/").content.decode()
    forms = re.findall(r'id="action-(\w+)"', html)
    assert forms == ["accept", "withdraw", "transfer"]
    assert "确认收到并受理" in html
    accepted = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    forms = re.findall(r'id="action-(\w+)"', client.get(f"{QUEUE}{accepted.pk}/").content.decode())
    assert "extend" not in forms and "draft_reply" in forms and "request_correction" in forms
    assert "reply" not in forms  # a clerk's reply is a draft for the approver
    client.force_login(approver)
    forms = re.findall(r'id="action-(\w+)"', client.get(f"{QUEUE}{accepted.pk}/").content.decode())
    assert "extend" in forms and "reply" in forms and "draft_reply" not in forms


def test_confirm_receipt_posts_then_redirects(client, office, clerk):
    waiting = s.submit_online(agency=office, data=f.person_data())
    client.force_login(clerk)
    response = client.post(f"{QUEUE}{waiting.pk}/actions/accept/", {})
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}{waiting.pk}/"
    waiting.refresh_from_db()
    assert waiting.state == "accepted" and waiting.received_on == timezone.localdate()
    page = client.get(response["Location"]).content.decode()
    assert "已办理：确认收到并受理" in page


def test_a_refused_transition_shows_its_reason_and_changes_nothing(client, office, clerk):
    waiting = s.submit_online(agency=office, data=f.person_data())
    client.force_login(clerk)
    response = client.post(
        f"{QUEUE}{waiting.pk}/actions/draft_reply/",
        {"draft_reply-disposition": "granted", "draft_reply-provision_method": "电子邮件"},
        follow=True,
    )
    html = response.content.decode()
    assert "未办理：申请尚未受理（待确认收到），不能答复" in html
    waiting.refresh_from_db()
    assert waiting.state == "registered" and not waiting.letters.exists()


def test_a_second_correction_is_refused_with_the_article(client, office, clerk):
    day = timezone.localdate()
    application = f.received_application(actor=clerk, agency_obj=office, received_on=day)
    client.force_login(clerk)
    url = f"{QUEUE}{application.pk}/actions/request_correction/"
    assert client.post(url, {"request_correction-items": "请写明文件名称"}).status_code == 302
    s.record_supplement(actor=clerk, application=application)
    page = client.post(url, {"request_correction-items": "再补正"}, follow=True).content.decode()
    assert "补正只能一次性告知" in page


def test_an_action_form_error_is_shown_beside_the_field(client, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    client.force_login(clerk)
    response = client.post(f"{QUEUE}{application.pk}/actions/request_correction/", {})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_request_correction-items-error"' in html
    assert '<details class="action" id="action-request_correction" open>' in html
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(f"{QUEUE}{application.pk}/actions/withdraw/", {"withdraw-on": future})
    assert "日期不能晚于今天" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "accepted"


def test_a_clerk_cannot_approve_an_extension(client, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    client.force_login(clerk)
    response = client.post(
        f"{QUEUE}{application.pk}/actions/extend/", {"extend-days": "10", "extend-reason": "量大"}
    )
    assert response.status_code == 403
    assert not hasattr(Application.objects.get(pk=application.pk), "extension")


def test_reply_needs_the_letter_fields_of_its_disposition(client, office, clerk, approver):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    client.force_login(clerk)
    url = f"{QUEUE}{application.pk}/actions/draft_reply/"
    response = client.post(url, {"draft_reply-disposition": "granted"})
    assert response.status_code == 400
    assert "provision_method" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "accepted" and not application.awaiting_reply_approval
    ok = client.post(
        url, {"draft_reply-disposition": "granted", "draft_reply-provision_method": "电子邮件"}
    )
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.state == "accepted" and application.awaiting_reply_approval
    client.force_login(approver)
    page = client.get(f"{QUEUE}{application.pk}/").content.decode()
    # One way to answer while a draft is pending: approve it or return it.
    assert 'id="action-approve_reply"' in page and 'id="action-return_reply_draft"' in page
    assert 'id="action-reply"' not in page
    url = f"{QUEUE}{application.pk}/actions/reply/"  # the API may still reply in one step
    response = client.post(url, {"reply-disposition": "granted"})
    assert response.status_code == 400
    ok = client.post(url, {"reply-disposition": "granted", "reply-provision_method": "电子邮件"})
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.state == "replied" and application.disposition == "granted"
    assert not hasattr(application, "reply_draft")  # the direct reply supersedes the draft
    assert application.events.get(action="reply").data["draft"] == "superseded"


def test_register_an_application_received_in_person(client, office, clerk):
    client.force_login(clerk)
    assert client.get("/staff/applications/register/").status_code == 200
    data = {
        **f.person_data(),
        "agency": office.pk,
        "channel": "in_person",
        "accept": "on",
        "idempotency_key": "k1",
    }
    missing = client.post("/staff/applications/register/", data)
    assert missing.status_code == 400
    assert 'id="id_received_on-error"' in missing.content.decode()
    data["received_on"] = "2026-03-02"
    response = client.post("/staff/applications/register/", data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == "accepted" and application.received_on == date(2026, 3, 2)
    assert client.post("/staff/applications/register/", data).status_code == 302
    assert Application.objects.count() == 1  # same idempotency key


def test_letters_preview_and_download(client, office, clerk, stranger):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    s.request_correction(actor=clerk, application=application, items=["请写明文件名称"])
    letter = application.letters.get()
    client.force_login(clerk)
    base = f"{QUEUE}{application.pk}/letters/{letter.pk}/"
    preview = client.get(base)
    assert preview.status_code == 200 and "补正告知书" in preview.content.decode()
    docx = client.get(base + "docx/")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    assert client.get(base + "pdf/").status_code in (200, 503)
    client.force_login(stranger)
    assert client.get(base).status_code == 404
