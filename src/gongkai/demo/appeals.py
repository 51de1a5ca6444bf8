"""Demo step ``appeals``: review and litigation cases against the county office, 2021–2025.

None in 2020 (the seed report's table 四 is all zeros). From 2021 a few of each kind — 行政复议,
行政诉讼 未经复议直接起诉 and 复议后起诉 — with every result, some still open at the end of
their year (尚未审结), and one corrected decision followed up. Each case challenges the reply
to a demo application made here through the applications services (received, answered with a
generated letter); everything goes through the real services. The people are fictitious.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.appeals import services
from gongkai.appeals.models import Case
from gongkai.applications import services as applications
from gongkai.applications.models import Application
from gongkai.demo.applications import date_events, demo_resident_id

REVIEW_BODY = "城口县人民政府"  # the reviewing body named in the demo (fictitious cases)
COURT = "重庆市城口县人民法院"

#: key, received, replied, disposition, applicant (name, birth, serial), what was asked
APPLICATIONS = [
    (
        "appeals-demo-2021-1",
        date(2021, 3, 8),
        date(2021, 3, 29),
        "denied_third_party",
        ("钱进", "19700312", 301),
        "某企业与县政府签订的招商引资协议全文",
    ),
    (
        "appeals-demo-2021-2",
        date(2021, 7, 5),
        date(2021, 7, 23),
        "granted",
        ("孔亮", "19810506", 302),
        "城口县2020年度土地征收补偿标准",
    ),
    (
        "appeals-demo-2022-1",
        date(2022, 2, 14),
        date(2022, 3, 4),
        "denied_third_party",
        ("严华", "19761120", 303),
        "某小区规划调整听证会全部材料",
    ),
    (
        "appeals-demo-2023-1",
        date(2023, 4, 3),
        date(2023, 4, 21),
        "denied_third_party",
        ("施玉", "19880214", 304),
        "县城污水处理厂特许经营合同",
    ),
    (
        "appeals-demo-2023-2",
        date(2023, 9, 11),
        date(2023, 10, 9),
        "granted",
        ("潘明", "19690730", 305),
        "城口县2022年度棚户区改造房屋征收决定",
    ),
    (
        "appeals-demo-2024-1",
        date(2024, 5, 6),
        date(2024, 5, 24),
        "denied_third_party",
        ("魏东", "19920918", 306),
        "某矿山企业环境影响评价报告书全本",
    ),
    (
        "appeals-demo-2025-1",
        date(2025, 6, 9),
        date(2025, 6, 27),
        "denied_third_party",
        ("江南", "19850401", 307),
        "县政府与某公司的PPP项目合同",
    ),
    (
        "appeals-demo-2025-2",
        date(2025, 10, 13),
        date(2025, 11, 3),
        "granted",
        ("云飞", "19790622", 308),
        "城口县2024年度重大行政决策听证记录",
    ),
]

#: case number, route, application key, filed, result (None: open), closed, review it follows
CASES = [
    (
        "城府复〔2021〕4号",
        "review",
        "appeals-demo-2021-1",
        date(2021, 5, 10),
        "upheld",
        date(2021, 7, 2),
        None,
    ),
    (
        "（2021）渝0229行初21号",
        "litigation_direct",
        "appeals-demo-2021-2",
        date(2021, 9, 6),
        "other",
        date(2021, 11, 15),
        None,
    ),
    (
        "城府复〔2022〕6号",
        "review",
        "appeals-demo-2022-1",
        date(2022, 4, 11),
        "corrected",
        date(2022, 6, 8),
        None,
    ),
    (
        "城府复〔2021〕9号",
        "review",
        "appeals-demo-2021-1",
        date(2021, 10, 11),
        "upheld",
        date(2021, 12, 6),
        None,
    ),
    (
        "（2022）渝0229行初3号",
        "litigation_after_review",
        "appeals-demo-2021-1",
        date(2022, 1, 10),
        "upheld",
        date(2022, 4, 20),
        "城府复〔2021〕9号",
    ),
    (
        "城府复〔2023〕11号",
        "review",
        "appeals-demo-2023-1",
        date(2023, 12, 4),
        "upheld",
        date(2024, 1, 29),
        None,
    ),
    (
        "（2023）渝0229行初30号",
        "litigation_direct",
        "appeals-demo-2023-2",
        date(2023, 11, 20),
        "corrected",
        date(2023, 12, 22),
        None,
    ),
    (
        "城府复〔2024〕5号",
        "review",
        "appeals-demo-2024-1",
        date(2024, 7, 1),
        "upheld",
        date(2024, 8, 26),
        None,
    ),
    (
        "（2024）渝0229行初8号",
        "litigation_after_review",
        "appeals-demo-2023-1",
        date(2024, 2, 19),
        "upheld",
        date(2025, 3, 10),
        "城府复〔2023〕11号",
    ),
    ("城府复〔2025〕7号", "review", "appeals-demo-2025-1", date(2025, 8, 4), None, None, None),
    (
        "（2025）渝0229行初19号",
        "litigation_direct",
        "appeals-demo-2025-2",
        date(2025, 12, 15),
        None,
        None,
        None,
    ),
]

CONTEXT = {
    "granted": {"provision_method": "纸质材料邮寄送达"},
    "denied_third_party": {"reasons": "所申请信息涉及第三方商业秘密，经征求意见第三方不同意公开。"},
}


def _application(office, clerk, approver, item) -> Application:
    key, received, replied, disposition, (name, birth, serial), text = item
    found = Application.objects.filter(agency=office, idempotency_key=key).first()
    if found is not None:
        return found
    app = applications.register_application(
        actor=clerk,
        agency=office,
        channel="in_person",
        data={
            "applicant_kind": "natural_person",
            "applicant_name": name,
            "id_type": "resident_id",
            "id_number": demo_resident_id(birth, serial),
            "phone": f"1389623{serial:04d}",
            "address": f"重庆市城口县葛城街道演示路{serial}号",
            "description": text,
            "form_wanted": "paper",
            "delivery_method": "post",
        },
        received_on=received,
        submitted_at=timezone.make_aware(datetime.combine(received, time(10, 0))),
        idempotency_key=key,
    )
    applications.reply(
        actor=approver,
        application=app,
        disposition=disposition,
        replied_on=replied,
        letter_context=CONTEXT[disposition],
    )
    date_events(app, {"register": received, "accept": received, "reply": replied})
    return Application.objects.get(pk=app.pk)


def load(*, out) -> None:
    office = Agency.objects.get(slug="county-office")
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "approver"])}
    clerk, approver = users["clerk"], users["approver"]
    created = 0
    with transaction.atomic():
        apps = {item[0]: _application(office, clerk, approver, item) for item in APPLICATIONS}
        for number, route, key, filed, result, closed, after in CASES:
            if Case.objects.filter(case_number=number).exists():
                continue
            application = apps[key]
            case = services.register_case(
                actor=clerk,
                application=application,
                route=route,
                case_number=number,
                body=COURT if route != "review" else REVIEW_BODY,
                filed_on=filed,
                decision=application.reply,
                after_review_of=Case.objects.get(case_number=after) if after else None,
            )
            if result:
                corrected = result == "corrected"
                case = services.close_case(
                    actor=clerk,
                    case=case,
                    result=result,
                    closed_on=closed,
                    note="责令重新答复" if corrected else "",
                    new_decision_ordered=corrected,
                )
                if corrected and closed.year < 2023:  # the 2023 one still waits (workbench)
                    services.complete_follow_up(
                        actor=clerk,
                        case=case,
                        on=closed,
                        note="已重新作出答复并向申请人送达",
                    )
            steps = {"register_case": filed, "close_case": closed, "complete_follow_up": closed}
            date_events(case, {k: v for k, v in steps.items() if v})
            if result == "corrected":
                date_events(application, {"appeal_corrected": closed})
            created += 1
    out(
        f"行政复议、行政诉讼 / review and litigation cases: {Case.objects.count()} 件（新建 / created: {created}）"
    )
