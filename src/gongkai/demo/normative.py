"""Demo step ``normative``: the county's normative documents, cleanups and 第二十条 figures.

For 「城口县人民政府机关」 (the county government and its office) 2020 is the seed report's
table 二 (tests/corpus/000-chengkou-2020.expected.json, ``proactive``): 102 行政规范性文件 in
force at the end of 2019; 15 made and published in 2020; 15 abolished in two batches of the
2020 cleanup; so 102 in force on 2020-12-31; no 规章; every 第二十条 figure 0. The years
before 2020 build that register (a 2018 abolition included), and 2021–2025 carry on — new
documents, amendments, cleanups in 2021 and 2023 — so the 2021 format has data. Departments
keep a few documents of their own and enter plausible figures (licences, penalties, fees).

The seed's year goes through every step as it happened; the documents of other years are
recorded from the register (:func:`gongkai.normative.register.import_register`, one audit row
each), and every later step — 修订, 废止, cleanups — is the real step; all as the office's demo
clerk for the county's documents and as the command line for the departments. Titles are generated from templates, except a handful written out. Loading twice
adds nothing: the step does nothing once the county's documents exist.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.auditlog.models import AuditEntry
from gongkai.normative.cleanup import close_campaign, decide_batch, open_campaign, put_under_review
from gongkai.normative.figures import ITEM_FIELDS, save_figures
from gongkai.normative.models import (
    Amendment,
    Article20Figure,
    CleanupBatch,
    CleanupCampaign,
    NormativeDocument,
)
from gongkai.normative.register import RegisterRow, import_register
from gongkai.normative.selectors import in_force
from gongkai.normative.steps import STEPS, record_published

D = dt.date
Item = Article20Figure.Item

#: Hand-written documents of 2020 (the seed's 复工复产, 电动车管理 and 城乡医保 policies).
WRITTEN_2020 = [
    (D(2020, 3, 2), "城口县人民政府关于印发城口县支持企业复工复产和生产经营若干政策措施的通知"),
    (D(2020, 5, 18), "城口县人民政府关于印发城口县城区电动自行车管理办法的通知"),
    (D(2020, 9, 7), "城口县人民政府关于印发城口县城乡居民合作医疗保险实施办法的通知"),
]
TOPICS = [
    "农村危房改造补助资金",
    "城乡居民最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "农村公路养护",
    "城市生活垃圾分类",
    "国有建设用地使用权出让",
    "政府投资项目",
    "财政专项资金",
    "行政事业单位国有资产",
    "政府购买服务",
    "公共租赁住房",
    "城区户外广告设置",
    "城市绿化",
    "森林防火",
    "地质灾害防治",
    "河道采砂",
    "畜禽养殖污染防治",
    "农村土地承包经营权流转",
    "农村宅基地",
    "集体林权",
    "中药材产业发展扶持",
    "乡村旅游发展扶持",
    "电子商务进农村",
    "招商引资优惠",
    "中小企业发展专项资金",
    "就业创业补贴",
    "高校毕业生基层就业",
    "学前教育资助",
    "义务教育阶段学生资助",
    "残疾人两项补贴",
    "高龄失能老人补贴",
    "城乡医疗救助",
    "突发公共卫生事件应急",
    "安全生产责任",
    "道路交通安全",
    "城区停车",
    "物业服务",
    "房屋征收与补偿",
    "征地补偿安置",
    "政府信息公开",
    "行政规范性文件制定和备案",
    "重大行政决策程序",
    "行政执法公示",
    "公共资源交易",
    "政务服务事项",
    "公共法律服务",
    "人民调解",
    "社会信用体系",
    "消防安全",
]
KINDS = ["管理办法", "实施办法", "实施细则", "暂行办法", "管理规定", "实施意见", "扶持办法"]

#: Years of the register before the seed's year: how many documents each published.
EARLIER = {2013: 10, 2014: 12, 2015: 14, 2016: 16, 2017: 18, 2018: 18, 2019: 20}
#: Documents the county's unit publishes in each later year, and abolishes in each.
LATER = {
    2021: {"publish": 12, "cleanup": (7,), "single": 0},
    2022: {"publish": 10, "cleanup": (), "single": 4},
    2023: {"publish": 9, "cleanup": (5, 3), "single": 0},
    2024: {"publish": 8, "cleanup": (), "single": 6},
    2025: {"publish": 7, "cleanup": (), "single": 3},
}
#: (agency slug, 机关代字, documents per year from 2018 to 2025) of departments with documents.
DEPARTMENTS = [
    ("rlsbj", "城人社发", 2),
    ("czj", "城财发", 1),
    ("zfcxjw", "城建发", 1),
    ("nyncw", "城农发", 2),
    ("mzj", "城民政发", 1),
]
#: Plausible 第二十条 figures of departments: (slug, item, items at the end of 2019, decisions
#: per year around this, amount in 万元 per year around this).
DEPARTMENT_FIGURES = [
    ("gaj", Item.LICENSING, 18, 2600, None),
    ("gaj", Item.PENALTY, 96, 3100, None),
    ("gaj", Item.ENFORCEMENT, 12, 240, None),
    ("gaj", Item.FEES, 6, None, Decimal("36.5")),
    ("scjgj", Item.LICENSING, 41, 1800, None),
    ("scjgj", Item.PENALTY, 160, 210, None),
    ("scjgj", Item.ENFORCEMENT, 9, 35, None),
    ("scjgj", Item.OTHER_SERVICES, 22, 950, None),
    ("zfcxjw", Item.LICENSING, 27, 320, None),
    ("zfcxjw", Item.FEES, 4, None, Decimal("120.8")),
    ("ghzrzyj", Item.LICENSING, 33, 410, None),
    ("ghzrzyj", Item.FEES, 7, None, Decimal("88.2")),
    ("czj", Item.PROCUREMENT, None, 64, Decimal("5320.6")),
]
FILED_WITH = "重庆市人民政府"


class _Register:
    """Numbers and titles for the county's documents, and the steps' actor."""

    def __init__(self, actor):
        self.actor = actor
        self.random = random.Random(2020)
        self.numbers: dict[tuple[str, int], int] = {}
        self.used_titles: set[str] = set()
        self.government = Agency.objects.get(slug="county-government")
        self.office = Agency.objects.get(slug="county-office")

    def number(self, prefix: str, year: int) -> str:
        n = self.numbers.get((prefix, year), 0) + self.random.randint(1, 4)
        self.numbers[(prefix, year)] = n
        return f"{prefix}〔{year}〕{n}号"

    def title(self, issuer: str) -> str:
        while True:
            topic = self.random.choice(TOPICS)
            kind = self.random.choice(KINDS)
            title = f"{issuer}关于印发城口县{topic}{kind}的通知"
            if title not in self.used_titles:
                self.used_titles.add(title)
                return title

    def _fields(self, day: dt.date, title: str | None, office: bool) -> dict:
        agency = self.office if office else self.government
        issuer = "城口县人民政府办公室" if office else "城口县人民政府"
        title = title or self.title(issuer)
        self.used_titles.add(title)
        drafted, reviewed = self.random.randint(30, 80), self.random.randint(12, 25)
        return {
            "agency": agency,
            "title": title,
            "doc_number": self.number("城府办发" if office else "城府发", day.year),
            "drafting_unit": "县司法局" if self.random.random() < 0.2 else "",
            "review_ref": f"城司审〔{day.year}〕{self.random.randint(1, 90)}号",
            "deliberation_ref": f"县政府第{self.random.randint(1, 160)}次常务会议",
            "lead_days": (drafted, reviewed, 7),
            "filed_on": day + dt.timedelta(days=self.random.randint(5, 28)),
            "filed_with": "城口县人民政府" if office else FILED_WITH,
            "filing_ref": f"城府文〔{day.year}〕{self.random.randint(1, 200)}号",
        }

    def row(self, day: dt.date, *, office: bool = False) -> RegisterRow:
        """A document of an earlier year, recorded from the register."""
        f = self._fields(day, None, office)
        drafted, reviewed, deliberated = (day - dt.timedelta(days=d) for d in f["lead_days"])
        return RegisterRow(
            agency_id=f["agency"].pk,
            title=f["title"],
            doc_number=f["doc_number"],
            drafting_unit=f["drafting_unit"],
            drafted_on=drafted,
            review_on=reviewed,
            review_ref=f["review_ref"],
            deliberated_on=deliberated,
            deliberation_ref=f["deliberation_ref"],
            signed_on=deliberated,
            published_on=day,
            filed_on=f["filed_on"],
            filed_with=f["filed_with"],
            filing_ref=f["filing_ref"],
        )

    def publish(self, day: dt.date, *, title: str | None = None, office: bool = False):
        """A document of the seed's year, through every step as it happened."""
        f = self._fields(day, title, office)
        doc = record_published(
            actor=self.actor,
            agency=f["agency"],
            title=f["title"],
            doc_number=f["doc_number"],
            published_on=day,
            drafting_unit=f["drafting_unit"],
            review_ref=f["review_ref"],
            deliberation_ref=f["deliberation_ref"],
            lead_days=f["lead_days"],
        )
        STEPS.run(
            "file",
            actor=self.actor,
            record=doc,
            on=f["filed_on"],
            filed_with=f["filed_with"],
            ref=f["filing_ref"],
        )
        return doc

    def record(self, year: int, count: int, *, office_every: int) -> None:
        rows = [
            self.row(day, office=i % office_every == office_every - 1)
            for i, day in enumerate(self.days_in(year, count))
        ]
        import_register(actor=self.actor, rows=rows)

    def days_in(self, year: int, count: int) -> list[dt.date]:
        start = D(year, 1, 15)  # signed (7 days earlier) in the same year
        span = (D(year, 12, 20) - start).days
        return sorted(start + dt.timedelta(days=self.random.randint(0, span)) for _ in range(count))

    def unit_in_force(self, day: dt.date) -> list[NormativeDocument]:
        ids = [self.government.pk, self.office.pk]
        return list(in_force(agency_ids=ids, on=day).order_by("published_on", "pk"))

    def cleanup(self, year: int, batches: tuple[int, ...], dates: list[dt.date], title: str):
        campaign = open_campaign(
            actor=self.actor,
            agency=self.government,
            title=title,
            basis="重庆市人民政府办公厅关于开展行政规范性文件清理工作的通知",
            started_on=D(year, 3, 2),
        )
        candidates = self.unit_in_force(D(year, 3, 2))
        reviewed = candidates[: max(sum(batches) * 3, 30)]
        put_under_review(actor=self.actor, campaign=campaign, documents=reviewed)
        pool = list(reviewed)
        self.random.shuffle(pool)
        for number, (size, day) in enumerate(zip(batches, dates, strict=True), start=1):
            chosen, pool = pool[:size], pool[size:]
            decide_batch(
                actor=self.actor,
                campaign=campaign,
                action="abolish",
                documents=chosen,
                decided_on=day,
                decision_title=f"城口县人民政府关于废止部分行政规范性文件的决定（第{number}批）"
                if len(batches) > 1
                else "城口县人民政府关于废止部分行政规范性文件的决定",
                decision_number=self.number("城府发", year),
                reason="清理：已不适应经济社会发展需要或上位法已修改",
            )
        amended = pool[:2]
        if amended:
            decide_batch(
                actor=self.actor,
                campaign=campaign,
                action="amend",
                documents=amended,
                decided_on=dates[-1],
                decision_title="城口县人民政府关于修改部分行政规范性文件的决定",
                decision_number=self.number("城府发", year),
                reason="依据上位法修改相应条款",
            )
        close_campaign(actor=self.actor, campaign=campaign, closed_on=D(year, 12, 28))

    def abolish_singly(self, year: int, count: int) -> None:
        for day in self.days_in(year, count):
            target = self.unit_in_force(day)[0]
            STEPS.run(
                "abolish",
                actor=self.actor,
                record=target,
                on=day,
                decision_title=f"城口县人民政府关于废止《{target.title}》的决定",
                decision_number=self.number("城府发", year),
                reason="已被新文件替代",
            )


def _county(register: _Register) -> None:
    for year, count in EARLIER.items():
        register.record(year, count, office_every=4)
    register.abolish_singly(2018, 6)  # 108 published before 2020, 102 in force at its end
    for i, day in enumerate(register.days_in(2020, 15 - len(WRITTEN_2020))):
        register.publish(day, office=i % 3 == 2)
    for day, title in WRITTEN_2020:
        register.publish(day, title=title)
    register.cleanup(2020, (9, 6), [D(2020, 6, 28), D(2020, 11, 26)], "2020年行政规范性文件清理")
    for year, plan in LATER.items():
        register.record(year, plan["publish"], office_every=3)
        if plan["cleanup"]:
            dates = [D(year, 6, 20), D(year, 11, 18)][: len(plan["cleanup"])]
            register.cleanup(year, plan["cleanup"], dates, f"{year}年行政规范性文件清理")
        if plan["single"]:
            register.abolish_singly(year, plan["single"])


def _departments(rng: random.Random) -> None:
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=[d[0] for d in DEPARTMENTS])}
    rows = []
    for slug, prefix, per_year in DEPARTMENTS:
        agency = agencies[slug]
        for year in range(2018, 2026):
            for n in range(1, per_year + 1):
                day = D(year, rng.randint(2, 11), rng.randint(1, 28))
                rows.append(
                    RegisterRow(
                        agency_id=agency.pk,
                        title=f"{agency.name}关于印发{rng.choice(TOPICS)}{rng.choice(KINDS)}的通知",
                        doc_number=f"{prefix}〔{year}〕{n * 7 + rng.randint(0, 5)}号",
                        drafted_on=day - dt.timedelta(days=45),
                        review_on=day - dt.timedelta(days=20),
                        review_ref=f"城司审〔{year}〕{rng.randint(100, 190)}号",
                        deliberated_on=day - dt.timedelta(days=6),
                        deliberation_ref=f"{agency.display_name}{year}年第{rng.randint(1, 24)}次"
                        "党组（办公）会议",
                        signed_on=day - dt.timedelta(days=6),
                        published_on=day,
                    )
                )
    import_register(actor=rules.COMMAND_LINE, rows=rows)


def _figures(rng: random.Random) -> None:
    """The seed's zeros for the county's unit in 2020 and after; departments' figures; zeros
    for every item an agency has none of."""
    actor = rules.COMMAND_LINE
    unit = Agency.objects.filter(slug__in=["county-government", "county-office"])
    for agency in unit:
        for year in range(2020, 2026):
            for item, fields in ITEM_FIELDS.items():
                save_figures(
                    actor=actor,
                    agency=agency,
                    year=year,
                    item=item,
                    values=dict.fromkeys(fields, 0),
                )
    agencies = {
        a.slug: a for a in Agency.objects.filter(slug__in={f[0] for f in DEPARTMENT_FIGURES})
    }
    for slug, item, items, decisions, amount in DEPARTMENT_FIGURES:
        for year in range(2020, 2026):
            values = {}
            if "prior_items" in ITEM_FIELDS[item]:
                change = rng.randint(-2, 3)
                values.update(prior_items=items, change=change)
                items += change
            if decisions is not None:
                key = "projects" if item == Item.PROCUREMENT else "decisions"
                values[key] = int(decisions * rng.uniform(0.8, 1.2))
            if amount is not None:
                values["amount"] = (amount * Decimal(rng.uniform(0.85, 1.15))).quantize(
                    Decimal("0.01")
                )
            save_figures(actor=actor, agency=agencies[slug], year=year, item=item, values=values)
    # Every other agency enters its zeros too (an item it has none of), as agencies do on
    # the staff page: a blank cell is a report left unfinished (docs/normative.md, cell.blank).
    entered = {(slug, item) for slug, item, *_ in DEPARTMENT_FIGURES}
    for agency in Agency.objects.exclude(pk__in=unit).order_by("pk"):
        for year in range(2020, 2026):
            for item, fields in ITEM_FIELDS.items():
                if (agency.slug, item) not in entered:
                    save_figures(
                        actor=actor,
                        agency=agency,
                        year=year,
                        item=item,
                        values=dict.fromkeys(fields, 0),
                    )


#: Which date of the record an audit row's action is dated with (demo only; see _date_events).
EVENT_DAYS = {
    "record_published": "published_on",
    "draft": "drafted_on",
    "review": "review_on",
    "deliberate": "deliberated_on",
    "publish": "published_on",
    "file": "filed_on",
    "abolish": "ended_on",
    "expire": "ended_on",
    "open_campaign": "started_on",
    "review_documents": "started_on",
    "close_campaign": "closed_on",
    "cleanup_batch": "decided_on",
}


def _date_events() -> int:
    """Move the demo records' audit rows to the day of the step each records, 10:00 local
    plus a minute per row, so a document's history reads as if kept at the time (as the
    ``applications`` step does for its cases). An amendment is dated with its own date; the
    figures of a year on 20 January of the next. Never later than when a row was written."""
    records = {
        ContentType.objects.get_for_model(model).pk: {row.pk: row for row in model.objects.all()}
        for model in (NormativeDocument, CleanupCampaign, CleanupBatch)
    }
    amendments = dict(Amendment.objects.values_list("pk", "amended_on"))
    figure_type = ContentType.objects.get_for_model(Article20Figure)
    years = dict(Article20Figure.objects.values_list("pk", "year"))
    moved = []
    rows = AuditEntry.objects.filter(content_type_id__in=[*records, figure_type.pk]).order_by("pk")
    for i, entry in enumerate(rows.iterator()):
        if entry.content_type_id == figure_type.pk:
            day = D(years[entry.object_id] + 1, 1, 20)
        elif entry.action == "amend":
            day = amendments.get(entry.data.get("amendment"))
        else:
            record = records[entry.content_type_id].get(entry.object_id)
            field = EVENT_DAYS.get(entry.action)
            day = getattr(record, field, None) if record is not None and field else None
        if day is None:
            continue
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))) + dt.timedelta(
            minutes=i % 240
        )
        if at < entry.at:
            entry.at = at
            moved.append(entry)
    AuditEntry.objects.bulk_update(moved, ["at"], batch_size=500)
    return len(moved)


def load(*, out) -> None:
    if NormativeDocument.objects.filter(agency__slug="county-government").exists():
        out("规范性文件 / normative documents: 已载入 / already loaded")
        return
    clerk = User.objects.get(username="clerk")
    register = _Register(clerk)
    _county(register)
    rng = random.Random(2021)
    _departments(rng)
    _figures(rng)
    _date_events()
    out(
        f"规范性文件 / normative documents: {NormativeDocument.objects.count()} 件，"
        f"第二十条统计 / article 20 figures: {Article20Figure.objects.count()} 条"
    )
