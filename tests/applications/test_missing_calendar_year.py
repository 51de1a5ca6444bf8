"""Year end: a date in a year without holiday data is never guessed, and the clerk is told why.

The shipped calendar stops at 2026. An action whose date would fall in 2027 either names the
missing year and the command that loads it (nothing changed), or — the extension, a legal act
already done — is recorded with its due date 待补充节假日安排 until 2027 is imported.
"""

from datetime import date

import pytest
from django.utils import timezone

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.common import CalendarYearRefused
from gongkai.holidays.services import import_year, load_calendar
from gongkai.testing import factories as f
from tests.holidays.conftest import ARRANGEMENT_2027

BASE = "/staff/applications/"
API = "/api/v1/applications"
IMPORT_HINT = "gongkai calendar import 2027 FILE"


@pytest.fixture
def day(monkeypatch):
    """Set the local date the platform sees (the services and forms read timezone.localdate)."""

    def set_day(d: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: d)

    return set_day


@pytest.fixture
def no_2027(office):
    assert not load_calendar().covers(2027), "the tests need 2027 to be missing"


@pytest.fixture
def december_10(office, clerk, day, no_2027):
    """Received Thursday 10 December 2026: the 20th working day is in January 2027."""
    day(date(2026, 12, 10))
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 12, 10)
    )
    application.refresh_from_db()
    day(date(2026, 12, 15))
    return application


def test_the_due_date_waits_for_2027(december_10):
    assert december_10.due_on is None and december_10.clock_basis["missing_year"] == 2027
    assert "待补充节假日安排" in december_10.clock_explanation
    assert IMPORT_HINT in december_10.clock_explanation


def test_meanwhile_a_provisional_date_is_shown_and_replaced_on_import(
    client, december_10, clerk, approver
):
    # 11–31 December 2026 are 15 working days; 1 January 2027 is 元旦 by the 放假办法 (a
    # Friday), so 4–8 January make 20: provisional due date Friday 8 January 2027.
    assert december_10.provisional_due_on == date(2027, 1, 8)
    assert "暂定答复期限：2027-01-08" in december_10.clock_explanation
    client.force_login(clerk)
    queue = client.get(BASE).content.decode()
    assert "2027-01-08" in queue and "暂定" in queue
    assert "暂停计时</span>" not in queue.split("<tbody>")[1]  # banded on the estimate
    detail = client.get(f"{BASE}{december_10.pk}/").content.decode()
    assert "暂定 2027-01-08" in detail and IMPORT_HINT in detail
    lookup = client.post("/apply/status/", {"code": december_10.tracking_code})
    page = client.get(lookup["Location"]).content.decode()
    assert "暂定2027年1月8日" in page and "以重新计算的日期为准" in page
    # Nothing legal is decided on the estimate: the workflow still sees no due date.
    assert december_10.due_on is None
    import_year(year=2027, text=ARRANGEMENT_2027, actor=clerk, source="测试用（非国务院通知）")
    december_10.refresh_from_db()
    assert december_10.due_on == date(2027, 1, 8) and december_10.provisional_due_on is None
    assert "暂定" not in client.get(BASE).content.decode().split("<tbody>")[1]


def test_an_extension_is_recorded_pending_then_dated_when_2027_is_imported(
    december_10, approver, clerk
):
    extension = s.approve_extension(
        actor=approver,
        application=december_10,
        days=10,
        reason="需检索多年档案",
        approved_on=date(2026, 12, 15),
    )
    application = Application.objects.get(pk=december_10.pk)
    assert application.state == "accepted" and extension.days == 10
    assert application.due_on is None and application.clock_basis["extension_days"] == 10
    assert "2027" in application.clock_explanation and IMPORT_HINT in application.clock_explanation
    event = application.events.get(action="extend")
    assert event.data["letter_pending"] is True and "2027" in event.note
    assert not application.letters.filter(key="extension").exists()  # no date to tell yet

    import_year(year=2027, text=ARRANGEMENT_2027, actor=clerk, source="测试用（非国务院通知）")
    application.refresh_from_db()
    # Test data: 1–3 January 2027 off. 11–31 December are 15 working days, 4–8 January make 20
    # (the original due date), 11–15 and 18–22 January the 10 more.
    assert application.due_on == date(2027, 1, 22)
    assert application.extension.previous_due == date(2027, 1, 8)
    recompute = application.events.get(action="recompute")
    assert recompute.note == "因节假日安排变更，答复期限由（未定）改为2027-01-22"
    letter = application.letters.get(key="extension")
    assert letter.context["extended_due_on"] == "2027-01-22"
    assert application.events.filter(action="letter", data__letter=letter.pk).exists()


def test_the_approver_sees_the_extension_form_while_the_date_is_pending(
    client, december_10, approver
):
    client.force_login(approver)
    page = client.get(f"{BASE}{december_10.pk}/").content.decode()
    assert 'id="action-extend"' in page
    assert "待补充节假日安排" in page and IMPORT_HINT in page


def test_an_extension_into_2027_is_recorded_from_the_workbench(
    client, office, clerk, approver, no_2027
):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 11, 20)
    )
    application.refresh_from_db()
    assert application.due_on == date(2026, 12, 18)
    client.force_login(approver)
    response = client.post(
        f"{BASE}{application.pk}/actions/extend/",
        {"extend-on": "2026-11-27", "extend-days": "20", "extend-reason": "需检索多年档案"},
    )
    assert response.status_code == 302  # was a 400 saying 「缺少：extended_due_on」
    application.refresh_from_db()
    assert application.extension.previous_due == date(2026, 12, 18)
    assert application.due_on is None and application.clock_basis["missing_year"] == 2027


def test_a_consultation_into_2027_is_refused_with_the_year_and_nothing_changes(december_10, clerk):
    with pytest.raises(CalendarYearRefused) as caught:
        s.open_consultation(
            actor=clerk,
            application=december_10,
            kind="third_party",
            party="张三",
            sent_on=date(2026, 12, 15),
        )
    assert caught.value.code == "calendar.missing_year" and caught.value.year == 2027
    assert caught.value.reason_zh.startswith("缺少2027年的节假日安排")
    assert IMPORT_HINT in caught.value.reason_zh and IMPORT_HINT in caught.value.reason_en
    application = Application.objects.get(pk=december_10.pk)
    assert application.state == "accepted" and not application.consultations.exists()
    assert not application.events.filter(action="open_consultation").exists()


def test_the_workbench_shows_the_missing_year_on_the_form(client, december_10, clerk):
    client.force_login(clerk)
    response = client.post(
        f"{BASE}{december_10.pk}/actions/issue_fee_notice/",
        {
            "issue_fee_notice-on": "2026-12-15",
            "issue_fee_notice-method": "per_page",
            "issue_fee_notice-pages": "150",
            "issue_fee_notice-payment_method": "银行转账",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="error-summary"' in page and "缺少2027年的节假日安排" in page
    assert IMPORT_HINT in page
    application = Application.objects.get(pk=december_10.pk)
    assert application.state == "accepted" and not hasattr(application, "fee_notice")


def test_the_api_answers_409_calendar_missing_year(client, december_10, clerk):
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="test")
    response = client.post(
        f"{API}/{december_10.pk}/actions/open_consultation",
        {"on": "2026-12-15", "kind": "agency", "party": "县财政局"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "calendar.missing_year"
    assert (
        body["detail_zh"].startswith("缺少2027年的节假日安排") and IMPORT_HINT in body["detail_zh"]
    )
    assert IMPORT_HINT in body["detail_en"]
    assert not Application.objects.get(pk=december_10.pk).consultations.exists()


def test_a_correction_late_in_december(client, office, clerk, day, no_2027):
    # Received Wednesday 23 December: the 7th working day after it is in January 2027. Every
    # day up to 31 December is known, so a request made in December is in time.
    day(date(2026, 12, 23))
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 12, 23)
    )
    day(date(2026, 12, 24))
    client.force_login(clerk)
    assert client.get(f"{BASE}{application.pk}/").status_code == 200
    with pytest.raises(CalendarYearRefused, match=IMPORT_HINT):  # 15 working days: 2027
        s.request_correction(actor=clerk, application=application, items=["请写明所需信息的名称"])
    assert Application.objects.get(pk=application.pk).state == "accepted"
    s.request_correction(  # a deadline given by hand needs no calendar
        actor=clerk,
        application=application,
        items=["请写明所需信息的名称"],
        supplement_due=date(2026, 12, 31),
    )
    assert Application.objects.get(pk=application.pk).state == "correction_requested"


def test_the_acceptance_mail_does_not_print_none(
    office, clerk, day, no_2027, mailoutbox, django_capture_on_commit_callbacks
):
    day(date(2026, 12, 10))
    waiting = s.submit_online(agency=office, data=f.person_data(email="a@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        s.confirm_receipt(actor=clerk, application=waiting, confirmed_on=date(2026, 12, 10))
    body = mailoutbox[-1].body
    assert "答复期限待补充节假日安排后计算" in body and "None" not in body


def test_the_queue_works_in_the_last_days_of_december(client, office, clerk, day, no_2027):
    # Received Thursday 3 December 2026: due Thursday 31 December. On the 29th the 4th working
    # day ahead is in 2027 (not loaded), yet the queue shows and counts it as 即将到期.
    day(date(2026, 12, 3))
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 12, 3)
    )
    application.refresh_from_db()
    assert application.due_on == date(2026, 12, 31)
    day(date(2026, 12, 29))
    client.force_login(clerk)
    response = client.get("/staff/applications/", {"band": "due_soon"})
    assert response.status_code == 200
    assert f"{BASE}{application.pk}/" in response.content.decode()
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="test")
    listed = client.get(API, {"band": "due_soon"}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(i["id"], i["band"]) for i in listed["items"]] == [(application.pk, "due_soon")]


def test_no_letter_states_a_provisional_date_as_final(december_10, clerk):
    """The 登记回执 of a case due past the known calendar promises the 20 working days of
    Art. 33, not the estimated date (a letter is a legal act; an estimate is not)."""
    from docx import Document

    provisional = december_10.provisional_due_on
    assert provisional is not None
    letter = s.generate_letter(actor=clerk, application=december_10, key="receipt")
    assert not letter.context.get("due_on")
    with letter.docx.open("rb") as handle:
        text = "\n".join(p.text for p in Document(handle).paragraphs)
    assert "20个工作日内予以答复" in text and "答复期限至" not in text
    assert f"{provisional.year}年{provisional.month}月{provisional.day}日" not in text
