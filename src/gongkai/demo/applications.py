"""Demo step ``applications``: the seed report's 2020 applications and a live queue for today.

- 2020, as the seed report (../shared/seed) tells it: 城口县人民政府机关 received 2 applications,
  both from natural persons, both answered in writing on time (予以公开). Both are entered at
  县政府办公室 (the demo's only handler of the reporting unit), replied with generated letters,
  delivered and archived.
- This year, relative to the real current date (``timezone.localdate()``): a queue in every
  colour band — on track, due within 3 working days, overdue — plus submissions awaiting
  confirmation, one correction, one consultation, one extension and one answered application,
  at several agencies and over several channels.

Every item goes through the real services, keyed by its idempotency key: loading twice adds
nothing. The services stamp their audit rows with the time they run; the loader then moves each
new demo application's rows to the day of the step they record (from 10:00 local, a few minutes
apart), so a back-dated case's timeline reads as if it had been handled on those days. The applicants are fictitious; their ID numbers are generated with valid check digits.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.auditlog.models import AuditEntry
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.identifiers import resident_id_check_char
from gongkai.law.workflow import MissingFact, TransitionRefused

PROVISION = "纸质材料邮寄送达"


def demo_resident_id(birth: str, serial: int) -> str:
    """A made-up 居民身份证号码 of 城口县 (500229) with a valid check digit."""
    body = f"500229{birth}{serial:03d}"
    return body + resident_id_check_char(body)


def _person(name: str, birth: str, serial: int, description: str, **extra) -> dict:
    data = {
        "applicant_kind": "natural_person",
        "applicant_name": name,
        "id_type": "resident_id",
        "id_number": demo_resident_id(birth, serial),
        "phone": f"1389623{serial:04d}",
        "address": f"重庆市城口县葛城街道演示路{serial}号",
        "description": description,
        "form_wanted": "paper",
        "delivery_method": "post",
    }
    data.update(extra)
    return data


#: The time of day of a demo application's first step; later steps follow STEP_MINUTES apart.
START = time(10, 0)
STEP_MINUTES = 7


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, START))


def date_events(app: Application, steps: dict[str, date | datetime]) -> None:
    """Move ``app``'s audit rows to the day of the step each records (demo data only).

    ``steps`` maps an event's action to the day it is dated (or an exact time). The rows of
    the i-th event are put at START + i × STEP_MINUTES on that day, but never later than when
    they were written (a step dated today stays at its real time: nothing in the future).
    Actions missing from ``steps`` keep their time.
    """
    for i, event in enumerate(app.events.order_by("pk")):
        when = steps.get(event.action)
        if when is None:
            continue
        if not isinstance(when, datetime):
            when = _at(when) + timedelta(minutes=STEP_MINUTES * i)
        when = min(when, event.at)
        if when != event.at:
            AuditEntry.objects.filter(pk=event.pk).update(at=when)


def _exists(agency: Agency, key: str) -> bool:
    return Application.objects.filter(agency=agency, idempotency_key=key).exists()


# --- 2020 -----------------------------------------------------------------------------------

SEED_2020 = [
    # key, received, replied, delivered, applicant
    (
        "demo-2020-1",
        date(2020, 6, 8),
        date(2020, 6, 22),
        date(2020, 6, 24),
        _person("陈晓红", "19780315", 101, "城口县2019年度城乡居民最低生活保障资金发放情况"),
    ),
    (
        "demo-2020-2",
        date(2020, 10, 12),
        date(2020, 10, 30),
        date(2020, 11, 3),
        _person(
            "刘建国", "19650902", 102, "城府办发〔2020〕35号文件《城口县农村危房改造实施方案》"
        ),
    ),
]


def _load_2020(office: Agency, clerk: User, approver: User) -> int:
    created = 0
    for key, received, replied, delivered, data in SEED_2020:
        if _exists(office, key):
            continue
        with transaction.atomic():
            _one_2020(office, clerk, approver, key, received, replied, delivered, data)
        created += 1
    return created


def _one_2020(office, clerk, approver, key, received, replied, delivered, data) -> None:
    app = s.register_application(
        actor=clerk,
        agency=office,
        channel="in_person",
        data=data,
        received_on=received,
        submitted_at=_at(received),
        idempotency_key=key,
    )
    s.reply(  # approved and signed by the head of the office (负责人审核签发)
        actor=approver,
        application=app,
        disposition="granted",
        replied_on=replied,
        letter_context={"provision_method": PROVISION},
    )
    s.record_delivery(
        actor=clerk, application=app, method="post", delivered_on=delivered, note="挂号信"
    )
    archived = delivered + timedelta(days=2)
    s.archive(actor=clerk, application=app, on=archived)
    date_events(
        app,
        {
            "register": received,
            "accept": received,
            "reply": replied,
            "deliver": delivered,
            "archive": archived,
        },
    )


# --- this year ------------------------------------------------------------------------------


def working_days_before(calendar: WorkingCalendar, day: date, n: int) -> date:
    """Return the working day ``n`` working days before ``day`` (``day`` itself not counted)."""
    counted = 0
    while counted < n:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def _live_items(today: date, calendar: WorkingCalendar) -> list[dict]:
    back = lambda n: working_days_before(calendar, today, n)  # noqa: E731
    return [
        {
            "key": "demo-live-ontrack-1",
            "agency": "county-office",
            "channel": "in_person",
            "received": back(3),
            "who": ("王丽", "19900512", 201),
            "text": "城口县2025年度政府投资项目计划",
        },
        {
            "key": "demo-live-ontrack-2",
            "agency": "gaj",
            "channel": "registered_post",
            "received": back(5),
            "who": ("赵志强", "19820107", 202),
            "text": "城口县公安局2025年道路交通事故统计数据",
        },
        {
            "key": "demo-live-soon-1",
            "agency": "county-office",
            "channel": "email",
            "received": back(18),
            "who": ("孙梅", "19750620", 203),
            "text": "城口县人民政府2025年第12次常务会议纪要中关于老旧小区改造的内容",
            "then": "draft",
        },
        {
            "key": "demo-live-soon-2",
            "agency": "gecheng",
            "channel": "in_person",
            "received": back(19),
            "who": ("周强", "19690318", 204),
            "text": "葛城街道2025年城镇老旧小区改造项目居民意见汇总",
        },
        {
            "key": "demo-live-overdue-1",
            "agency": "county-office",
            "channel": "fax",
            "received": back(23),
            "who": ("吴芳", "19880830", 205),
            "text": "城口县2024年度财政专项扶贫资金分配结果",
        },
        {
            "key": "demo-live-overdue-2",
            "agency": "gaj",
            "channel": "in_person",
            "received": back(22),
            "who": ("郑伟", "19720214", 206),
            "text": "城口县公安局关于某路段限行的决定及其依据",
        },
        {
            "key": "demo-live-correction",
            "agency": "county-office",
            "channel": "ordinary_post",
            "received": back(5),
            "who": ("冯娟", "19950101", 207),
            "text": "有关征地补偿的文件",
            "then": "correction",
        },
        {
            "key": "demo-live-consultation",
            "agency": "county-office",
            "channel": "in_person",
            "received": back(6),
            "who": ("何军", "19800909", 208),
            "text": "城口县某建筑工程有限公司承建的农村公路项目施工合同",
            "then": "consultation",
        },
        {
            "key": "demo-live-extension",
            "agency": "county-office",
            "channel": "registered_post",
            "received": back(19),
            "who": ("许静", "19860404", 209),
            "text": "城口县2021年至2025年全部行政规范性文件及其起草说明",
            "then": "extension",
        },
        {
            "key": "demo-live-replied",
            "agency": "county-office",
            "channel": "in_person",
            "received": back(30),
            "who": ("邓华", "19770707", 210),
            "text": "城口县2025年度重大行政决策事项目录",
            "then": "reply",
        },
    ]


ONLINE = [
    (
        "demo-live-online-1",
        "county-office",
        ("黄磊", "19920225", 211),
        "城口县2026年民生实事项目清单",
    ),
    (
        "demo-live-online-2",
        "gecheng",
        ("谢敏", "19980611", 212),
        "葛城街道2025年低保对象名单公示情况",
    ),
]


def _follow_up(
    item: dict, app: Application, staff: dict[str, User], calendar, today
) -> dict[str, date]:
    """Take the item's next step; return {event action: the day it is dated}."""
    then = item.get("then")
    clerk = staff[item["agency"]]
    received = item["received"]
    if then == "correction":
        on = calendar.add_working_days(received, 2)
        s.request_correction(
            actor=clerk,
            application=app,
            requested_on=on,
            items=["请写明所需文件的名称、文号或者其他特征性描述；", "请写明所涉及的时间范围。"],
        )
        return {"request_correction": on}
    if then == "consultation":
        on = calendar.add_working_days(received, 3)
        s.open_consultation(
            actor=clerk,
            application=app,
            kind="third_party",
            party="城口县某某建筑工程有限公司",
            sent_on=on,
        )
        return {"open_consultation": on}
    if then == "extension":
        on = calendar.add_working_days(received, 17)
        s.approve_extension(
            actor=staff["approver"],
            application=app,
            days=15,
            reason="所申请信息数量较大，需调取和审核的档案较多",
            approved_on=on,
        )
        return {"extend": on}
    if then == "draft":  # 待审批答复: the clerk's draft waits for the approver (drafted today)
        s.draft_reply(
            actor=clerk,
            application=app,
            disposition="granted",
            letter_context={"provision_method": PROVISION},
        )
        return {"draft_reply": today}
    if then == "reply":
        replied = calendar.add_working_days(received, 12)
        s.reply(
            actor=staff["approver"],
            application=app,
            disposition="granted",
            replied_on=replied,
            letter_context={"provision_method": PROVISION},
        )
        delivered = min(today, replied + timedelta(days=2))
        s.record_delivery(actor=clerk, application=app, method="post", delivered_on=delivered)
        return {"reply": replied, "deliver": delivered}
    return {}


def _load_live(agencies: dict[str, Agency], staff: dict[str, User], out) -> int:
    today = timezone.localdate()
    calendar = load_calendar()
    created = 0
    for item in _live_items(today, calendar):
        agency = agencies[item["agency"]]
        if _exists(agency, item["key"]):
            continue
        name, birth, serial = item["who"]
        try:
            with transaction.atomic():
                app = s.register_application(
                    actor=staff[item["agency"]],
                    agency=agency,
                    channel=item["channel"],
                    data=_person(name, birth, serial, item["text"]),
                    received_on=item["received"],
                    submitted_at=_at(item["received"]),
                    idempotency_key=item["key"],
                )
                steps = _follow_up(item, app, staff, calendar, today)
                date_events(
                    app, {"register": item["received"], "accept": item["received"], **steps}
                )
        except (TransitionRefused, MissingFact, MissingCalendarYear) as error:
            out(f"  跳过演示申请 {item['key']}：{error}")
            continue
        created += 1
    for key, slug, (name, birth, serial), text in ONLINE:
        if _exists(agencies[slug], key):
            continue
        submitted = timezone.now() - timedelta(hours=serial - 200)
        with transaction.atomic():
            app = s.submit_online(
                agency=agencies[slug],
                data=_person(name, birth, serial, text),
                idempotency_key=key,
                submitted_at=submitted,
            )
            date_events(app, {"submit": submitted})
        created += 1
    return created


def load(*, out) -> None:
    slugs = {"county-office", "gaj", "gecheng"}
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["clerk", "approver", "gaj-clerk", "gecheng-clerk"]
        )
    }
    staff = {
        "county-office": users["clerk"],
        "gaj": users["gaj-clerk"],
        "gecheng": users["gecheng-clerk"],
        "approver": users["approver"],
    }
    created = _load_2020(agencies["county-office"], staff["county-office"], staff["approver"])
    created += _load_live(agencies, staff, out)
    total = Application.objects.filter(idempotency_key__startswith="demo-").count()
    out(f"政府信息公开申请 / applications: {total} 件（新建 / created: {created}）")
