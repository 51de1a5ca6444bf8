"""Replies approved by the approver: 承办人拟稿 → 负责人审核签发 (issue 2's roles, 条例第三十三条)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Reply, ReplyDraft
from gongkai.auditlog.models import AuditEntry
from gongkai.holidays.services import import_year, load_calendar
from gongkai.letters.models import IssuedLetter
from gongkai.testing import factories as f

MONDAY = date(2026, 3, 2)
GRANTED = {"provision_method": "电子邮件"}


@pytest.fixture
def app(office, clerk):
    return f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)


def test_a_clerks_reply_and_approval_are_refused_with_the_reason(app, clerk):
    with pytest.raises(PermissionDenied, match="负责人审核签发"):
        s.reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    with pytest.raises(PermissionDenied, match="负责人"):
        s.approve_reply(actor=clerk, application=app)
    with pytest.raises(PermissionDenied, match="负责人"):
        s.return_reply_draft(actor=clerk, application=app, note="自己退回")
    app.refresh_from_db()
    assert app.state == "accepted" and app.awaiting_reply_approval
    assert not Reply.objects.exists()


def test_a_draft_keeps_the_state_and_the_clock(app, clerk):
    due, basis = app.due_on, app.clock_basis
    draft = s.draft_reply(
        actor=clerk, application=app, disposition="granted", letter_context=GRANTED
    )
    app.refresh_from_db()
    assert (app.state, app.due_on, app.clock_basis, app.disposition) == (
        "accepted",
        due,
        basis,
        "",
    )
    assert draft.pending and draft.drafted_by == clerk and draft.letter_context == GRANTED
    letter = draft.letter
    assert letter.number == "" and letter.title.endswith("（草稿）")  # no 文号 used up
    assert "-draft-" in letter.docx.name and letter.docx.read(4) == b"PK\x03\x04"
    event = app.events.get(action="draft_reply")
    assert event.actor == clerk and event.data["disposition"] == "granted"
    assert s.compose_for(app, letter.key, letter.context).title.endswith("（草稿）")


def test_an_approver_approves_the_draft(app, clerk, approver):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    reply = s.approve_reply(actor=approver, application=app, replied_on=date(2026, 3, 10))
    app.refresh_from_db()
    assert app.state == "replied" and app.disposition == "granted"
    assert app.closed_on == date(2026, 3, 10)
    assert (reply.drafted_by, reply.approved_by, reply.replied_by) == (clerk, approver, approver)
    assert reply.letter.number and "草稿" not in reply.letter.title
    assert reply.letter.context["provision_method"] == "电子邮件"
    assert not ReplyDraft.objects.exists()
    event = app.events.get(action="reply")
    assert event.data["approved_by"] == approver.pk and event.data["draft"] == "approved"
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.approve_reply(actor=approver, application=app)
    assert excinfo.value.code == "reply.no_draft"


def test_return_sends_the_draft_back_and_a_new_draft_replaces_it(app, clerk, approver):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    with pytest.raises(ValidationError) as excinfo:
        s.return_reply_draft(actor=approver, application=app, note="  ")
    assert "note" in excinfo.value.message_dict
    draft = s.return_reply_draft(actor=approver, application=app, note="应为部分公开")
    assert draft.status == "returned" and draft.returned_by == approver
    app.refresh_from_db()
    assert not app.awaiting_reply_approval and app.state == "accepted"
    returned = app.events.get(action="return_reply_draft")
    assert returned.note == "应为部分公开" and returned.actor == approver
    with pytest.raises(s.TransitionRefused, match="没有待审批的答复草稿"):
        s.approve_reply(actor=approver, application=app)

    context = {
        "provision_method": "电子邮件",
        "withheld_part": "第三人信息",
        "reasons": "涉及个人隐私",
    }
    s.draft_reply(actor=clerk, application=app, disposition="partial", letter_context=context)
    s.draft_reply(actor=clerk, application=app, disposition="partial", letter_context=context)
    assert ReplyDraft.objects.filter(application=app).count() == 1
    notes = list(app.events.filter(action="draft_reply").values_list("note", flat=True))
    assert notes == [
        "予以公开",
        "部分公开；按退回意见重新拟稿",
        "部分公开；替换此前未审批的答复草稿",
    ]
    reply = s.approve_reply(actor=approver, application=app, replied_on=date(2026, 3, 12))
    assert reply.disposition == "partial"


def test_a_draft_is_checked_like_the_reply_and_saves_nothing_when_refused(office, clerk):
    waiting = s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(MONDAY))
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.draft_reply(
            actor=clerk, application=waiting, disposition="granted", letter_context=GRANTED
        )
    assert excinfo.value.code == "reply.not_accepted"
    app = f.received_application(actor=clerk, agency_obj=office, received_on=MONDAY)
    with pytest.raises(ValidationError) as excinfo:
        s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context={})
    assert "letter" in excinfo.value.message_dict
    assert not ReplyDraft.objects.exists() and not IssuedLetter.objects.exists()
    assert not AuditEntry.objects.filter(action="draft_reply").exists()


def test_a_stranger_cannot_draft(app, stranger):
    with pytest.raises(PermissionDenied):
        s.draft_reply(
            actor=stranger, application=app, disposition="granted", letter_context=GRANTED
        )


def test_an_approver_replies_directly(app, approver):
    reply = s.reply(
        actor=approver,
        application=app,
        disposition="granted",
        replied_on=date(2026, 3, 10),
        letter_context=GRANTED,
    )
    assert reply.approved_by == approver and reply.drafted_by == approver


def test_with_the_setting_off_a_clerk_replies_directly(app, clerk, settings):
    settings.GONGKAI_REPLY_APPROVAL = False
    reply = s.reply(
        actor=clerk,
        application=app,
        disposition="granted",
        replied_on=date(2026, 3, 10),
        letter_context=GRANTED,
    )
    app.refresh_from_db()
    assert app.state == "replied" and reply.replied_by == clerk and reply.approved_by is None


def test_a_withdrawn_application_no_longer_awaits_approval(app, clerk):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    s.withdraw(actor=clerk, application=app, on=date(2026, 3, 5), note="申请人撤回")
    app.refresh_from_db()
    assert app.state == "withdrawn" and not app.awaiting_reply_approval


STALE_NOTE = "案件情况已变化（{}），答复草稿作废，请重新拟稿"


def _assert_draft_withdrawn(client, app, step):
    app.refresh_from_db()
    draft = ReplyDraft.objects.get(application=app)
    assert draft.status == "returned" and not draft.pending and draft.returned_by is None
    assert draft.return_note == STALE_NOTE.format(step)
    assert not app.awaiting_reply_approval
    event = app.events.get(action="supersede_reply_draft")
    assert event.note == STALE_NOTE.format(step) and event.data["disposition"] == "granted"
    last_two = list(app.events.order_by("-at", "-pk").values_list("action", flat=True)[:2])
    assert last_two[0] == "supersede_reply_draft"
    queue = client.get("/staff/applications/").content.decode()
    detail = client.get(f"/staff/applications/{app.pk}/").content.decode()
    assert "待审批答复" not in queue and "待审批答复" not in detail
    assert "答复草稿（待负责人审批）" not in detail


def test_a_correction_request_withdraws_the_pending_draft(client, office, clerk, approver):
    today = timezone.localdate()
    year = today.year + 1
    if not load_calendar().covers(year):  # late in a year the 7 working days reach the next
        import_year(year=year, text=f"放假 {year}-01-01 元旦\n", source="测试用（非国务院通知）")
    app = f.received_application(actor=clerk, agency_obj=office, received_on=today)
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    client.force_login(clerk)
    assert "待审批答复" in client.get("/staff/applications/").content.decode()
    s.request_correction(actor=clerk, application=app, items=["请写明所需信息的名称"])
    _assert_draft_withdrawn(client, app, "一次性告知补正")
    assert app.events.get(action="supersede_reply_draft").data["because"] == "request_correction"
    with pytest.raises(s.TransitionRefused) as excinfo:
        s.approve_reply(actor=approver, application=app)
    assert excinfo.value.code == "reply.no_draft"


def test_a_consultation_withdraws_the_pending_draft(client, app, clerk):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    s.open_consultation(
        actor=clerk,
        application=app,
        kind="third_party",
        party="某第三方公司",
        sent_on=date(2026, 3, 5),
    )
    client.force_login(clerk)
    _assert_draft_withdrawn(client, app, "发出征求意见函")


def test_a_withdrawal_records_that_the_draft_is_void(app, clerk):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    s.withdraw(actor=clerk, application=app, on=date(2026, 3, 5), note="申请人撤回")
    draft = ReplyDraft.objects.get(application=app)
    assert draft.status == "returned" and draft.return_note == STALE_NOTE.format("申请人撤回")
    event = app.events.get(action="supersede_reply_draft")
    assert event.actor == clerk and event.data["because"] == "withdraw"


def test_assigning_the_handler_or_extending_keeps_the_draft(client, app, clerk, approver):
    s.draft_reply(actor=clerk, application=app, disposition="granted", letter_context=GRANTED)
    s.assign_handler(actor=clerk, application=app, handler=clerk)
    app.refresh_from_db()
    assert app.awaiting_reply_approval
    assert ReplyDraft.objects.get(application=app).pending
    assert not app.events.filter(action="supersede_reply_draft").exists()
    client.force_login(clerk)
    assert "待审批答复" in client.get(f"/staff/applications/{app.pk}/").content.decode()
    reply = s.approve_reply(actor=approver, application=app, replied_on=date(2026, 3, 10))
    assert reply.disposition == "granted" and reply.drafted_by == clerk
