"""Demo step ``mailbox``: the 县长信箱 and the police's mailbox, with years of letters.

- 2020, as the seed report tells it (tests/corpus/000-chengkou-2020.txt: 「全年受理群众来信
  255件，实现网上答复办结率100%」): 255 letters to the 县长信箱, all answered online, most
  by the county office, some by the departments it transferred them to; some published.
- 2021–2025: fewer letters each year, a few answered late and a few left unanswered at the
  end of their year (2023's and 2024's show as overdue on the workbench; 2025's were answered
  in January 2026).
- This year: a live queue made through the real services — a letter waiting to be sorted, one
  transferred to the police and due soon, one with a draft waiting for the approver, one
  overdue at a street office.

The past years are written in bulk (the demo loads in every test that uses it): the letters
and two rows of the audit log for each (received; answered) are inserted in a few queries,
with the same fields the services would have set. The writers are fictitious.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.auditlog.models import AuditEntry
from gongkai.demo.applications import working_days_before
from gongkai.holidays.services import load_calendar
from gongkai.intake import codes
from gongkai.law.calendar import WorkingCalendar
from gongkai.mailbox import services
from gongkai.mailbox.intake import take_letter
from gongkai.mailbox.models import Letter, Mailbox

#: (slug, name, kind, agency slug, description)
MAILBOXES = [
    (
        "county-head",
        "县长信箱",
        Mailbox.Kind.LEADER,
        "county-office",
        "给县长写信：反映问题、提出建议。县政府办公室分办，相关部门答复。",
    ),
    ("gaj", "县公安局局长信箱", Mailbox.Kind.AGENCY, "gaj", ""),
]

#: Letters received per year by the 县长信箱, and how many of them stay unanswered.
YEARS = {
    2020: (255, 0),
    2021: (231, 0),
    2022: (214, 0),
    2023: (198, 2),
    2024: (187, 1),
    2025: (176, 3),
}
#: The last year's open letters are answered in the January after (late, counted as
#: unanswered in their own year: gongkai.mailbox.selectors), so a monitoring run in the year
#: after finds no letter left unanswered (docs/monitoring.md); the earlier years' stay open
#: and show as overdue on the workbench.
LAST_YEAR = max(YEARS)

#: (category, subject, body, reply, answering agency slug)
TOPICS = [
    (
        "consultation",
        "城乡居民医保缴费时间咨询",
        "请问今年城乡居民医疗保险什么时候开始缴费？可以在手机上缴吗？",
        "您好！城乡居民医保集中缴费期为每年9月至12月，可通过税务APP或银行网点缴纳。",
        "county-office",
    ),
    (
        "suggestion",
        "建议在北大街增设公交站点",
        "北大街居民多，最近的公交站要走一公里，建议增设站点。",
        "您好！您的建议已转交相关部门研究，将结合线路优化统筹考虑增设站点。",
        "county-office",
    ),
    (
        "complaint",
        "夜间施工噪音扰民",
        "小区旁工地晚上十一点后仍在施工，噪音很大，影响休息。",
        "您好！经核查，该工地存在夜间违规施工情况，已责令整改并依法处理。",
        "gaj",
    ),
    (
        "help",
        "老人走失求助",
        "家中老人外出未归，已报警，请求帮助扩大查找范围。",
        "您好！接信后已协调派出所和社区扩大查找，老人已于当日找回。",
        "gaj",
    ),
    (
        "consultation",
        "户籍迁入办理材料",
        "我在县城买了房，想把户口迁入，需要准备哪些材料？",
        "您好！需携带户口簿、居民身份证、不动产权证书到户籍窗口办理，当场可办结。",
        "gaj",
    ),
    (
        "complaint",
        "街道路灯长期不亮",
        "葛城街道滨河路一段路灯已坏一个多月，夜间出行不安全。",
        "您好！街道已联系维修单位，滨河路路灯已全部修复。感谢您的监督。",
        "gecheng",
    ),
    (
        "suggestion",
        "建议公开乡镇惠民资金发放情况",
        "建议各乡镇定期公开惠民惠农资金发放名单和金额，方便群众监督。",
        "您好！惠民惠农财政补贴资金已在“一卡通”专栏按月公开，欢迎查阅监督。",
        "county-office",
    ),
    (
        "other",
        "感谢县政府为群众办实事",
        "老旧小区改造后环境变好了，感谢政府。",
        "您好！感谢您的肯定，我们将继续做好民生实事。",
        "county-office",
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "丽", "强", "平", "刚"]
PUBLISH_EVERY = 8


def _mailboxes(agencies: dict[str, Agency]) -> dict[str, Mailbox]:
    out = {}
    for order, (slug, name, kind, agency_slug, description) in enumerate(MAILBOXES, start=1):
        mailbox = Mailbox.objects.filter(slug=slug).first()
        if mailbox is None:
            mailbox = services.save_mailbox(
                actor=rules.COMMAND_LINE,
                mailbox=Mailbox(
                    slug=slug,
                    name=name,
                    kind=kind,
                    agency=agencies[agency_slug],
                    description=description,
                    sort_order=order,
                ),
            )
        out[slug] = mailbox
    return out


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _working_days(calendar: WorkingCalendar, year: int) -> list[date]:
    day, last, days = date(year, 1, 2), date(year, 12, 31), []
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _year(mailbox, year, count, unanswered, agencies, calendar, rng):
    """Build (letters, answered flags) of one past year, not yet saved."""
    days = _working_days(calendar, year)
    received = sorted(rng.choice(days[:-25]) for _ in range(count - unanswered))
    received += [days[-1 - i] for i in range(unanswered)]  # the last days: left unanswered
    letters = []
    for serial, on in enumerate(received, start=1):
        category, subject, body, reply, answerer = TOPICS[serial % len(TOPICS)]
        name = SURNAMES[serial % len(SURNAMES)] + GIVEN[(serial * 7 + year) % len(GIVEN)]
        open_ = serial > count - unanswered
        taken = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 14] + ([17, 19] if year > 2020 else []))
        answered_on = None if open_ else calendar.add_working_days(on, taken)
        office = open_  # open at the end of the year: the county office keeps it
        if open_ and year == LAST_YEAR:  # answered late, in January
            open_, taken = False, mailbox.reply_days + 1 + count - serial
            answered_on = calendar.add_working_days(on, taken)
        letter = Letter(
            agency=agencies["county-office"] if office else agencies[answerer],
            mailbox=mailbox,
            tracking_code=codes.new_code(),
            reference=f"{mailbox.name}〔{year}〕{serial}号",
            reference_year=year,
            reference_serial=serial,
            idempotency_key=f"demo-{year}-{serial}",
            writer_name=name,
            phone=f"1390229{serial:04d}",
            category=category,
            subject=subject,
            body=body,
            consent_to_publish=serial % 3 != 0,
            notify_by=Letter.Notify.NONE,
            state=Letter.State.ASSIGNED if open_ else Letter.State.ANSWERED,
            submitted_at=_at(on, 9),
            received_on=on,
            due_on=calendar.add_working_days(on, mailbox.reply_days),
        )
        if not open_:
            letter.reply = f"{name}：{reply}"
            letter.reply_agency = letter.agency
            letter.reply_channel = Letter.ReplyChannel.ONLINE
            letter.answered_on = answered_on
            letter.working_days = taken
            letter.on_time = taken <= mailbox.reply_days
            if letter.consent_to_publish and serial % PUBLISH_EVERY == 0:
                letter.published = True
                letter.published_at = _at(answered_on, 16)
                letter.public_subject = services.mask_for_public(letter, subject)
                letter.public_body = services.mask_for_public(letter, body)
                letter.public_reply = services.mask_for_public(letter, letter.reply)
        letters.append(letter)
    return letters


def _history(letters: list[Letter]) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(Letter)
    rows = []
    for letter in letters:
        common = {"content_type": kind, "object_id": letter.pk, "object_repr": str(letter)}
        rows.append(
            AuditEntry(
                at=letter.submitted_at,
                agency_id=letter.mailbox.agency_id,
                action="submit",
                label="网上来信",
                after={"state": "submitted"},
                **common,
            )
        )
        if letter.answered_on:
            rows.append(
                AuditEntry(
                    at=_at(letter.answered_on, 15),
                    agency_id=letter.agency_id,
                    action="approve_reply",
                    label="审核通过并答复",
                    after={"state": "answered"},
                    **common,
                )
            )
    return rows


def _load_past(mailbox: Mailbox, agencies, calendar) -> int:
    created = 0
    for year, (count, unanswered) in YEARS.items():
        if Letter.objects.filter(mailbox=mailbox, reference_year=year).exists():
            continue
        rng = random.Random(f"gongkai-demo-mailbox-{year}")
        letters = Letter.objects.bulk_create(
            _year(mailbox, year, count, unanswered, agencies, calendar, rng)
        )
        if any(letter.pk is None for letter in letters):  # a database without RETURNING ids
            by_key = dict(
                Letter.objects.filter(mailbox=mailbox, reference_year=year).values_list(
                    "idempotency_key", "pk"
                )
            )
            for letter in letters:
                letter.pk = by_key[letter.idempotency_key]
        AuditEntry.objects.bulk_create(_history(letters))
        created += len(letters)
    return created


def _writer(n: int, subject: str, body: str, category: str) -> dict:
    return {
        "writer_name": f"{SURNAMES[n]}{GIVEN[n]}",
        "phone": f"1389623{n:04d}",
        "address": f"重庆市城口县葛城街道演示路{n}号",
        "category": category,
        "subject": subject,
        "body": body,
        "consent_to_publish": True,
        "notify_by": "none",
    }


def _load_live(boxes, agencies, staff, calendar) -> int:
    today = timezone.localdate()
    box = boxes["county-head"]
    items = [
        ("demo-live-letter-1", today, "咨询", None),
        (
            "demo-live-letter-2",
            working_days_before(calendar, today, box.reply_days - 2),
            "转办",
            "gaj",
        ),
        ("demo-live-letter-3", working_days_before(calendar, today, 6), "拟稿", "gaj"),
        (
            "demo-live-letter-4",
            working_days_before(calendar, today, box.reply_days + 3),
            "超期",
            "gecheng",
        ),
    ]
    created = 0
    for n, (key, received, what, to) in enumerate(items, start=11):
        if Letter.objects.filter(mailbox=box, idempotency_key=key).exists():
            continue
        category, subject, body, _reply, _agency = TOPICS[n % len(TOPICS)]
        letter = take_letter(
            mailbox=box,
            data=_writer(n, subject, body, category),
            idempotency_key=key,
            submitted_at=_at(received, 10) if received < today else None,
        )[0]
        if to:
            letter = services.transfer(actor=staff["clerk"], letter=letter, to_agency=agencies[to])
        if what == "拟稿":
            services.draft_reply(
                actor=staff["gaj-clerk"],
                letter=letter,
                text=f"{letter.writer_name}：您反映的问题已核实，正在处理，处理结果将及时告知。",
            )
        created += 1
    return created


def load(*, out) -> None:
    slugs = {"county-office", "gaj", "gecheng"}
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
    staff = {u.username: u for u in User.objects.filter(username__in=["clerk", "gaj-clerk"])}
    calendar = load_calendar()
    boxes = _mailboxes(agencies)
    created = _load_past(boxes["county-head"], agencies, calendar)
    created += _load_live(boxes, agencies, staff, calendar)
    total = Letter.objects.filter(mailbox__in=boxes.values()).count()
    out(f"公开信箱来信 / mailbox letters: {total} 件（新建 / created: {created}）")
