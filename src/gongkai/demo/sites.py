"""Demo step ``sites``: the county's site cluster, its 政务新媒体 and the 2020 visits.

The seed report (tests/corpus/000-chengkou-2020.txt) says the county government runs one
government website with 51 sub-sites, 40 new-media accounts (32 WeChat, 4 Weibo, 4 on other
platforms) and about 567,000 visits in 2020. The demo builds: the main site (owned by the county
government), a sub-site for each of the other 39 demo agencies (the office, departments, streets
and townships) and 12 专题 sub-sites kept by the county office — 51 sub-sites, each with its
columns; the 40 accounts; and each site's 2020 visits as entered history (the demo has no
counted days for 2020). Names, domains and account ids are demo data. The accounts' last posts
are dated in the week before the demo is loaded; demo step ``monitoring`` keeps the sites'
columns up to date the same way. Every website placement
of a demo publication is put in the 政府信息公开 column of its agency's site.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.demo.records import ensure
from gongkai.publications.models import Channel, Placement
from gongkai.search import index as search_index
from gongkai.sites.models import (
    UPDATE_DAYS,
    Column,
    ColumnKind,
    NewMediaAccount,
    Site,
    VisitHistory,
)

MAIN_SLUG = "main"
OPENED = date(2016, 1, 1)

MAIN_COLUMNS = [
    (ColumnKind.NEWS, "yaowen", "要闻动态"),
    (ColumnKind.NOTICES, "tzgg", "通知公告"),
    (ColumnKind.POLICY, "zcwj", "政策文件"),
    (ColumnKind.OGI, "zfxxgk", "政府信息公开"),
    (ColumnKind.INTERACTION, "hdjl", "互动交流"),
    (ColumnKind.SERVICE, "bsfw", "办事服务"),
]
SUB_COLUMNS = [
    (ColumnKind.NEWS, "gzdt", "工作动态"),
    (ColumnKind.NOTICES, "tzgg", "通知公告"),
    (ColumnKind.OGI, "zfxxgk", "政府信息公开"),
]

#: 专题 sub-sites the county office keeps: (slug, name).
TOPICS = [
    ("yqfk", "疫情防控专题"),
    ("tpgj", "脱贫攻坚专题"),
    ("yshj", "优化营商环境专题"),
    ("zwgk", "政务公开专题"),
    ("xczx", "乡村振兴专题"),
    ("shbx", "社会保障专题"),
    ("jyzc", "就业创业专题"),
    ("aqsc", "安全生产专题"),
    ("sthb", "生态环保专题"),
    ("fzjs", "法治政府建设专题"),
    ("ggfw", "公共服务专题"),
    ("zdxm", "重大项目专题"),
]

#: Each site's 2020 visits: the main site, and a share for each sub-site (sum: 567,238).
MAIN_VISITS_2020 = 401_413
SUB_VISITS_2020 = 3_251  # each of the 51 sub-sites: 165,801 in all; the remainder goes first
VISITS_2020 = 567_238

#: 2020 accounts: 32 WeChat, 4 Weibo, 4 on other platforms (seed report).
WEIBO_OWNERS = ["county-government", "gaj", "wsjkw", "scjgj"]
OTHER_ACCOUNTS = [
    ("county-government", "城口发布（今日头条）"),
    ("county-government", "城口发布（抖音）"),
    ("gaj", "城口公安（抖音）"),
    ("wsjkw", "健康城口（头条号）"),
]


def _columns(site: Site, spec) -> list[Column]:
    columns = []
    for order, (kind, slug, name) in enumerate(spec, start=1):
        column, _ = ensure(
            Column,
            site=site,
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "update_days": UPDATE_DAYS[kind],
                "sort_order": order,
            },
        )
        columns.append(column)
    return columns


def load(*, out) -> None:
    agencies = list(Agency.objects.order_by("sort_order", "pk"))
    by_slug = {a.slug: a for a in agencies}
    county, office = by_slug["county-government"], by_slug["county-office"]
    main, _ = ensure(
        Site,
        slug=MAIN_SLUG,
        defaults={
            "agency": county,
            "kind": Site.Kind.MAIN,
            "name": "城口县人民政府网",
            "domain": "www.cqck.gov.cn",
            "opened_on": OPENED,
            "sort_order": 0,
        },
    )
    _columns(main, MAIN_COLUMNS)
    ogi_column = {county.pk: Column.objects.get(site=main, slug="zfxxgk")}
    subs: list[Site] = []
    rows = [(a.slug, a, f"{a.name}") for a in agencies if a.pk != county.pk]
    rows += [(f"zt-{slug}", office, name) for slug, name in TOPICS]
    for order, (slug, agency, name) in enumerate(rows, start=1):
        site, _ = ensure(
            Site,
            slug=slug,
            defaults={
                "agency": agency,
                "kind": Site.Kind.SUB,
                "parent": main,
                "name": name,
                "domain": f"www.cqck.gov.cn/{slug}",
                "opened_on": OPENED,
                "sort_order": order,
            },
        )
        columns = _columns(site, SUB_COLUMNS)
        if not slug.startswith("zt-"):
            ogi_column[agency.pk] = columns[-1]
        subs.append(site)
    remainder = VISITS_2020 - MAIN_VISITS_2020 - SUB_VISITS_2020 * len(subs)
    for site, visits in [(main, MAIN_VISITS_2020 + remainder)] + [
        (s, SUB_VISITS_2020) for s in subs
    ]:
        ensure(
            VisitHistory,
            site=site,
            year=2020,
            defaults={"visits": visits, "source": "演示数据：网站统计系统年度数据"},
        )
    accounts = []
    today = timezone.localdate()  # every account posted in the last week (demo.monitoring)
    wechat_owners = [county, office] + [a for a in agencies if a.pk not in (county.pk, office.pk)]
    for agency in wechat_owners[:32]:
        accounts.append(
            (agency, NewMediaAccount.Platform.WECHAT, f"{agency.display_name}微信公众号")
        )
    for slug in WEIBO_OWNERS:
        agency = by_slug[slug]
        accounts.append((agency, NewMediaAccount.Platform.WEIBO, f"{agency.display_name}政务微博"))
    for slug, name in OTHER_ACCOUNTS:
        accounts.append((by_slug[slug], NewMediaAccount.Platform.OTHER, name))
    for serial, (agency, platform, name) in enumerate(accounts, start=1):
        ensure(
            NewMediaAccount,
            platform=platform,
            name=name,
            defaults={
                "agency": agency,
                "account_id": f"cqck-demo-{serial:03d}",
                "status": NewMediaAccount.Status.ACTIVE,
                "opened_on": date(2017, 3, 1),
                "last_post_on": today - timedelta(days=serial % 7),
            },
        )
    placed, moved = 0, set()
    for agency_id, column in ogi_column.items():
        rows = Placement.objects.filter(
            channel=Channel.WEBSITE, site_column__isnull=True, publication__agency_id=agency_id
        )
        moved.update(rows.values_list("publication_id", flat=True))
        placed += rows.update(site_column=column)
    # The placements were moved in bulk, past the services that keep the search index: the
    # items' sites (a search filter) are indexed again. On the first load step publications'
    # bulk rows are not in the index yet: every item goes in, in one pass. On a later load
    # only the few items placed since (step monitoring publishes through the services, after
    # this step, without a site column) are indexed again, not the demo's 51,000.
    if search_index.unindexed():
        search_index.rebuild()
    elif moved:
        search_index.add_many(sorted(moved))
    out(
        f"网站 / sites: 1 个门户、{len(subs)} 个子网站，政务新媒体 / new media: {len(accounts)} 个，"
        f"2020年访问量 / visits: {VISITS_2020}（栏目中新放置 / newly placed: {placed}）"
    )
