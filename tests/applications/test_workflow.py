"""The workflow services: refusals say why, permissions hold, every change leaves an event."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import services as s
from gongkai.applications.models import (
    Application,
    Extension,
)
from gongkai.testing import factories as f

MONDAY = date(2026, 3, 2)


@pytest.fixture
def app(office, clerk):
    return f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)


def _refused(excinfo, code):
    assert excinfo.value.code == code
    assert excinfo.value.reason_zh and excinfo.value.reason_en


def test_reply_before_acceptance_is_refused_with_the_reason(office, clerk, approver):
    app = s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(MONDAY))
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.reply(
            actor=approver,
            application=app,
            disposition="granted",
            replied_on=MONDAY,
            letter_context={"provision_method": "电子邮件"},
        )
    _refused(excinfo, "reply.not_accepted")
    assert "尚未受理" in excinfo.value.reason_zh
    app.refresh_from_db()
    assert app.state == "registered"
    assert not app.letters.exists()


def test_second_correction_is_refused(app, clerk):
    s.request_correction(
        actor=clerk, application=app, items=["请明确名称"], requested_on=date(2026, 3, 3)
    )
    s.record_supplement(actor=clerk, application=app, supplied_on=date(2026, 3, 4))
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.request_correction(
            actor=clerk, application=app, items=["再次补正"], requested_on=date(2026, 3, 5)
        )
    _refused(excinfo, "correction.repeated")
    assert "第三十条" in excinfo.value.reason_zh


def test_second_extension_is_refused(app, approver):
    s.approve_extension(
        actor=approver, application=app, days=5, reason="数量较大", approved_on=date(2026, 3, 10)
    )
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.approve_extension(
            actor=approver,
            application=app,
            days=5,
            reason="还需要时间",
            approved_on=date(2026, 3, 11),
        )
    _refused(excinfo, "extension.repeated")


def test_extension_after_the_due_date_is_refused(app, approver):
    app.refresh_from_db()
    assert app.due_on == date(2026, 3, 30)  # 20 working days after Monday 2 March 2026
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.approve_extension(
            actor=approver, application=app, days=5, reason="迟了", approved_on=date(2026, 3, 31)
        )
    _refused(excinfo, "extension.after_due")
    assert "2026-03-30" in excinfo.value.reason_zh


def test_extension_moves_the_due_date_and_writes_the_letter(app, approver):
    ext = s.approve_extension(
        actor=approver, application=app, days=20, reason="数量较大", approved_on=date(2026, 3, 20)
    )
    app.refresh_from_db()
    assert ext.previous_due == date(2026, 3, 30)
    assert app.due_on == date(2026, 4, 28)  # 20 more working days; 4–6 April 清明 off
    assert app.clock_basis["extension_days"] == 20
    letter = app.letters.get(key="extension")
    assert letter.number.startswith("县政府办公室公开〔2026〕")
    assert letter.docx.read(4) == b"PK\x03\x04"


def test_a_clerk_cannot_approve_an_extension(app, clerk):
    with pytest.raises(PermissionDenied):
        s.approve_extension(
            actor=clerk, application=app, days=5, reason="x", approved_on=date(2026, 3, 10)
        )
    assert not Extension.objects.filter(application=app).exists()
    assert not Application.objects.get(pk=app.pk).events.filter(action="extend").exists()


def test_a_clerk_of_another_agency_is_denied(app, stranger):
    with pytest.raises(PermissionDenied):
        s.request_correction(
            actor=stranger, application=app, items=["x"], requested_on=date(2026, 3, 3)
        )
    with pytest.raises(PermissionDenied):
        s.reply(
            actor=stranger,
            application=app,
            disposition="granted",
            letter_context={"provision_method": "邮寄"},
        )
    with pytest.raises(PermissionDenied):
        s.register_application(
            actor=stranger,
            agency=app.agency,
            channel="in_person",
            data=f.person_data(),
            received_on=MONDAY,
        )


def test_anonymous_cannot_confirm(office):
    from django.contrib.auth.models import AnonymousUser

    app = s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(MONDAY))
    with pytest.raises(PermissionDenied):
        s.confirm_receipt(actor=AnonymousUser(), application=app, confirmed_on=MONDAY)


def test_correction_stops_the_clock_and_the_supplement_restarts_it(app, clerk):
    s.request_correction(
        actor=clerk, application=app, items=["请明确名称"], requested_on=date(2026, 3, 4)
    )
    app.refresh_from_db()
    assert app.state == "correction_requested" and app.due_on is None
    assert "停止计算" in app.clock_explanation
    assert app.letters.get(key="correction").number
    s.record_supplement(actor=clerk, application=app, supplied_on=date(2026, 3, 9))
    app.refresh_from_db()
    assert app.due_on == date(2026, 4, 7)  # 20 working days from 9 March; 4–6 April off
    assert app.clock_basis["correction"] == {"requested": "2026-03-04", "supplied": "2026-03-09"}


def test_consultation_pauses_the_clock(app, clerk, approver):
    c = s.open_consultation(
        actor=clerk, application=app, kind="third_party", party="某公司", sent_on=date(2026, 3, 5)
    )
    app.refresh_from_db()
    assert app.state == "consulting"
    assert c.deadline == date(2026, 3, 26)
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.reply(
            actor=approver,
            application=app,
            disposition="granted",
            letter_context={"provision_method": "邮寄"},
            replied_on=date(2026, 3, 6),
        )
    _refused(excinfo, "reply.consultation_open")
    s.close_consultation(actor=clerk, consultation=c, closed_on=date(2026, 3, 12), opinion="同意")
    app.refresh_from_db()
    assert app.state == "accepted"
    # 5 working days (6, 9–12 March) paused: the due date moves 5 working days on from
    # 30 March: 31 March, 1–3 April, then (4–6 April 清明 off) 7 April.
    assert app.due_on == date(2026, 4, 7)


def test_every_change_writes_one_event_in_order(app, clerk, approver):
    s.request_correction(
        actor=clerk, application=app, items=["请明确名称"], requested_on=date(2026, 3, 4)
    )
    s.record_supplement(actor=clerk, application=app, supplied_on=date(2026, 3, 9))
    s.draft_reply(actor=clerk, application=app, disposition="not_exist", letter_context={})
    s.approve_reply(actor=approver, application=app, replied_on=date(2026, 3, 10))
    s.record_delivery(actor=clerk, application=app, method="email", delivered_on=date(2026, 3, 10))
    s.archive(actor=clerk, application=app, on=date(2026, 3, 11))
    events = [(e.action, e.from_state, e.to_state, e.actor_name) for e in app.events]
    assert events == [
        ("register", "", "registered", "clerk"),
        ("accept", "registered", "accepted", "clerk"),
        ("request_correction", "accepted", "correction_requested", "clerk"),
        ("record_supplement", "correction_requested", "accepted", "clerk"),
        ("draft_reply", "", "", "clerk"),  # the state does not change
        ("reply", "accepted", "replied", "approver"),
        ("deliver", "replied", "delivered", "clerk"),
        ("archive", "delivered", "archived", "clerk"),
    ]


def test_reply_letter_missing_a_variable_saves_nothing(app, clerk, approver):
    with pytest.raises(ValidationError) as excinfo:
        s.reply(
            actor=approver,
            application=app,
            disposition="partial",
            replied_on=date(2026, 3, 10),
            letter_context={"provision_method": "邮寄"},
        )
    assert "withheld_part" in str(excinfo.value.message_dict["letter"])
    app.refresh_from_db()
    assert app.state == "accepted" and app.disposition == "" and app.closed_on is None
    assert not app.letters.exists()
    assert not app.events.filter(action="reply").exists()


def test_transfer_creates_the_receiving_application(app, clerk, police):
    received = s.transfer(actor=clerk, application=app, to_agency=police, on=date(2026, 3, 3))
    app.refresh_from_db()
    assert app.state == "transferred" and app.disposition == "transferred"
    assert app.transfer_agency == police
    assert received.agency == police and received.transferred_from == app
    assert received.state == "registered" and received.received_on is None
    assert received.id_number == app.id_number
    with pytest.raises(s.TransitionRefused):
        s.transfer(actor=clerk, application=app, to_agency=police, on=date(2026, 3, 3))


def test_fee_notice_amount_is_computed_and_lapse_needs_the_deadline_passed(app, clerk):
    notice = s.issue_fee_notice(
        actor=clerk,
        application=app,
        method="per_page",
        pages=150,
        payment_method="缴款码",
        issued_on=date(2026, 3, 3),
    )
    assert notice.amount == 1700  # 70 × 10 + 50 × 20 (109号 Art. 5)
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.lapse_fee(actor=clerk, application=app, on=notice.due_on)
    _refused(excinfo, "fee.not_overdue")
    s.record_payment(actor=clerk, application=app, paid_on=date(2026, 3, 10))
    app.refresh_from_db()
    assert app.state == "accepted"


def test_per_application_fee_is_free_for_the_first_ten(app, clerk):
    with pytest.raises(ValidationError):
        s.issue_fee_notice(
            actor=clerk,
            application=app,
            method="per_application",
            payment_method="缴款码",
            issued_on=date(2026, 3, 3),
        )
    assert not Application.objects.get(pk=app.pk).events.filter(action="issue_fee_notice").exists()


def test_an_action_dated_in_the_future_is_refused(app, clerk, approver):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.reply(
            actor=approver,
            application=app,
            disposition="not_exist",
            replied_on=tomorrow,
            letter_context={},
        )
    _refused(excinfo, "date.future")


def test_withdrawal_and_transfer_are_confirmed_in_writing(app, office, clerk, police):
    s.withdraw(actor=clerk, application=app, on=date(2026, 3, 3))
    assert app.letters.get().key == "notice_withdrawn"
    other = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    s.transfer(actor=clerk, application=other, to_agency=police, on=date(2026, 3, 3))
    letter = other.letters.get()
    assert letter.key == "notice_transferred" and letter.number


def test_per_application_fee_from_the_eleventh_in_a_month(office, clerk):
    number = f.resident_id("19910101")
    apps = [
        f.received_application(
            actor=clerk,
            agency_obj=office,
            received_on=date(2026, 3, 2 + i // 4),
            data=f.person_data(id_number=number, description=f"第{i}号文件"),
        )
        for i in range(11)
    ]
    with pytest.raises(ValidationError):  # the 10th of the month is free (109号 Art. 4)
        s.issue_fee_notice(
            actor=clerk,
            application=apps[9],
            method="per_application",
            payment_method="缴款码",
            issued_on=date(2026, 3, 6),
        )
    notice = s.issue_fee_notice(
        actor=clerk,
        application=apps[10],
        method="per_application",
        payment_method="缴款码",
        issued_on=date(2026, 3, 6),
    )
    assert notice.amount == 100 and "第11件" in notice.basis
    assert apps[10].letters.get(key="fee_notice").number
