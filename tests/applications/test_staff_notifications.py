"""Clerk and approver are told of each other's steps by e-mail (after the commit), and a 督办
reaches the agency's handlers; nobody is mailed about their own step."""

import pytest
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.supervision import urge
from gongkai.testing import factories as f


@pytest.fixture
def people(office, clerk):
    clerk.email = "clerk@example.gov.cn"
    clerk.save(update_fields=["email"])
    approver = f.staff("approver", office, "approver")
    approver.email = "approver@example.gov.cn"
    approver.save(update_fields=["email"])
    supervisor = f.staff("supervisor", office, "supervisor")
    return clerk, approver, supervisor


def fresh(office, clerk):
    return f.received_application(actor=clerk, agency_obj=office, received_on=timezone.localdate())


def test_a_draft_and_its_return_are_mailed(
    office, people, mailoutbox, django_capture_on_commit_callbacks
):
    clerk, approver, _ = people
    application = fresh(office, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        s.draft_reply(actor=clerk, application=application, disposition="not_exist")
    assert [m.to for m in mailoutbox] == [["approver@example.gov.cn"]]
    subject = mailoutbox[0].subject
    assert subject.startswith(f"【待审批】{application.reference} 答复草稿待审批")
    assert "不存在" in subject
    with django_capture_on_commit_callbacks(execute=True):
        s.return_reply_draft(actor=approver, application=application, note="请补充检索情况")
    last = mailoutbox[-1]
    assert last.to == ["clerk@example.gov.cn"] and "请补充检索情况" in last.body
    assert application.reference in last.subject


def test_an_extension_request_and_its_approval_are_mailed(
    office, people, mailoutbox, django_capture_on_commit_callbacks
):
    clerk, approver, _ = people
    application = fresh(office, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        s.request_extension(actor=clerk, application=application, days=10, reason="量大")
    assert mailoutbox[-1].to == ["approver@example.gov.cn"]
    assert "延长10个工作日" in mailoutbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        s.approve_extension_request(
            actor=approver, application=Application.objects.get(pk=application.pk)
        )
    assert mailoutbox[-1].to == ["clerk@example.gov.cn"] and "已批准" in mailoutbox[-1].body


def test_nobody_is_mailed_about_their_own_step_and_urging_reaches_handlers(
    office, people, mailoutbox, django_capture_on_commit_callbacks
):
    clerk, approver, supervisor = people
    application = fresh(office, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        s.request_extension(actor=approver, application=application, days=5, reason="量大")
    assert mailoutbox == []  # the approver asked: no mail to themself
    with django_capture_on_commit_callbacks(execute=True):
        urge(actor=supervisor, application=application, note="请尽快答复")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "approver@example.gov.cn",
        "clerk@example.gov.cn",
    ]
    assert all("请尽快答复" in m.body for m in mailoutbox)
