"""Demo step ``monitoring``: the sites kept up to date, and the problems the monitoring checks
should find, planted on purpose.

Everything here is dated relative to today (the day ``gongkai demo`` runs), like the live
letters and applications, so a monitoring run today (docs/monitoring.md) finds exactly
:data:`PLANTED`, each once, and nothing else:

- the sites are current: every column with an update window gets an item within it (news a
  few days ago, notices and policy documents and the 政府信息公开 column within weeks), so no
  home page, column or account is stale except the planted ones (the accounts' last posts are
  set by step ``sites``);
- the planted problems, one of each kind the monitor checks: an old unanswered letter, a policy
  without an interpretation, an unmasked ID number in an attachment and a mobile number in an
  item's text, a dead internal link, a missing attachment file, an item published late, a
  stale column, an empty column, a silent 政务新媒体 account and a 政府信息公开指南 older than the
  agency's contact data; the two overdue catalogue entries of step ``catalogue`` (its
  ``FORMED``) are planted there.

The history before this year is clean where a run looks (the last generated year,
demo.publications.CLEAN_YEAR and demo.mailbox.LAST_YEAR). Each planted item has exactly one
problem; tests/monitoring/test_demo.py checks the run against :data:`PLANTED`.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.guide.models import DisclosureOffice
from gongkai.law.identifiers import resident_id_check_char
from gongkai.mailbox.intake import take_letter
from gongkai.mailbox.models import Letter, Mailbox
from gongkai.monitoring.checks import months_before
from gongkai.publications import services as s
from gongkai.publications.models import Publication
from gongkai.search import index as search_index
from gongkai.sites.models import Column, ColumnKind, NewMediaAccount, Site

LETTER_KEY = "demo-monitoring-old-letter"
LETTER_SUBJECT = "村道路灯损坏多月无人修"
POLICY_TITLE = "城口县促进农村电商发展若干措施"
PII_TITLE = "城口县2020年度临时救助发放情况公示"
PHONE_TITLE = "城口县人民政府办公室关于开展便民服务热线回访的公告"
PHONE = "13996230158"
DEAD_LINK_TITLE = "城口县政务公开专栏使用说明"
DEAD_LINK = "/mailbox/letters/999999/"
MISSING_TITLE = "城口县政府信息公开申请表（样表）"
LATE_TITLE = "城口县人民政府办公室关于第三季度重点工作督查情况的通报"
ID_BODY = "50022919800101001"
ID_NUMBER = ID_BODY + resident_id_check_char(ID_BODY)
#: (site slug, column slug): a column last updated long ago, and one never used.
STALE_COLUMN = ("zt-fzjs", "tzgg")
STALE_DAYS = 200  # the 通知公告 window is 183 days (gongkai.sites.models.UPDATE_DAYS)
EMPTY_COLUMN = ("zt-ggfw", "tzgg")
SILENT_ACCOUNT = "城口公安（抖音）"
SILENT_DAYS = 40
#: A 专题 whose news column is updated monthly (its window set to 30 days): its last item is
#: 20 days old, so its column is current but its home page has had nothing new for 2 weeks.
HOME_STALE_SITE = "zt-yqfk"
HOME_STALE_WINDOW, HOME_STALE_DAYS = 30, 20
#: The agency whose contact data changed after its 政府信息公开指南 was last updated.
GUIDE_AGENCY = "mzj"
GUIDE_PHONE = "023-59008888"

#: What a monitoring run of the demo finds: (kind, a part of the finding's ``where`` that names
#: the planted record). Each entry is one finding; nothing else is found.
PLANTED: tuple[tuple[str, str], ...] = (
    ("unanswered_letter", f"「{LETTER_SUBJECT}」"),
    ("policy_without_interpretation", f"「{POLICY_TITLE}」"),
    ("unmasked_personal_data", f"「{PII_TITLE}」附件「临时救助名单.docx」"),
    ("unmasked_personal_data", f"「{PHONE_TITLE}」正文"),
    ("dead_link", f"「{DEAD_LINK_TITLE}」正文"),
    ("missing_attachment", f"「{MISSING_TITLE}」附件「申请表样表.docx」"),
    ("late_item", f"「{LATE_TITLE}」"),
    ("column_stale", "网站「法治政府建设专题」栏目「通知公告」"),
    ("column_empty", "网站「公共服务专题」栏目「通知公告」"),
    ("home_page_stale", "网站「疫情防控专题」首页"),
    ("guide_outdated", "城口县民政局政府信息公开指南"),
    ("new_media_silent", f"「{SILENT_ACCOUNT}」"),
    # step catalogue: two entries of 县发展改革委 past their time limit (its FORMED)
    ("catalogue_overdue", "标准目录「重大建设项目」项目实施／招标投标"),
    ("catalogue_overdue", "标准目录「公共资源交易」成交信息／中标结果公示"),
)


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


#: Column kind -> (days before today of its current item, title): within every window.
CURRENT = {
    ColumnKind.NEWS: (2, "{site}{m}月{d}日工作动态"),
    ColumnKind.NOTICES: (24, "{site}关于{m}月份重点工作安排的通知"),
    ColumnKind.POLICY: (45, "{site}关于做好{y}年冬春季森林防火工作的通知"),
    ColumnKind.OGI: (31, "{agency}{y}年{m}月重点工作完成情况"),
}


def _keep_current(today) -> int:
    """Give every column with an update window an item within it (one per column, written in
    bulk like the generated history: published, 主动公开, placed in the column); the planted
    stale column gets an old one and the planted empty column none. Returns the items made."""
    from gongkai.demo.publications import FastRows
    from gongkai.intake.numbering import next_number
    from gongkai.publications.models import (
        Attribute,
        Channel,
        Genre,
        Kind,
        Placement,
        State,
    )

    publications, placements = FastRows(Publication), FastRows(Placement)
    made: list[int] = []
    sites = Site.objects.select_related("agency").prefetch_related("columns").order_by("pk")
    for n, site in enumerate(sites):
        agency = site.agency
        for column in site.columns.all():
            if column.kind not in CURRENT or (site.slug, column.slug) == EMPTY_COLUMN:
                continue
            back, pattern = CURRENT[column.kind]
            back += n % 5
            if (site.slug, column.slug) == STALE_COLUMN:
                back = STALE_DAYS
            elif site.slug == HOME_STALE_SITE:
                back = max(back, HOME_STALE_DAYS)
            day = today - timedelta(days=back)
            fill = {"site": site.name, "agency": agency.name, "y": day.year}
            title = pattern.format(m=day.month, d=day.day, **fill)
            if Publication.objects.filter(agency=agency, title=title).exists():
                continue
            serial = next_number(agency_id=agency.pk, series=s.INDEX_SERIES, year=day.year)
            document = column.kind == ColumnKind.POLICY
            at = timezone.make_aware(datetime.combine(day, time(10, 0)))
            pk = publications.add(
                agency_id=agency.pk,
                kind=Kind.DOCUMENT if document else Kind.INFORMATION,
                genre=Genre.NOTICE if document else "",
                doc_number=f"城府办发〔{day.year}〕{60 + n}号" if document else "",
                effective_on=day if document else None,
                state=State.PUBLISHED,
                index_number=s.format_index_number(agency=agency, day=day, serial=serial),
                title=title,
                body=f"<p>{title}。</p><p>各有关单位要按照职责分工抓好落实。</p>",
                written_on=day - timedelta(days=1),
                formed_on=day - timedelta(days=1),
                published_on=day,
                attribute=Attribute.PROACTIVE,
                secrecy_cleared_at=at,
                attribute_decided_at=at,
                days_late=0,
            )
            placements.add(
                publication_id=pk, channel=Channel.WEBSITE, placed_on=day, site_column_id=column.pk
            )
            made.append(pk)
    publications.flush()
    placements.flush()
    search_index.add_many(made)  # bulk rows: indexed here, as step publications does
    return len(made)


def load(*, out) -> None:
    today = timezone.localdate()
    office = Agency.objects.get(slug="county-office")
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "approver"])}
    clerk, approver = users["clerk"], users["approver"]
    made = 0
    box = Mailbox.objects.get(slug="county-head")
    made += _keep_current(today)
    if not Letter.objects.filter(mailbox=box, idempotency_key=LETTER_KEY).exists():
        received = months_before(today, 4)
        data = {
            "writer_name": "赵德明",
            "phone": "13896230020",
            "address": "重庆市城口县葛城街道演示路20号",
            "category": "complaint",
            "subject": LETTER_SUBJECT,
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
    publish = partial(_publish, office=office, clerk=clerk, approver=approver, day=day)
    made += publish(
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
    made += publish(
        data={
            "title": PII_TITLE,
            "kind": "information",
            "body": "<p>现将名单公示如下（见附件）。</p>",
        },
        attachments=[attachment],
    )
    made += publish(
        data={
            "title": DEAD_LINK_TITLE,
            "kind": "information",
            "body": f'<p>已公开的来信见<a href="{DEAD_LINK}">公开信件</a>。</p>',
        },
    )
    made += publish(
        data={
            "title": PHONE_TITLE,
            "kind": "information",
            "body": f"<p>回访工作人员李明，联系电话{PHONE}，请群众留意接听。</p>",
        },
    )
    form = SimpleUploadedFile(
        "申请表样表.docx",
        _docx("政府信息公开申请表\n申请人姓名\t联系电话\t所需信息的内容描述"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    if publish(
        data={"title": MISSING_TITLE, "kind": "information", "body": "<p>样表见附件。</p>"},
        attachments=[form],
    ):
        made += 1
        for attachment in Publication.objects.get(
            agency=office, title=MISSING_TITLE
        ).attachments.all():
            attachment.file.storage.delete(attachment.file.name)  # the file is gone
    made += publish(
        data={
            "title": LATE_TITLE,
            "kind": "information",
            "formed_on": today - timedelta(days=70),
            "body": "<p>现将第三季度重点工作督查情况通报如下。</p>",
        },
    )
    Column.objects.filter(site__slug=HOME_STALE_SITE, kind=ColumnKind.NEWS).update(
        update_days=HOME_STALE_WINDOW
    )
    guide = DisclosureOffice.objects.get(agency__slug=GUIDE_AGENCY)
    if guide.phone != GUIDE_PHONE:  # the office moved its line; the guide was not reviewed
        guide.phone = GUIDE_PHONE
        guide.save()  # like step guide's own rows (no audit row: loading again adds none)
    NewMediaAccount.objects.filter(name=SILENT_ACCOUNT).update(
        last_post_on=today - timedelta(days=SILENT_DAYS)
    )
    out(f"网站自查演示问题 / monitoring demo problems: 新建 / created {made}")
