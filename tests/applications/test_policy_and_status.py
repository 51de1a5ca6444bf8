"""Local-policy settings, transfers at the receiving end, letters on demand, the public status."""

import logging
import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from gongkai.applications import services as s
from gongkai.applications.services.reporting import applications_table
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action
from gongkai.letters.pdf import pdf_available
from gongkai.testing import factories as f
from gongkai.testing.walks import walk

MONDAY = date(2026, 3, 2)


def _fee_app(office, clerk):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    s.issue_fee_notice(
        actor=clerk,
        application=app,
        method="per_page",
        pages=45,
        payment_method="缴款码",
        issued_on=date(2026, 3, 4),
    )
    s.record_payment(actor=clerk, application=app, paid_on=date(2026, 3, 9))
    app.refresh_from_db()
    return app


def test_fee_pending_does_not_stop_the_clock_by_default(office, clerk):
    assert _fee_app(office, clerk).due_on == date(2026, 3, 30)


@override_settings(GONGKAI_FEE_CLOCK_STOPS=True)
def test_fee_pending_stops_the_clock_when_local_policy_says_so(office, clerk):
    app = _fee_app(office, clerk)
    # (4 March, 9 March] holds 3 working days (5, 6, 9 March): 30 March + 3 → 2 April.
    assert app.due_on == date(2026, 4, 2)
    assert "缴纳信息处理费期间不计入" in app.clock_explanation


@pytest.mark.parametrize(
    ("counting", "row"), [("other", "other_other"), ("not_responsible", "unable_not_held")]
)
def test_transfer_counting_setting(office, police, clerk, counting, row):
    walk(
        Disposition.TRANSFERRED,
        clerk=clerk,
        office=office,
        elsewhere=police,
        received_on=date(2022, 3, 1),
    )
    with override_settings(GONGKAI_TRANSFER_COUNTING=counting):
        assert applications_table(office, 2022)[row]["total"] == 1


def test_bad_transfer_counting_setting_says_so(office):
    with override_settings(GONGKAI_TRANSFER_COUNTING="sideways"), pytest.raises(ValueError) as e:
        applications_table(office, 2022)
    assert "GONGKAI_TRANSFER_COUNTING" in str(e.value)


def test_the_receiving_agency_counts_a_transfer_once_it_confirms(office, police, clerk, stranger):
    sender = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    received = s.transfer(actor=clerk, application=sender, to_agency=police, on=date(2026, 3, 3))
    s.confirm_receipt(actor=stranger, application=received, confirmed_on=date(2026, 3, 4))
    received.refresh_from_db()
    assert received.state == "accepted" and received.due_on == date(2026, 4, 1)
    assert applications_table(police, 2026)["new_received"]["total"] == 1
    assert applications_table(office, 2026)["other_other"]["total"] == 1


def test_receipt_letter_on_demand(office, clerk):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    letter = s.generate_letter(actor=clerk, application=app, key="receipt")
    assert letter.number == ""  # a receipt slip carries no 文号
    assert letter.docx.read(4) == b"PK\x03\x04"
    assert app.events.filter(action="letter").count() == 1


@pytest.mark.skipif(not pdf_available(), reason="no CJK font installed (fc-list :lang=zh)")
def test_reply_letter_pdf_is_made_once_and_stored(office, clerk, approver):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    reply = s.reply(
        actor=approver,
        application=app,
        disposition="denied_process_info",
        replied_on=date(2026, 3, 10),
        letter_context={"reasons": "属于内部讨论记录。"},
    )
    content = s.letter_pdf(letter=reply.letter)
    assert content.startswith(b"%PDF-")
    reply.letter.refresh_from_db()
    assert reply.letter.pdf.name.endswith(".pdf")
    assert s.letter_pdf(letter=reply.letter) == content


def test_applicant_is_emailed_after_commit(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = s.submit_online(
            agency=office, data=f.person_data(email="a@example.com"), submitted_at=f.at(MONDAY)
        )
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert app.tracking_code_display in mail.outbox[0].subject


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, naming the address in its error."""

    def send_messages(self, email_messages):
        to = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (550, f"<{to}>: mailbox unavailable".encode())})


def test_a_mail_failure_is_logged_without_the_applicants_address(
    office, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        app = s.submit_online(
            agency=office,
            data=f.person_data(email="zhang.sanfeng@example.com"),
            submitted_at=f.at(MONDAY),
        )
    failures = [r for r in caplog.records if "could not e-mail" in r.getMessage()]
    assert len(failures) == 1 and "SMTPRecipientsRefused" in failures[0].getMessage()
    assert repr(app) in failures[0].getMessage()
    assert "zhang.sanfeng" not in caplog.text
    assert "zhang.sanfeng" not in logging.Formatter().format(failures[0])  # nor a traceback


def test_allowed_actions_for_buttons(office, clerk):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    allowed = s.allowed_actions_for(app, on=date(2026, 3, 3))
    assert Action.REPLY in allowed and Action.REQUEST_CORRECTION in allowed
    assert Action.DELIVER not in allowed and Action.ARCHIVE not in allowed
    assert Action.REQUEST_CORRECTION not in s.allowed_actions_for(app, on=date(2026, 3, 12))
