"""Reminders before the 31 January / 31 March deadlines, only to agencies without a published
report, only within the window."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gongkai.accounts.models import User


@pytest.fixture
def emails(demo_county):
    for name in ("clerk", "gaj-clerk", "gecheng-clerk"):
        User.objects.filter(username=name).update(email=f"{name}@example.gov.cn")


def test_departments_in_january_governments_in_march(emails, no_sources):
    call_command("send_report_reminders", "--today", "2021-01-20", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["gaj-clerk@example.gov.cn"]]
    assert "城口县公安局" in mail.outbox[0].body and "2021-01-31" in mail.outbox[0].body
    mail.outbox.clear()
    call_command("send_report_reminders", "--today", "2021-03-25", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == [
        "clerk@example.gov.cn",
        "gecheng-clerk@example.gov.cn",
    ]
    mail.outbox.clear()
    call_command("send_report_reminders", "--today", "2021-02-10", stdout=io.StringIO())
    assert mail.outbox == []  # departments are past due, governments not yet within 14 days


def test_a_published_report_silences_it(emails, sources):
    from gongkai.annualreport import services
    from gongkai.annualreport.engine import find_subject

    clerk, approver = (User.objects.get(username=n) for n in ("clerk", "approver"))
    report = services.start_report(actor=clerk, subject=find_subject("县人民政府机关"), year=2020)
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    services.STEPS.run("publish", actor=approver, record=report)
    from gongkai.annualreport.reminders import report_reminders

    reminded = {r.email for r in report_reminders(today=date(2021, 3, 25))}
    assert reminded == {"gecheng-clerk@example.gov.cn"}


def test_bad_input_is_a_message(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_report_reminders", "--today", "yesterday")
    with pytest.raises(CommandError, match="不能为负数"):
        call_command("send_report_reminders", "--days", "-1")
