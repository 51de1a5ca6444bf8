"""Demo step ``monitoring``: the problems the monitoring checks should find, planted on purpose.

Relative to today (like the live letters and applications), so a run today finds them:

- an old unanswered letter: received four months ago in the 县长信箱 and never answered
  (docs/law/ogi-spec.md §6.5 互动回应差, a single veto);
- a policy document published ten days ago without an interpretation;
- an unmasked resident ID number in the text of an item's DOCX attachment;
- a dead internal link in an item's body.

Each planted item has exactly one problem. What the other steps leave for the checks is listed in
:data:`FROM_OTHER_STEPS`; tests/monitoring/test_demo.py holds the whole expected set.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.law.identifiers import resident_id_check_char
from gongkai.mailbox.intake import take_letter
from gongkai.mailbox.models import Letter, Mailbox
from gongkai.monitoring.checks import months_before
from gongkai.publications import services as s
from gongkai.publications.models import Publication

LETTER_KEY = "demo-monitoring-old-letter"
POLICY_TITLE = "城口县促进农村电商发展若干措施"
PII_TITLE = "城口县2020年度临时救助发放情况公示"
DEAD_LINK_TITLE = "城口县政务公开专栏使用说明"
DEAD_LINK = "/mailbox/letters/999999/"
ID_BODY = "50022919800101001"
ID_NUMBER = ID_BODY + resident_id_check_char(ID_BODY)

#: Problems planted by earlier steps that the checks find too (kind -> where they come from).
FROM_OTHER_STEPS = {
    "catalogue_overdue": "demo.catalogue: two entries of 县发展改革委 past their limit (FORMED)",
    "unanswered_letter": "demo.mailbox: letters of YEARS left unanswered at the end of a year",
}


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _publish(*, office, clerk, approver, data: dict, day, attachments=()) -> bool:
    if Publication.objects.filter(agency=office, title=data["title"]).exists():
        return False
    data = {"attribute": "proactive", "formed_on": day - timedelta(days=2), **data}
    draft = s.create_draft(actor=clerk, agency=office, data=data, attachments=attachments)
    s.run_step("submit", actor=clerk, publication=draft)
    s.run_step("review", actor=clerk, publication=draft, note="属性认定准确")
    s.run_step("approve", actor=approver, publication=draft)
    s.run_step("clear_secrecy", actor=approver, publication=draft)
    s.run_step(
        "publish",
        actor=clerk,
        publication=draft,
        published_on=day,
        placements=[{"channel": "website", "placed_on": day}],
    )
    return True


def load(*, out) -> None:
    today = timezone.localdate()
    office = Agency.objects.get(slug="county-office")
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "approver"])}
    clerk, approver = users["clerk"], users["approver"]
    made = 0
    box = Mailbox.objects.get(slug="county-head")
    if not Letter.objects.filter(mailbox=box, idempotency_key=LETTER_KEY).exists():
        received = months_before(today, 4)
        data = {
            "writer_name": "赵德明",
            "phone": "13896230020",
            "address": "重庆市城口县葛城街道演示路20号",
            "category": "complaint",
            "subject": "村道路灯损坏多月无人修",
            "body": "我村村道路灯损坏已久，请尽快安排维修。",
            "consent_to_publish": True,
            "notify_by": "none",
        }
        take_letter(
            mailbox=box,
            data=data,
            idempotency_key=LETTER_KEY,
            submitted_at=timezone.make_aware(datetime.combine(received, time(10, 0))),
        )
        made += 1
    day = today - timedelta(days=10)
    made += _publish(
        office=office,
        clerk=clerk,
        approver=approver,
        day=day,
        data={
            "title": POLICY_TITLE,
            "kind": "document",
            "doc_number": f"城府办发〔{day.year}〕88号",
            "genre": "notice",
            "is_policy": True,
            "body": "<p>为促进农村电子商务发展，制定以下措施。</p>",
        },
    )
    attachment = SimpleUploadedFile(
        "临时救助名单.docx",
        _docx(f"序号\t姓名\t身份证号\t金额\n1\t王*明\t{ID_NUMBER}\t800元"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    made += _publish(
        office=office,
        clerk=clerk,
        approver=approver,
        day=day,
        data={
            "title": PII_TITLE,
            "kind": "information",
            "body": "<p>现将名单公示如下（见附件）。</p>",
        },
        attachments=[attachment],
    )
    made += _publish(
        office=office,
        clerk=clerk,
        approver=approver,
        day=day,
        data={
            "title": DEAD_LINK_TITLE,
            "kind": "information",
            "body": f'<p>已公开的来信见<a href="{DEAD_LINK}">公开信件</a>。</p>',
        },
    )
    out(f"网站自查演示问题 / monitoring demo problems: 新建 / created {made}")
