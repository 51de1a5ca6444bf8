"""Demo step ``publications``: the county's 主动公开 records, 2020–2025.

2020, as the seed report (tests/corpus/000-chengkou-2020.txt) tells it for 「城口县人民政府机关」
(the county government and its office): 4,891 items published 「通过政府网站、微信公众号等平台」,
2,183 of them on the county website; 15 documents 「以县政府（办公室）名义印发」; 3 policy
interpretations (支持企业复工复产和生产经营, 电动车管理, 城乡医保). The figures are what
:func:`gongkai.publications.selectors.narrative_figures` and the public API count from these
records — nothing stores a total.

A handful of items are hand-written and go through the real services (drafted by the demo
clerk, reviewed, approved, 保密审查, published, one corrected), so their pages and histories
read like real ones. The rest are generated from templates and written with ``bulk_create``
(published, 主动公开, with placements and 索引号; the numbering counters are set after them);
departments and townships get plausible records of their own, and 2021–2025 carry on.
Bulk rows have no drafter (``created_by`` empty); an agency's year that already has any is
skipped, so loading twice adds nothing.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.auditlog.models import AuditEntry
from gongkai.intake.models import Counter
from gongkai.law.calendar import WorkingCalendar
from gongkai.law.proactive import days_late
from gongkai.publications import services as s
from gongkai.publications.models import (
    Attribute,
    CatalogueCategory,
    Channel,
    Genre,
    Kind,
    Placement,
    Publication,
    State,
    Topic,
)
from gongkai.publications.services import INDEX_SERIES, format_index_number

ORGANS = ("county-government", "county-office")
YEARS = range(2020, 2026)
#: The last generated year has no late item and no policy without its 政策解读 (an agency
#: that issued no interpretation that year issued no policy document either), so a monitoring
#: run in the year after, which looks back a year, finds only the problems demo step
#: ``monitoring`` plants (docs/monitoring.md). Earlier years keep a few late items.
CLEAN_YEAR = YEARS[-1]

# 2020 for the reporting unit, from the seed report.
ITEMS_2020 = 4891
WEBSITE_2020 = 2183
DOCUMENTS_2020 = 15
# Of the items on the website, how many also went out on WeChat (the item is counted once).
BOTH_2020 = 412

#: Items a year for the reporting unit after 2020 (a county's output grows a little).
ORGAN_ITEMS = {2021: 5012, 2022: 5230, 2023: 4968, 2024: 5105, 2025: 5240}
ORGAN_WEBSITE = {2021: 2310, 2022: 2456, 2023: 2391, 2024: 2502, 2025: 2588}
ORGAN_DOCUMENTS = {2021: 18, 2022: 16, 2023: 21, 2024: 17, 2025: 19}
ORGAN_INTERPRETATIONS = {2021: 5, 2022: 6, 2023: 6, 2024: 7, 2025: 8}

INFO_TITLES = [
    "{a}{m}月{d}日工作动态",
    "{a}召开{topic}工作推进会",
    "{a}开展{topic}专项检查",
    "{a}{y}年{m}月{topic}情况通报",
    "关于{topic}有关事项的公示",
    "{a}部署{topic}工作",
    "{y}年{topic}项目实施情况公开",
    "{a}关于{topic}的温馨提示",
]
TOPICS_TEXT = [
    "安全生产",
    "森林防火",
    "防汛救灾",
    "脱贫攻坚",
    "乡村振兴",
    "疫情防控",
    "复工复产",
    "优化营商环境",
    "城乡低保",
    "农村公路建设",
    "义务教育",
    "食品安全",
    "环境保护",
    "就业创业",
    "医疗保障",
    "财政预算",
    "政府采购",
    "公共资源交易",
    "农房整治",
    "河长制",
]
DOC_TITLES = [
    "关于印发{y}年{topic}工作要点的通知",
    "关于进一步加强{topic}工作的通知",
    "关于做好{topic}工作的意见",
    "关于印发{topic}实施方案的通知",
    "关于{topic}有关事项的决定",
]
DOC_GENRES = [Genre.NOTICE, Genre.NOTICE, Genre.OPINION, Genre.PLAN, Genre.DECISION]
DOC_PREFIX = {"county-government": "城府发", "county-office": "城府办发"}
INFO_BODY = (
    "<p>{title}。</p><p>{a}认真贯彻落实县委、县政府决策部署，围绕{topic}重点任务，"
    "细化工作措施，压实工作责任，确保各项工作落到实处。</p>"
)


def _working_days(calendar: WorkingCalendar, year: int) -> list[date]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@functools.lru_cache(maxsize=4096)
def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _other_quota(agency: Agency, year: int, rng: random.Random) -> tuple[int, int, int]:
    """(items, website items, documents) a year for a department, street or township."""
    if agency.kind == Agency.Kind.DEPARTMENT:
        items = rng.randint(90, 180) + (year - 2020) * 6
        return items, int(items * rng.uniform(0.55, 0.75)), rng.randint(6, 20)
    items = rng.randint(30, 70) + (year - 2020) * 3
    return items, int(items * rng.uniform(0.6, 0.85)), rng.randint(2, 8)


class FastRows:
    """Insert many rows of one model with ``executemany``: the demo's bulk items are tens of
    thousands of rows, and ``bulk_create`` spends most of its time compiling each one.

    Primary keys are assigned here (after the largest one in the table) and PostgreSQL's
    sequence is reset afterwards, so later inserts by the ORM carry on after them.
    """

    def __init__(self, model) -> None:
        from django.db import connection

        self.model = model
        self.connection = connection
        self.fields = list(model._meta.concrete_fields)
        now = timezone.now()
        ops = connection.ops
        self.defaults, self.convert = [], []
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            else:
                default = field.get_default() if field.has_default() or field.null else ""
            # Dates repeat (a year has 365 of them): convert each value once.
            if field.get_internal_type() == "DateTimeField":
                convert = functools.lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
            elif field.get_internal_type() == "DateField":
                convert = functools.lru_cache(maxsize=4096)(ops.adapt_datefield_value)
            else:
                convert = None
            self.defaults.append(default)
            self.convert.append(convert)
        quote = ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next_pk = last + 1
        self.rows: list[tuple] = []

    def add(self, **values) -> int:
        """Queue one row (by attribute name, e.g. ``agency_id``); return its primary key."""
        pk = self.next_pk
        self.next_pk += 1
        values[self.model._meta.pk.attname] = pk
        row = []
        for field, default, convert in zip(self.fields, self.defaults, self.convert, strict=True):
            value = values.get(field.attname, default)
            row.append(convert(value) if convert is not None and value is not None else value)
        self.rows.append(tuple(row))
        return pk

    def flush(self) -> None:
        """Write the queued rows and bring PostgreSQL's id sequence up to date."""
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for start in range(0, len(self.rows), 5000):
                cursor.executemany(self.sql, self.rows[start : start + 5000])
            for statement in self.connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(statement)
        self.rows = []


class Bulk:
    """Generates one agency-year of published items and writes them with bulk_create."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.days = {year: _working_days(calendar, year) for year in YEARS}
        self.categories = list(CatalogueCategory.objects.filter(active=True))
        self.topics = list(Topic.objects.filter(active=True))
        self.links: list[tuple[int, int]] = []

    def _categories_for(self, agency: Agency) -> list[CatalogueCategory]:
        scopes = {"all", "township" if agency.kind == Agency.Kind.TOWNSHIP else "county"}
        return [c for c in self.categories if c.scope in scopes]

    def write(
        self,
        agency: Agency,
        year: int,
        *,
        items: int,
        website: int,
        both: int,
        documents: int,
        interpretations: int,
        rng: random.Random,
        publications: FastRows,
        placements: FastRows,
    ) -> int:
        """Queue ``items`` published items of ``agency`` in ``year``; return the last serial."""
        days = sorted(rng.choice(self.days[year]) for _ in range(items))
        kinds = (
            [Kind.DOCUMENT] * documents
            + [Kind.INTERPRETATION] * interpretations
            + [Kind.INFORMATION] * (items - documents - interpretations)
        )
        rng.shuffle(kinds)
        on_website = set(rng.sample(range(items), website))
        also_wechat = set(rng.sample(sorted(on_website), min(both, website)))
        categories = self._categories_for(agency)
        name = agency.short_name or agency.name
        account = f"{name}微信公众号"
        prefix = DOC_PREFIX.get(agency.slug, f"城{name[1:2]}发")
        doc_serial, policies, interpretations_made, needs_interpretation = 0, [], [], []
        for i, (day, kind) in enumerate(zip(days, kinds, strict=True)):
            topic_text = rng.choice(TOPICS_TEXT)
            fill = {"a": name, "y": year, "m": day.month, "d": day.day, "topic": topic_text}
            formed = day - timedelta(days=rng.randint(0, 12))
            if rng.random() < 0.004:  # a few late items (条例第二十六条), counted properly
                back = rng.randint(32, 60)  # drawn in every year: the same items either way
                if year != CLEAN_YEAR:
                    formed = day - timedelta(days=back)
            if formed.year != year:
                formed = date(year, 1, 2)
            # Within 20 calendar days is always within 20 working days: no need to count.
            late = days_late(self.calendar, formed, day) if day - formed > timedelta(20) else 0
            row = {
                "agency_id": agency.pk,
                "kind": kind,
                "state": State.PUBLISHED,
                "index_number": format_index_number(agency=agency, day=day, serial=i + 1),
                "written_on": formed,
                "formed_on": formed,
                "published_on": day,
                "category_id": rng.choice(categories).pk,
                "topic_id": rng.choice(self.topics).pk,
                "keywords": topic_text,
                "attribute": Attribute.PROACTIVE,
                "secrecy_cleared_at": _aware(day),
                "attribute_decided_at": _aware(day),
                "days_late": late,
            }
            if kind == Kind.DOCUMENT:
                doc_serial += 1
                which = rng.randrange(len(DOC_TITLES))
                row["title"] = f"{agency.name}{DOC_TITLES[which].format(**fill)}"
                row["genre"] = DOC_GENRES[which]
                row["doc_number"] = f"{prefix}〔{year}〕{doc_serial}号"
                row["is_policy"] = which in (1, 2) and (year != CLEAN_YEAR or interpretations > 0)
                row["effective_on"] = day
            elif kind == Kind.INTERPRETATION:
                row["title"] = f"《关于进一步加强{topic_text}工作的通知》政策解读"
                row["interpretation_form"] = rng.choice(["text", "graphic", "audio_video"])
            else:
                row["title"] = rng.choice(INFO_TITLES).format(**fill)
            row["body"] = INFO_BODY.format(title=row["title"], **fill)
            pk = publications.add(**row)
            if kind == Kind.DOCUMENT:
                policies.append(pk)
                if row["is_policy"]:
                    needs_interpretation.append(pk)
            elif kind == Kind.INTERPRETATION:
                interpretations_made.append(pk)
            if i in on_website:
                placements.add(publication_id=pk, channel=Channel.WEBSITE, placed_on=day)
            if i not in on_website or i in also_wechat:
                placements.add(
                    publication_id=pk, channel=Channel.WECHAT, column=account, placed_on=day
                )
        # Interpretations explain a policy document of the same year where there is one.
        if policies:
            links = [(pk, rng.choice(policies)) for pk in interpretations_made]
            self.links += links
            if year == CLEAN_YEAR and interpretations_made:  # every policy explained
                explained = {b for _a, b in links}
                for n, pk in enumerate(p for p in needs_interpretation if p not in explained):
                    self.links.append((interpretations_made[n % len(interpretations_made)], pk))
        return items


# --- hand-written items, through the services ---------------------------------------------------

POLICIES = [
    {
        "key": "fugong",
        "title": "城口县人民政府办公室关于印发城口县支持企业复工复产和生产经营若干措施的通知",
        "doc_number": "城府办发〔2020〕12号",
        "genre": "notice",
        "written_on": "2020-02-21",
        "published_on": date(2020, 2, 24),
        "category": "a20-11",
        "topic": "economy",
        "keywords": "复工复产 企业 稳岗",
        "body": "<p>各乡镇人民政府、街道办事处，县政府各部门，有关单位：</p>"
        "<p>为深入贯彻落实党中央、国务院和市委、市政府关于统筹推进新冠肺炎疫情防控和经济社会"
        "发展工作的决策部署，全力支持企业复工复产和生产经营，经县政府同意，现将《城口县支持"
        "企业复工复产和生产经营若干措施》印发给你们，请认真贯彻执行。</p>"
        "<p>城口县人民政府办公室<br>2020年2月21日</p>",
        "interpretation": {
            "title": "《城口县支持企业复工复产和生产经营若干措施》政策解读",
            "form": "text",
            "published_on": date(2020, 2, 26),
            "body": "<h3>一、出台背景</h3><p>为帮助企业渡过疫情难关，我县制定了支持企业复工复产和"
            "生产经营的若干措施。</p><h3>二、主要内容</h3><p>措施从减轻企业负担、加大金融支持、"
            "稳定职工队伍、优化政务服务四个方面提出了具体支持政策。</p>",
            "channels": ("website", "press_conference"),
        },
    },
    {
        "key": "ebike",
        "title": "城口县人民政府办公室关于加强电动车管理的通告",
        "doc_number": "城府办发〔2020〕58号",
        "genre": "public_notice",
        "written_on": "2020-07-08",
        "published_on": date(2020, 7, 10),
        "category": "a21-county-06",
        "topic": "security",
        "keywords": "电动车 道路交通安全",
        "body": "<p>为加强我县电动车管理，预防和减少道路交通事故，根据《中华人民共和国道路交通"
        "安全法》等有关规定，结合我县实际，现就有关事项通告如下：</p>"
        "<p>一、电动车应当依法登记，取得号牌后方可上道路行驶。</p>"
        "<p>二、驾驶电动车应当佩戴安全头盔，不得违规载人。</p>",
        "interpretation": {
            "title": "图解：《关于加强电动车管理的通告》",
            "form": "graphic",
            "published_on": date(2020, 7, 13),
            "body": "<p>一图读懂电动车登记上牌、安全头盔佩戴和违法行为处理。</p>",
            "channels": ("website", "wechat"),
        },
    },
    {
        "key": "yibao",
        "title": "城口县人民政府办公室关于做好2021年度城乡居民基本医疗保险参保缴费工作的通知",
        "doc_number": "城府办发〔2020〕96号",
        "genre": "notice",
        "written_on": "2020-09-07",
        "published_on": date(2020, 9, 9),
        "category": "a20-11",
        "topic": "health",
        "keywords": "城乡医保 参保缴费",
        "body": "<p>各乡镇人民政府、街道办事处，县政府有关部门：</p><p>为做好2021年度城乡居民"
        "基本医疗保险参保缴费工作，现将有关事项通知如下。</p>"
        "<p>一、参保范围：具有本县户籍、未参加职工基本医疗保险的城乡居民。</p>"
        "<p>二、缴费时间：2020年9月1日至12月31日。</p>",
        "interpretation": {
            "title": "2021年度城乡居民医保参保缴费政策解读",
            "form": "text",
            "published_on": date(2020, 9, 11),
            "body": "<p>问：哪些人可以参加城乡居民医保？答：除应参加职工基本医疗保险的人员外，"
            "本县户籍居民均可参保。</p>",
            "channels": ("website", "wechat"),
        },
    },
]

OTHERS = [
    {
        "title": "城口县人民政府办公室关于2020年春节期间安全生产工作的通知",
        "doc_number": "城府办发〔2020〕3号",
        "kind": "document",
        "genre": "notice",
        "written_on": "2020-01-14",
        "published_on": date(2020, 1, 16),
        "category": "a20-13",
        "topic": "market",
        "keywords": "安全生产 春节",
        "body": "<p>各乡镇人民政府、街道办事处，县政府各部门：</p><p>春节将至，为切实做好节日期间"
        "安全生产工作，现就有关事项通知如下。</p>",
        "corrected": {"keywords": "安全生产 春节 烟花爆竹", "reason": "补充关键词"},
    },
    {
        "title": "城口县人民政府办公室2020年政府信息公开工作要点",
        "doc_number": "城府办发〔2020〕41号",
        "kind": "document",
        "genre": "notice",
        "written_on": "2020-05-20",
        "formed_on": "2020-05-20",
        "published_on": date(2020, 7, 1),  # 条例第二十六条: published late
        "category": "a20-15",
        "topic": "general",
        "keywords": "政务公开 工作要点",
        "body": "<p>为深入推进政务公开，结合我县实际，制定本要点。</p>",
    },
]


def _through_services(item: dict, *, kind: str, agency, clerk, approver, explains=()) -> bool:
    """Draft, review, approve, clear and publish one item unless its title exists; return
    whether it was made."""
    if Publication.objects.filter(agency=agency, title=item["title"]).exists():
        return False
    data = {
        k: v
        for k, v in item.items()
        if k
        in {
            "title",
            "doc_number",
            "genre",
            "written_on",
            "formed_on",
            "category",
            "topic",
            "keywords",
            "body",
        }
    }
    data.update(kind=kind, attribute="proactive", is_policy=kind == "document")
    if explains:
        data.update(explains=list(explains), interpretation_form=item["form"], is_policy=False)
    day = item["published_on"]
    draft = s.create_draft(actor=clerk, agency=agency, data=data)
    s.run_step("submit", actor=clerk, publication=draft)
    s.run_step("review", actor=clerk, publication=draft, note="属性认定准确")
    s.run_step("approve", actor=approver, publication=draft)
    s.run_step("clear_secrecy", actor=approver, publication=draft)
    channels = item.get("channels", ("website",))
    s.run_step(
        "publish",
        actor=clerk,
        publication=draft,
        published_on=day,
        placements=[{"channel": c, "placed_on": day} for c in channels],
    )
    if "corrected" in item:
        change = dict(item["corrected"])
        reason = change.pop("reason")
        s.run_step("correct", actor=clerk, publication=draft, data=change, reason=reason)
    # The services stamp their rows with today; move them to the day the item was handled
    # (from 09:00, a quarter of an hour apart), so its history reads as it happened.
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    for i, pk in enumerate(draft.events.values_list("pk", flat=True)):
        AuditEntry.objects.filter(pk=pk).update(at=start + timedelta(minutes=15 * i))
    return True


def _hand_written(office: Agency, clerk, approver) -> int:
    """Make the hand-written 2020 items (all on the website); return how many were made."""
    made = 0
    for policy in POLICIES:
        made += _through_services(
            policy, kind="document", agency=office, clerk=clerk, approver=approver
        )
        doc = Publication.objects.get(agency=office, title=policy["title"])
        made += _through_services(
            policy["interpretation"],
            kind="interpretation",
            agency=office,
            clerk=clerk,
            approver=approver,
            explains=[doc.pk],
        )
    for item in OTHERS:
        made += _through_services(
            item, kind=item["kind"], agency=office, clerk=clerk, approver=approver
        )
    # Work in progress for the workbench (not published: counted nowhere).
    if not Publication.objects.filter(agency=office, state=State.DRAFT).exists():
        s.create_draft(
            actor=clerk,
            agency=office,
            data={
                "title": "城口县人民政府办公室关于做好今年防汛工作的通知（草稿）",
                "kind": "document",
                "genre": "notice",
                "category": "a20-12",
                "body": "<p>各乡镇人民政府、街道办事处：</p><p>（正文待补充）</p>",
            },
        )
        pending = s.create_draft(
            actor=clerk,
            agency=office,
            data={
                "title": "城口县人民政府办公室关于调整县政府领导工作分工的通知",
                "kind": "document",
                "genre": "notice",
                "category": "a20-02",
                "attribute": "proactive",
            },
        )
        s.run_step("submit", actor=clerk, publication=pending)
    return made


def load(*, out) -> None:
    from gongkai.holidays.services import load_calendar

    calendar = load_calendar()
    agencies = list(Agency.objects.all())
    by_slug = {a.slug: a for a in agencies}
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "approver"])}
    office = by_slug["county-office"]
    bulk = Bulk(calendar)
    has_bulk = {
        (row["agency_id"], row["published_on__year"])
        for row in Publication.objects.filter(created_by__isnull=True)
        .values("agency_id", "published_on__year")
        .annotate(n=Count("pk"))
    }
    written = 0
    publications, placements = FastRows(Publication), FastRows(Placement)
    # The hand-written 2020 items: 3 policies and their interpretations, 2 more documents.
    hand_items, hand_docs, hand_interpretations = len(POLICIES) * 2 + len(OTHERS), 5, 3
    for year in YEARS:
        rng = random.Random(f"gongkai-demo-publications-{year}")
        if year == 2020:
            plan = {
                "county-government": (1180, 560, 90, 10, 0),
                "county-office": (
                    ITEMS_2020 - 1180 - hand_items,
                    WEBSITE_2020 - 560 - hand_items,
                    BOTH_2020 - 90,
                    DOCUMENTS_2020 - 10 - hand_docs,
                    3 - hand_interpretations,
                ),
            }
        else:
            gov = ORGAN_ITEMS[year] // 4
            gov_web = ORGAN_WEBSITE[year] // 4
            docs = ORGAN_DOCUMENTS[year]
            plan = {
                "county-government": (gov, gov_web, 100, docs // 2, 0),
                "county-office": (
                    ORGAN_ITEMS[year] - gov,
                    ORGAN_WEBSITE[year] - gov_web,
                    350,
                    docs - docs // 2,
                    ORGAN_INTERPRETATIONS[year],
                ),
            }
        for agency in agencies:
            if (agency.pk, year) in has_bulk:
                continue
            if agency.slug in plan:
                items, website, both, docs, interpretations = plan[agency.slug]
            else:
                items, website, docs = _other_quota(agency, year, rng)
                both, interpretations = items // 10, rng.randint(0, 2)
            last = bulk.write(
                agency,
                year,
                items=items,
                website=website,
                both=both,
                documents=docs,
                interpretations=interpretations,
                rng=rng,
                publications=publications,
                placements=placements,
            )
            Counter.objects.update_or_create(
                agency=agency, series=INDEX_SERIES, year=year, defaults={"last": last}
            )
            written += items
    publications.flush()
    placements.flush()
    Publication.explains.through.objects.bulk_create(
        Publication.explains.through(from_publication_id=a, to_publication_id=b)
        for a, b in bulk.links
    )
    # The bulk rows bypass the services: the sites step indexes them in one pass once it has
    # put them in their columns (the site is a search filter); the hand-written items below are
    # indexed by the publishing steps.
    made = _hand_written(office, users["clerk"], users["approver"])
    total = Publication.objects.filter(state=State.PUBLISHED).count()
    out(f"政府信息 / publications: {total} 条已发布（2020–2025；新建 / created: {written + made}）")
