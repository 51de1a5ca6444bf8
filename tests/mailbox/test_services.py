"""The mailbox through its services: intake, sorting, transfer, draft, approval, publication."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.auditlog.models import AuditEntry
from gongkai.holidays.services import load_calendar
from gongkai.mailbox import services
from gongkai.mailbox.intake import take_letter
from gongkai.mailbox.models import Letter
from gongkai.mailbox.selectors import public_events
from tests.mailbox.conftest import letter_data

pytestmark = pytest.mark.django_db


def test_a_letter_gets_a_code_a_number_and_a_due_date(mailbox, letter):
    assert len(letter.tracking_code) == 12
    assert letter.reference == f"县长信箱〔{letter.received_on.year}〕1号"
    assert letter.state == Letter.State.SUBMITTED
    assert letter.agency_id == mailbox.agency_id
    expected = load_calendar().add_working_days(letter.received_on, mailbox.reply_days)
    assert letter.due_on == expected
    second = take_letter(mailbox=mailbox, data=letter_data(subject="另一件事"))[0]
    assert second.reference.endswith(f"〔{letter.received_on.year}〕2号")
    assert AuditEntry.objects.filter(action="submit", object_id=str(letter.pk)).count() == 1


def test_the_same_key_and_fields_return_the_first_letter(mailbox, letter):
    again, created = take_letter(mailbox=mailbox, data=letter_data(), idempotency_key="k1")
    assert (again.pk, created) == (letter.pk, False)
    with pytest.raises(ValidationError) as error:
        take_letter(mailbox=mailbox, data=letter_data(phone="13900000000"), idempotency_key="k1")
    assert "idempotency_key" in error.value.message_dict
    assert Letter.objects.count() == 1


def test_a_clerk_transfers_the_department_drafts_and_an_approver_approves(
    mailbox,
    letter,
    clerk,
    approver,
    police,
    police_clerk,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.GONGKAI_MAILBOX_NOTIFIER = "file"
    settings.DATA_DIR = tmp_path
    with pytest.raises(PermissionDenied):
        services.draft_reply(actor=police_clerk, letter=letter, text="答复")
    services.sort(actor=clerk, letter=letter, category="help")
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.transfer(actor=clerk, letter=letter, to_agency=police)
    assert (letter.agency_id, letter.state, letter.category) == (police.pk, "assigned", "help")
    with pytest.raises(PermissionDenied):  # the office no longer handles it
        services.draft_reply(actor=clerk, letter=letter, text="答复")
    letter = services.draft_reply(actor=police_clerk, letter=letter, text="张三丰同志：已修复。")
    assert letter.state == Letter.State.DRAFTED
    with pytest.raises(PermissionDenied):  # a clerk does not approve
        services.approve_reply(actor=police_clerk, letter=letter)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.approve_reply(actor=approver, letter=letter)
    assert letter.state == Letter.State.ANSWERED
    assert letter.reply == "张三丰同志：已修复。"
    assert letter.reply_agency_id == police.pk
    assert letter.reply_channel == "online"
    assert letter.working_days == 0 and letter.on_time is True
    labels = [e["label"] for e in public_events(letter)]
    assert labels == ["来信已提交", "转交城口县公安局办理", "已答复"]
    notices = sorted((tmp_path / "notices").iterdir())
    assert len(notices) == 2  # transfer and reply, by e-mail as the writer chose
    texts = [n.read_text(encoding="utf-8") for n in notices]
    assert sum("已答复" in t for t in texts) == 1 and sum("转交" in t for t in texts) == 1


def test_a_returned_draft_goes_back_to_the_handler(mailbox, letter, clerk, approver):
    services.draft_reply(actor=clerk, letter=letter, text="草稿")
    letter = services.return_draft(actor=approver, letter=letter, reason="请补充办理时限")
    assert letter.state == Letter.State.ASSIGNED
    assert letter.events.last().note == "请补充办理时限"


def test_publication_masks_personal_data_and_needs_consent(mailbox, letter, clerk, approver):
    services.draft_reply(actor=clerk, letter=letter, text="张三丰同志：请拨打13812345678联系。")
    letter = services.approve_reply(actor=approver, letter=letter)
    letter = services.publish(actor=clerk, letter=letter)
    assert letter.published
    for text in (letter.public_body, letter.public_reply):
        assert "张三丰" not in text and "13812345678" not in text
    assert "张**" in letter.public_body and "138****5678" in letter.public_body
    assert "北大街12号" not in letter.public_body and "住****" in letter.public_body
    other = take_letter(mailbox=mailbox, data=letter_data(consent_to_publish=False))[0]
    services.draft_reply(actor=clerk, letter=other, text="答复")
    other = services.approve_reply(actor=approver, letter=other)
    with pytest.raises(ValidationError):
        services.publish(actor=clerk, letter=other)
    assert not Letter.objects.get(pk=other.pk).published


def test_a_letter_that_is_an_application_is_redirected(mailbox, letter, clerk):
    letter = services.redirect(
        actor=clerk, letter=letter, kind="application", note="请通过依申请公开渠道提出申请。"
    )
    assert letter.state == Letter.State.REDIRECTED
    assert letter.answered_on is not None
    with pytest.raises(ValidationError):
        services.draft_reply(actor=clerk, letter=letter, text="x")


def test_late_answers_are_not_on_time(mailbox, clerk, approver):
    from gongkai.testing.factories import at

    received = date(2024, 3, 1)
    letter = take_letter(mailbox=mailbox, data=letter_data(), submitted_at=at(received))[0]
    services.draft_reply(actor=clerk, letter=letter, text="答复")
    late = load_calendar().add_working_days(received, mailbox.reply_days + 1)
    letter = services.approve_reply(actor=approver, letter=letter, on=late)
    assert (letter.working_days, letter.on_time) == (mailbox.reply_days + 1, False)


def test_the_console_notices_and_logs_carry_no_personal_data(
    mailbox, letter, clerk, approver, police, caplog, django_capture_on_commit_callbacks
):
    import logging

    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.draft_reply(actor=clerk, letter=letter, text="张三丰同志：已办理。")
        letter = services.approve_reply(actor=approver, letter=letter)
    assert f"mailbox notice for letter {letter.pk} by email" in caplog.text
    for private in ("张三丰", "13812345678", "zhang@example.com", letter.tracking_code):
        assert private not in caplog.text


def test_the_queue_runs_a_fixed_number_of_queries(
    client, mailbox, clerk, django_assert_max_num_queries
):
    from django.urls import reverse

    for n in range(12):
        take_letter(mailbox=mailbox, data=letter_data(subject=f"来信{n}"))
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mailbox:queue"))
    assert response.content.decode().count("县长信箱〔") == 12
