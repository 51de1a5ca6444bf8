"""Demo step ``catalogue``: the county's 基层政务公开标准目录 for 25 pilot domains across its 14
departments (the seed report: 「围绕重大建设项目、公共资源交易、义务教育等25个试点领域，涉及
县发展改革委、县教委、县公安局等14个县政府部门」), two trainings in 2020 (August and December,
as the seed report says) and the 2020 scorecard.

The entries are generated from a template per domain: plausible, not the county's real
catalogue. Which department keeps which domain is demo data too; 税收管理 of the reconstructed
list is left out (the tax bureau is not a county government department), giving 25 domains.
A few entries carry a formation date and evidence, so the compliance view has something to show:
two items of 县发展改革委 passed their time limit without a publication, one was published late.
"""

from __future__ import annotations

from datetime import date

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.assessment import services as assessment
from gongkai.assessment.models import Scheme
from gongkai.catalogue import services
from gongkai.catalogue.columns import Row
from gongkai.catalogue.models import Catalogue, Domain, Entry
from gongkai.training import services as training
from gongkai.training.models import Training

ARTICLE_26 = "信息形成（或者变更）之日起20个工作日内"
DECISION = "作出决定之日起7个工作日内"

#: domain -> (department slug, 公开依据, ((一级事项, (二级事项, …)), …))
DOMAINS: dict[str, tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "重大建设项目": (
        "fgw",
        "《政府投资条例》《企业投资项目核准和备案管理条例》",
        (("审批服务", ("审批结果", "核准结果")), ("项目实施", ("招标投标", "施工有关信息"))),
    ),
    "公共资源交易": (
        "fgw",
        "《招标投标法》《政府采购法》《公共资源交易平台管理暂行办法》",
        (("交易公告", ("招标公告", "采购公告")), ("成交信息", ("中标候选人公示", "中标结果公示"))),
    ),
    "义务教育": (
        "jw",
        "《义务教育法》《中小学幼儿园安全管理办法》",
        (("招生入学", ("招生政策", "划片范围")), ("学生资助", ("资助政策", "资助名单"))),
    ),
    "公共文化服务": (
        "jw",
        "《公共文化服务保障法》《公共图书馆法》",
        (("文化设施", ("设施目录", "开放时间")), ("文化活动", ("活动安排", "惠民项目"))),
    ),
    "户籍管理": (
        "gaj",
        "《户口登记条例》《居住证暂行条例》",
        (("户口登记", ("出生登记", "迁移登记")), ("居住证", ("申领条件", "办理流程"))),
    ),
    "社会救助": (
        "mzj",
        "《社会救助暂行办法》",
        (
            ("最低生活保障", ("申请条件", "保障对象名单")),
            ("特困人员供养", ("认定条件", "供养标准")),
        ),
    ),
    "养老服务": (
        "mzj",
        "《老年人权益保障法》《养老机构管理办法》",
        (("养老机构", ("机构名录", "备案信息")), ("老年福利", ("高龄津贴", "服务补贴"))),
    ),
    "救灾": (
        "mzj",
        "《自然灾害救助条例》",
        (("灾情信息", ("灾情通报", "救灾预警")), ("救助款物", ("资金分配", "物资发放"))),
    ),
    "公共法律服务": (
        "sfj",
        "《法律援助法》《人民调解法》",
        (("法律援助", ("申请条件", "受援名单统计")), ("人民调解", ("调解组织", "调解程序"))),
    ),
    "财政预决算": (
        "czj",
        "《预算法》《地方预决算公开操作规程》",
        (("预算公开", ("政府预算", "部门预算")), ("决算公开", ("政府决算", "部门决算"))),
    ),
    "就业": (
        "rlsbj",
        "《就业促进法》《失业保险条例》",
        (("就业服务", ("招聘信息", "职业培训")), ("就业补贴", ("补贴政策", "补贴名单"))),
    ),
    "社会保险": (
        "rlsbj",
        "《社会保险法》",
        (("参保登记", ("登记办法", "缴费标准")), ("待遇支付", ("养老金调整", "支付结果"))),
    ),
    "征地补偿": (
        "ghzrzyj",
        "《土地管理法》《土地管理法实施条例》",
        (("征地报批", ("征收土地预公告", "征地批复")), ("补偿安置", ("补偿标准", "安置方案"))),
    ),
    "城乡规划": (
        "ghzrzyj",
        "《城乡规划法》",
        (
            ("规划编制", ("规划草案公示", "批准后公布")),
            ("规划许可", ("建设用地规划许可", "建设工程规划许可")),
        ),
    ),
    "环境保护（生态环境）": (
        "sthjj",
        "《环境保护法》《环境影响评价法》",
        (("环境质量", ("空气质量", "水环境质量")), ("环评审批", ("受理公示", "审批决定"))),
    ),
    "国有土地上房屋征收与补偿": (
        "zfcxjw",
        "《国有土地上房屋征收与补偿条例》",
        (
            ("征收决定", ("征收补偿方案", "房屋征收决定")),
            ("补偿结果", ("分户补偿情况", "评估结果")),
        ),
    ),
    "农村危房改造": (
        "zfcxjw",
        "《农村危房改造基本安全技术导则》",
        (("政策标准", ("补助标准", "申请条件")), ("实施情况", ("改造对象名单", "资金拨付"))),
    ),
    "保障性住房": (
        "zfcxjw",
        "《公共租赁住房管理办法》",
        (("住房保障", ("申请条件", "轮候名单")), ("分配管理", ("分配结果", "退出情况"))),
    ),
    "市政服务": (
        "zfcxjw",
        "《城市供水条例》《城镇排水与污水处理条例》",
        (("供水供气", ("价格标准", "停水停气通知")), ("市政设施", ("建设计划", "维护信息"))),
    ),
    "城市综合执法": (
        "zfcxjw",
        "《行政处罚法》",
        (("执法依据", ("权责清单", "执法流程")), ("执法结果", ("行政处罚决定", "投诉处理"))),
    ),
    "安全生产": (
        "jtj",
        "《安全生产法》",
        (("安全监管", ("监管计划", "检查结果")), ("事故信息", ("事故通报", "调查报告"))),
    ),
    "扶贫": (
        "nyncw",
        "《中国农村扶贫开发纲要（2011—2020年）》",
        (("扶贫政策", ("政策文件", "项目库")), ("资金项目", ("资金分配", "项目实施"))),
    ),
    "涉农补贴": (
        "nyncw",
        "《财政支农资金管理办法》",
        (("补贴政策", ("补贴标准", "申报程序")), ("补贴发放", ("补贴对象名单", "发放结果"))),
    ),
    "医疗卫生（卫生健康）": (
        "wsjkw",
        "《基本医疗卫生与健康促进法》",
        (("医疗服务", ("机构名录", "服务价格")), ("公共卫生", ("疫情信息", "预防接种"))),
    ),
    "食品药品监管": (
        "scjgj",
        "《食品安全法》《药品管理法》",
        (("行政许可", ("许可结果", "许可注销")), ("监督抽检", ("抽检计划", "抽检结果"))),
    ),
}

#: (domain, 一级事项, 二级事项, formation date, evidence date or None): the compliance story.
FORMED: list[tuple[str, str, str, date, date | None]] = [
    ("重大建设项目", "审批服务", "审批结果", date(2020, 3, 2), date(2020, 3, 20)),
    ("重大建设项目", "审批服务", "核准结果", date(2020, 5, 11), date(2020, 6, 15)),  # late
    ("重大建设项目", "项目实施", "招标投标", date(2020, 9, 25), None),  # overdue
    ("公共资源交易", "成交信息", "中标结果公示", date(2020, 11, 2), None),  # overdue
    ("财政预决算", "预算公开", "部门预算", date(2020, 2, 3), date(2020, 2, 20)),
]

TOPICS = "\n".join(
    [
        "《中华人民共和国政府信息公开条例》",
        "政府信息依申请公开办理规范",
        "公文公开属性认定和政策解读",
        "政府系统公开信箱管理",
        "政府网站和政务新媒体管理",
        "政府网站集约化平台管理和使用",
    ]
)
ROLES = "政务公开分管负责人、科室负责人、具体业务人员"
TRAININGS = [
    (date(2020, 8, 20), "2020年全县政务公开工作培训（第一期）"),
    (date(2020, 12, 10), "2020年全县政务公开工作培训（第二期）"),
]
#: Townships that sent nobody to the December training (so the scorecard has differences).
ABSENT_IN_DECEMBER = {"zuolan", "jiming", "zhouxi"}


def _rows(domain: str, basis: str, items, subject: str) -> list[Row]:
    rows = []
    for n, (l1, l2s) in enumerate(items):
        for m, l2 in enumerate(l2s):
            result = "名单" in l2 or "结果" in l2 or "决定" in l2
            rows.append(
                Row(
                    item_l1=l1,
                    item_l2=l2,
                    content=f"{domain}领域{l2}：名称、依据、对象、标准、程序、结果等",
                    basis=basis,
                    time_limit=DECISION if result and m else ARTICLE_26,
                    subject=subject,
                    process="结果" if result else ("决策" if n == 0 else "执行"),
                    channels={"website": "required", "new_media": "optional"}
                    | ({"notice_board": "required"} if result else {"service_centre": "optional"}),
                    audience_all=not result,
                    audience_specific=result,
                    proactive=True,
                    level_county=True,
                    level_township=n == 1,
                    level_village=result,
                )
            )
    return rows


def load(*, out) -> None:
    services.seed_domains()
    actor = User.objects.get(username="supervisor")
    agencies = {a.slug: a for a in Agency.objects.all()}
    domains = {d.name: d for d in Domain.objects.filter(name__in=DOMAINS)}
    changed = 0
    for name, (slug, basis, items) in DOMAINS.items():
        if name not in domains:  # renamed by the office: the demo leaves its list alone
            continue
        agency = agencies[slug]
        catalogue = Catalogue.objects.filter(agency=agency, domain=domains[name]).first()
        if catalogue is None:
            catalogue = services.open_catalogue(actor=actor, agency=agency, domain=domains[name])
        rows = _rows(name, basis, items, agency.short_name or agency.name)
        changed += services.replace_entries(actor=actor, catalogue=catalogue, rows=rows).changed
    for name, l1, l2, formed_on, published_on in FORMED:
        entry = Entry.objects.filter(catalogue__domain__name=name, item_l1=l1, item_l2=l2).first()
        if entry is None:
            continue
        if entry.formed_on != formed_on:
            services.set_formed_on(actor=actor, entry=entry, formed_on=formed_on)
        if published_on and not entry.evidence.exists():
            services.add_evidence(
                actor=actor,
                entry=entry,
                published_on=published_on,
                reference=f"{entry.catalogue.agency.credit_code}/{published_on.year}-{entry.pk:05d}",
                title=f"{entry.item_l2}（演示）",
            )
    county = agencies["county-government"]
    audience = [a for a in agencies.values() if a.parent_id == county.pk]
    for held_on, title in TRAININGS:
        held = Training.objects.filter(agency=county, held_on=held_on).first()
        if held is None:
            held = training.save_training(
                actor=actor,
                agency=county,
                held_on=held_on,
                title=title,
                topics=TOPICS,
                audience_roles=ROLES,
                audience=audience,
            )
        if not held.attendance.exists():
            people = {county.pk: 2}
            for agency in audience:
                absent = held_on.month == 12 and agency.slug in ABSENT_IN_DECEMBER
                people[agency.pk] = (
                    0 if absent else (3 if agency.kind == Agency.Kind.DEPARTMENT else 2)
                )
            training.record_attendance(actor=actor, training=held, people=people)
    if not Scheme.objects.filter(agency=county, year=2020).exists():
        assessment.create_scheme(actor=actor, agency=county, year=2020)
    out(
        f"标准目录 / catalogues: {len(DOMAINS)} 个领域（{changed} 个新建或更新），"
        f"培训 / trainings: {len(TRAININGS)} 次，考核方案 / scorecard: 2020"
    )
