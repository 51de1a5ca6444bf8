"""The portal's search at scale: exact recall against a LIKE scan, ranked first page latency,
index size and build time (docs/adr/search-exact-substring.md).

Builds ``--items`` published items (default 1,000,000: realistic Chinese titles and bodies
made from the demo's templates and a pool of 公文 sentences, with 文号, Latin letters and
digits; 20 agencies, 2010–2025, the catalogue's categories, four validities, one site column
each, 1% with an attachment's text) in a throwaway database, builds the index
(:func:`gongkai.search.index.rebuild`), then runs ``--queries`` queries of 1–6 characters —
common ones (县, 医保, 通知 …) and rare ones cut from random items, and absent ones — each
without and with a filter (agency, site, year, category, validity, agency+year in turn):

- recall: the index's result set must equal the LIKE scan's (``gongkai.sites.search.scan``,
  Django ``icontains``; a filtered query's expected set is the unfiltered scan's set within the
  filter) — any difference is printed and the script exits 1. The scans run after all the
  timed runs (each reads every item's text: in between, they would leave every query's first
  run to a process and a database server whose caches a 1,000,000-row scan has just swept;
  ``--scan-between`` puts each just before its query's runs, as until 2026-12-06);
- latency: a fresh query's total count plus its ranked first page of 20 rows: cold (the
  query's first run, in a process that has run the queries before it, so it keeps the
  bitmaps and tables they read: ``gongkai.search.kept``), with nothing kept (the same runs,
  each after ``kept.forget()``, as in a process just started), and asked
  again (the median of the other ``--repeat`` runs); p50/p95/max over all queries;
- publishing: ``--publishes`` new items and corrections in the newest month, each indexed by
  ``index.sync`` in a transaction rolled back afterwards (:func:`publishing`).

Before the timed runs the database is read once (:func:`prewarm`; ``--no-prewarm`` skips it).

Run (niced: it takes a while at 1M):

    nice uv run python benchmarks/search.py --db sqlite --items 100000
    nice uv run python benchmarks/search.py --db postgres --items 1000000

``--db postgres`` uses ``--pg-url`` (default postgres://postgres@127.0.0.1:5432/gk_search_bench),
dropped and created anew; ``--db sqlite`` a file under ``--dir`` (default /tmp). ``--keep``
reuses a database already built with the same ``--items`` (queries only).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SENTENCES = [
    "为认真贯彻落实党中央、国务院和市委、市政府决策部署，结合我县实际，制定本方案。",
    "各乡镇人民政府、街道办事处，县政府各部门，有关单位：",
    "现将《{topic}工作实施方案》印发给你们，请认真抓好贯彻落实。",
    "{y}年以来，{a}坚持以人民为中心的发展思想，扎实推进{topic}各项工作。",
    "全县共排查整治{topic}隐患{n}处，整改完成率达{p}%。",
    "城乡居民医保参保缴费标准为每人每年{n}元，请参保群众及时缴费。",
    "对符合条件的城乡低保对象按月足额发放保障金，确保应保尽保。",
    "公示期为{n}个工作日，如有异议，请以书面形式向{a}反映。",
    "联系电话：023-5922{n4}，邮箱：ck{n4}@cqck.gov.cn。",
    "本通知自印发之日起施行，由{a}负责解释。",
    "{y}年全县地区生产总值（GDP）增长{p}%，规模以上工业增加值增长{q}%。",
    "加强组织领导，压实工作责任，确保{topic}工作落到实处。",
    "各单位要高度重视，明确专人负责，于{m}月{d}日前报送工作情况。",
    "{village}村召开{topic}院坝会，宣传政策，听取群众意见建议。",
    "项目总投资{n}万元，其中中央预算内资金{q}万元，建设期{m}个月。",
    "严格执行政府采购法律法规，采购编号CKZC-{y}-{n4}。",
    "强化疫情防控常态化措施，落实“四早”要求，守牢不发生规模性疫情底线。",
    "大力推进乡村振兴，发展特色产业，带动农户{n}户增收。",
    "开展森林防火宣传{n}场次，发放宣传资料{q}份。",
    "做好防汛救灾工作，汛期实行24小时值班和领导带班制度。",
    "依法依规开展行政执法，推行“双随机、一公开”监管。",
    "优化营商环境，企业开办时间压缩至{q}个工作日以内。",
    "全面落实义务教育“双减”政策，减轻学生过重作业负担。",
    "食品安全抽检{n}批次，合格率{p}%。",
    "农村公路建设完成{q}公里，5G基站新建{n}个，PM2.5平均浓度下降{p}%。",
    "就业创业补贴资金{n}万元已拨付到位，惠及{q}人。",
    "财政预算收入完成{n}万元，同比增长{p}%。",
    "河长制工作有序推进，各级河长巡河{n}次。",
    "农房整治项目涉及{village}等{q}个村，共整治农房{n}户。",
    "特此通知。",
]
VILLAGES = [
    a + b
    for a in "东西南北上下前后高龙凤黄白青石金银云星桃"
    for b in ("坪", "坝", "湾", "溪", "岭", "沟", "垭", "河", "山", "桥")
]
COMMON = ["县", "医保", "通知", "低保", "公示", "政府", "的", "工作", "安全生产", "乡村振兴",
          "2020", "GDP", "gdp", "疫情防控", "人民政府", "关于印发", "城口县", "5G", "PM2.5",
          "实施方案", "万元", "特此通知", "森林防火", "@cqck", "院坝会", "采购编号"]  # fmt: skip
ABSENT = ["甲乙丙", "量子计算", "xyzzy", "鲲鹏", "卍", "火星基地"]
VALIDITIES = ["in_force", "in_force", "in_force", "amended", "repealed", "expired"]


def configure(args) -> str:
    if args.db == "postgres":
        url = args.pg_url
        base, name = url.rsplit("/", 1)
        if not args.keep:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(args.dir) / f"gk_search_bench_{args.items}.sqlite3"
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("GONGKAI_DATA_DIR", str(Path(args.dir) / "gk_search_bench_data"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    before = len(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    migrated = len(MigrationRecorder(connection).applied_migrations()) - before
    if args.keep and migrated and connection.vendor == "postgresql":
        # A migration may have rebuilt the index (search 0005): without this, the first queries
        # set the new rows' hint bits (writes) and the planner has no statistics for them.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"{migrated} migrations applied; VACUUM ANALYZE: {time.perf_counter() - started:.0f} s"
        )
    return url


def generate(n: int, seed: int = 2026):
    """Queue ``n`` published items (and their placements and attachments) and write them."""
    from gongkai.agencies.models import Agency
    from gongkai.demo.publications import (
        DOC_TITLES,
        INFO_BODY,
        INFO_TITLES,
        TOPICS_TEXT,
        FastRows,
    )
    from gongkai.publications.models import Attachment, CatalogueCategory, Placement, Publication
    from gongkai.sites.models import Column, Site

    rng = random.Random(seed)
    names = ["县政府办公室", "县发展改革委", "县教委", "县公安局", "县民政局", "县财政局",
             "县人力社保局", "县规划自然资源局", "县生态环境局", "县住房城乡建委", "县交通局",
             "县水利局", "县农业农村委", "县商务委", "县卫生健康委", "县应急局", "县市场监管局",
             "县医保局", "葛城街道", "修齐镇"]  # fmt: skip
    agencies, columns = [], []
    for i, name in enumerate(names):
        agency = Agency.objects.create(name=f"城口{name}", short_name=name, slug=f"bench-{i}")
        site = Site.objects.create(agency=agency, name=f"{name}网站", slug=f"bench-site-{i}")
        column = Column.objects.create(site=site, kind="notice", name="通知公告", slug="tzgg")
        agencies.append(agency)
        columns.append(column)
    categories = list(CatalogueCategory.objects.values_list("pk", flat=True))
    publications = FastRows(Publication)
    placements = FastRows(Placement)
    attachments = FastRows(Attachment)
    start = date(2010, 1, 1)
    span = (date(2025, 12, 31) - start).days
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))
    for day in days:
        k = rng.randrange(len(agencies))
        agency, column = agencies[k], columns[k]
        topic = rng.choice(TOPICS_TEXT)
        fill = {
            "a": agency.short_name,
            "y": day.year,
            "m": rng.randint(1, 12),
            "d": rng.randint(1, 28),
            "topic": topic,
            "n": rng.randint(2, 9999),
            "n4": f"{rng.randint(0, 9999):04d}",
            "p": round(rng.uniform(1, 99), 1),
            "q": rng.randint(2, 500),
            "village": rng.choice(VILLAGES),
        }
        doc = rng.random() < 0.25
        if doc:
            title = agency.name + rng.choice(DOC_TITLES).format(**fill)
            number = f"城{agency.short_name[1:2]}发〔{day.year}〕{rng.randint(1, 300)}号"
        else:
            title = rng.choice(INFO_TITLES).format(**fill)
            number = ""
        body = INFO_BODY.format(title=title, **fill) + "".join(
            "<p>" + s.format(**fill) + "</p>" for s in rng.sample(SENTENCES, rng.randint(4, 9))
        )
        pk = publications.add(
            agency_id=agency.pk,
            kind="document" if doc else "information",
            state="published",
            index_number=None,
            title=title,
            doc_number=number,
            body=body,
            published_on=day,
            written_on=day,
            category_id=rng.choice(categories),
            validity=rng.choice(VALIDITIES),
            attribute="proactive",
            keywords=topic,
        )
        placements.add(
            publication_id=pk, channel="subsite", column=column.name, placed_on=day,
            site_column_id=column.pk,
        )  # fmt: skip
        if rng.random() < 0.01:
            attachments.add(
                publication_id=pk, file=f"publications/{pk}/a.pdf", name="附件.pdf",
                content_type="application/pdf", size=1000,
                text=f"附件：{fill['village']}村{topic}项目清单 编号{fill['n4']}",
            )  # fmt: skip
        if len(publications.rows) >= 20000:
            publications.flush()
            placements.flush()
            attachments.flush()
    publications.flush()
    placements.flush()
    attachments.flush()


def queries(count: int, seed: int = 7) -> list[str]:
    """Common, absent, and rare ones (1–6 characters cut from random items)."""
    from gongkai.publications.models import Publication

    rng = random.Random(seed)
    out = list(COMMON) + list(ABSENT)
    last = Publication.objects.order_by("-pk").values_list("pk", flat=True).first()
    while len(out) < count:
        pk = rng.randint(1, last)
        row = Publication.objects.filter(pk=pk).values_list("title", "body").first()
        if not row:
            continue
        text = rng.choice(row)
        size = rng.randint(1, 6)
        at = rng.randrange(max(1, len(text) - size))
        q = text[at : at + size].strip()
        if q and "<" not in q and ">" not in q and q not in out:
            out.append(q)
    return out[:count]


def filters_for(i: int, rng: random.Random) -> dict:
    from gongkai.agencies.models import Agency
    from gongkai.publications.models import CatalogueCategory

    which = i % 6
    agency = rng.choice(list(Agency.objects.filter(slug__startswith="bench-")))
    if which == 0:
        return {"agency": agency.slug}
    if which == 1:
        return {"site": f"bench-site-{agency.slug.split('-')[1]}"}
    if which == 2:
        return {"year": rng.randint(2010, 2025)}
    if which == 3:
        return {"category": rng.choice(list(CatalogueCategory.objects.all())).code}
    if which == 4:
        return {"validity": rng.choice(VALIDITIES)}
    return {"agency": agency.slug, "year": rng.randint(2010, 2025)}


def filter_set(f: dict, cache: dict) -> set[int]:
    from gongkai.publications.models import Publication

    key = tuple(sorted(f.items()))
    if key not in cache:
        rows = Publication.objects.filter(state="published")
        for name, value in f.items():
            rows = {
                "agency": lambda r, v: r.filter(agency__slug=v),
                "site": lambda r, v: r.filter(placements__site_column__site__slug=v),
                "year": lambda r, v: r.filter(published_on__year=v),
                "category": lambda r, v: r.filter(category__code=v),
                "validity": lambda r, v: r.filter(validity=v),
            }[name](rows, value)
        cache[key] = set(rows.values_list("pk", flat=True))
    return cache[key]


def size_of_index(vendor: str) -> tuple[int, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "WHERE c.relname IN ('search_posting', 'search_document') AND c.relkind = 'r'"
            )
            return int(cursor.fetchone()[0]), "pg_total_relation_size (tables, TOAST, indexes)"
        try:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%search_%'")
            return int(cursor.fetchone()[0]), "dbstat (tables and indexes)"
        except Exception:
            cursor.execute(
                "SELECT (SELECT sum(length(bits) + length(key) + 8) FROM search_posting) + "
                "(SELECT sum(length(title) + length(text) + length(facets)) FROM search_document)"
            )
            return int(cursor.fetchone()[0]), "sum of stored bytes"


def server_cpu(vendor: str):
    """A function giving the CPU seconds of the database server's process that serves this
    connection (PostgreSQL on this machine: /proc/<pid>/schedstat), or 0 for SQLite."""
    from django.db import connection

    if vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = Path(f"/proc/{pid}/schedstat")
    if not path.exists():
        print("server CPU: not readable (the server is not on this machine); client CPU only")
        return lambda: 0.0
    return lambda: int(path.read_text().split()[0]) / 1e9


def prewarm(vendor: str, url: str) -> None:
    """Read the index and the items once, so the timed runs find them in the operating
    system's cache, as on a server that has been answering queries (on this machine the cache
    holds about 6 GB, less than the two 1,000,000-item databases together: running one
    database's benchmark pushes the other's pages out)."""
    from django.db import connection

    started = time.perf_counter()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            # || detoasts every bitmap and table (length() alone reads only the pointer).
            cursor.execute("SELECT sum(length(bits || ''::bytea)) FROM search_posting")
            cursor.execute("SELECT sum(length(slots || ''::bytea)) FROM search_month")
            cursor.execute("SELECT count(*), sum(length(title)) FROM publications_publication")
    else:
        path = url.removeprefix("sqlite:///")
        with open(path, "rb") as f:
            while f.read(16 << 20):
                pass
    print(f"prewarm (the database read once): {time.perf_counter() - started:.0f} s")


def nothing_kept(pairs: list[tuple[str, dict]], server) -> None:
    """Each query run once more in a process that has kept nothing (``kept.forget()`` before
    it): the first query after a start, or after the kept bitmaps were all pushed out."""
    from gongkai.search import kept
    from gongkai.sites.search import search

    wall, cpu, longer = [], [], []
    for q, f in pairs:
        kept.forget()
        started, cpu_started = time.perf_counter(), time.process_time() + server()
        results = search(q, **f)
        results.count()
        results[0:20]
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() + server() - cpu_started))
        if len(q) > 2:
            longer.append(cpu[-1])
    print(f"nothing kept (each run alone in a fresh process, as it were), wall: p50 "
          f"{pct(wall, 50):.1f} ms, p95 {pct(wall, 95):.1f} ms, max {max(wall):.1f} ms; CPU: p50 "
          f"{pct(cpu, 50):.1f} ms, p95 {pct(cpu, 95):.1f} ms; CPU, 3+ characters: p50 "
          f"{pct(longer or [0.0], 50):.1f} ms, p95 {pct(longer or [0.0], 95):.1f} ms")  # fmt: skip


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class _Undo(Exception):
    """Rolls a measured publish back."""


def publishing(count: int, server) -> None:
    """The index's share of publishing: ``count`` new items in the newest month (each a copy of
    one there, its title changed), each put in the index by ``index.sync``, as every step of
    ``gongkai.publications.services`` does in its transaction; then a correction of an item
    (a sentence added to its body), the same way. Each in a transaction rolled back after it,
    so the database stays as built (the commit's own write is left out)."""
    from django.db import transaction

    from gongkai.publications.models import Publication
    from gongkai.search import index

    newest = list(Publication.objects.order_by("-published_on", "-pk")[:count])
    for kind in ("new item", "correction"):
        wall, cpu = [], []
        for i, item in enumerate(newest):
            try:
                with transaction.atomic():
                    if kind == "new item":
                        item.pk = None
                        item.title = f"{item.title}（第{i + 2}次）"
                    else:
                        item.body += "<p>本通知所称乡镇，包括街道办事处。</p>"
                    item.save()
                    started, cpu_started = time.perf_counter(), time.process_time() + server()
                    index.sync(item)
                    wall.append(1000 * (time.perf_counter() - started))
                    cpu.append(1000 * (time.process_time() + server() - cpu_started))
                    raise _Undo
            except _Undo:
                pass
        print(f"publishing, {kind} ({len(wall)} runs, index.sync in the step's transaction): "
              f"wall p50 {pct(wall, 50):.0f} ms, p95 {pct(wall, 95):.0f} ms, max {max(wall):.0f} ms;"
              f" CPU p50 {pct(cpu, 50):.0f} ms, p95 {pct(cpu, 95):.0f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=110)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query, at least 2")
    parser.add_argument("--dir", default="/tmp")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/gk_search_bench")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--verbose", action="store_true", help="a line per query run (ok, q, filter, count, "
        "cold ms, again ms, cold CPU ms, again CPU ms), as it is done"
    )  # fmt: skip
    parser.add_argument("--build-only", action="store_true", help="stop after the index build")
    parser.add_argument(
        "--reindex", action="store_true", help="with --keep: build the index again (timed)"
    )
    parser.add_argument(
        "--publishes", type=int, default=20, help="publishes measured after the queries"
    )
    parser.add_argument(
        "--publishing-only", action="store_true", help="only the publishes (--publishes)"
    )
    parser.add_argument(
        "--scan-between", action="store_true",
        help="run each query's LIKE scan just before its timed runs (until 2026-12-06 always)",
    )  # fmt: skip
    parser.add_argument(
        "--no-prewarm", action="store_true",
        help="skip reading the database once before the timed runs (see prewarm())",
    )  # fmt: skip
    parser.add_argument(
        "--nothing-kept-only", action="store_true",
        help="skip the recall check and the main runs: only the runs with nothing kept",
    )  # fmt: skip
    args = parser.parse_args()
    url = configure(args)
    from django.db import connection, transaction
    from pyroaring import BitMap

    from gongkai.publications.models import Publication
    from gongkai.search import index
    from gongkai.search.models import Document, Posting
    from gongkai.sites.search import scan, search

    vendor = connection.vendor
    print(f"# search benchmark: {vendor}, {args.items:,} items, {time.strftime('%Y-%m-%d')}")
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {platform.machine()} {platform.processor() or ''} {cpu} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    if not args.keep:
        started = time.perf_counter()
        with transaction.atomic():
            generate(args.items)
        print(f"items written: {time.perf_counter() - started:.0f} s")
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    if not args.keep or args.reindex:
        started = time.perf_counter()
        with transaction.atomic():
            total = index.rebuild()
        build = time.perf_counter() - started
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"index build: {build:.0f} s for {total:,} items")
    size, how = size_of_index(vendor)
    postings = Posting.objects.count()
    print(f"index size: {size / 2**20:,.0f} MiB ({how}); {postings:,} posting rows, "
          f"{Document.objects.count():,} documents")  # fmt: skip
    sample = index.entries(
        Publication.objects.order_by("?").values_list("pk", flat=True)[:2000]
        if args.items <= 200_000
        else range(1, args.items, max(1, args.items // 2000))
    )
    keys = [index.postings([dataclasses.replace(e, slot=0)]) for e in sample]
    per_item = statistics.mean(sum(1 for k in x if k[0] != "p" and k != "T") for x in keys)
    places = statistics.mean(sum(len(x[k]) for k in x if k[0] == "p") for x in keys)
    print(f"per item: {per_item:.0f} id keys (one- and two-character grams, title grams, filters), "
          f"{places:.0f} gram places")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(key, 1, 1), count(*), sum(length(bits)) FROM search_posting GROUP BY 1"
        )
        for kind, rows, size in sorted(cursor.fetchall()):
            print(f"  key {kind}: {rows:,} rows, {int(size) / 2**20:,.0f} MiB of bitmaps")

    if args.build_only:
        return 0
    # The queries run as in a server's process: its start-up done and left out of the garbage
    # collector's full passes, freed memory kept for reuse (gongkai.wsgi.tune). (It serves no
    # static files here.)
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    import gongkai.wsgi  # noqa: F401

    if not args.no_prewarm:
        prewarm(vendor, url)
    rng = random.Random(11)
    wrong, timings, warm, scans, cache = 0, [], [], [], {}
    cpu_cold: list[float] = []
    cpu_warm: list[float] = []
    server = server_cpu(vendor)
    rows_out = []
    pairs = []
    for i, q in enumerate(queries(args.queries)):
        pairs += [(q, {}), (q, filters_for(i, rng))]
    if args.nothing_kept_only:
        nothing_kept(pairs, server)
        return 0
    if args.publishing_only:
        publishing(args.publishes, server)
        return 0

    def timed(q: str, f: dict):
        runs, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time() + server()
            results = search(q, **f)
            count = results.count()
            page = results[0:20]
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() + server() - cpu_started)
        # The ids found, kept as a bitmap until the check (a set of Python ints per run, kept for
        # 220 runs, would hold millions of objects that every full collection walks).
        return runs, cpu, count, [p.pk for p in page], search(q, **f).ids()

    def scanned(q: str) -> set[int]:
        started = time.perf_counter()
        found = set(scan(q).order_by().values_list("pk", flat=True))
        scans.append(time.perf_counter() - started)
        return found

    ran, expected_by_query = [], {}
    for i, q in enumerate(queries(args.queries)):
        if args.scan_between:  # the LIKE scan just before the query's runs
            expected_by_query[q] = scanned(q)
        for f in (pairs[2 * i][1], pairs[2 * i + 1][1]):
            ran.append((q, f, *timed(q, f)))
    nothing_kept(pairs, server)
    if args.publishes:
        publishing(args.publishes, server)
    print(f"timed runs done, load average: {os.getloadavg()}; now the LIKE scans", flush=True)
    for q, f, runs, cpu, count, page, got in ran:
        if q not in expected_by_query:
            expected_by_query[q] = scanned(q)
        expected = expected_by_query[q] & filter_set(f, cache) if f else expected_by_query[q]
        ok = got == BitMap(expected) and count == len(expected) == len(got)
        ok = ok and len(page) == min(20, count) and all(pk in got for pk in page)
        if not ok:
            wrong += 1
            print(f"WRONG {q!r} {f}: index {len(got)}, LIKE {len(expected)}")
        ms = 1000 * runs[0]
        timings.append(ms)
        warm.append(1000 * statistics.median(runs[1:]))
        cpu_cold.append(1000 * cpu[0])
        cpu_warm.append(1000 * statistics.median(cpu[1:]))
        rows_out.append((q, f, count, ms, 1000 * cpu[0]))
        if args.verbose:
            print(f"{'ok' if ok else 'WRONG'}\t{q}\t{f}\t{count}\t{ms:.1f}\t{warm[-1]:.1f}\t"
                  f"{cpu_cold[-1]:.1f}\t{cpu_warm[-1]:.1f}", flush=True)  # fmt: skip
    print(f"\n{len(rows_out)} query runs ({args.queries} queries × with/without a filter), "
          f"{wrong} differ from the LIKE scan")  # fmt: skip
    print(f"count + first page of 20, cold (first ask): p50 {pct(timings, 50):.1f} ms, "
          f"p95 {pct(timings, 95):.1f} ms, max {max(timings):.1f} ms")  # fmt: skip
    print(f"count + first page of 20, asked again (median of {args.repeat - 1}): "
          f"p50 {pct(warm, 50):.1f} ms, p95 {pct(warm, 95):.1f} ms, max {max(warm):.1f} ms")  # fmt: skip
    short = [t for t, (q, *_r) in zip(timings, rows_out, strict=True) if len(q) <= 2]
    print(f"cold, queries of 1–2 characters only: p50 {pct(short, 50):.1f} ms, "
          f"p95 {pct(short, 95):.1f} ms")  # fmt: skip
    print(f"CPU time (SQLite: this process, the database's work included; PostgreSQL: the client and "
          f"its server process): cold p50 {pct(cpu_cold, 50):.1f} ms, p95 {pct(cpu_cold, 95):.1f} ms; "
          f"asked again p50 {pct(cpu_warm, 50):.1f} ms, p95 {pct(cpu_warm, 95):.1f} ms")  # fmt: skip
    longer = [c for c, (q, *_r) in zip(cpu_cold, rows_out, strict=True) if len(q) > 2] or [0.0]
    print(f"CPU, cold, queries of 3+ characters only: p50 {pct(longer, 50):.1f} ms, "
          f"p95 {pct(longer, 95):.1f} ms, max {max(longer):.1f} ms")  # fmt: skip
    print(f"load average during the run: {os.getloadavg()}")
    print(f"LIKE scan (unfiltered, for the check): p50 {1000 * pct(scans, 50):.0f} ms, "
          f"max {1000 * max(scans):.0f} ms")  # fmt: skip
    print("\nslowest 10:")
    for q, f, count, ms, cpu_ms in sorted(rows_out, key=lambda r: -r[3])[:10]:
        print(f"  {q!r:14} {str(f):40} {count:>9,} found  {ms:7.1f} ms  CPU {cpu_ms:6.1f} ms")
    print("\nslowest 10 by CPU (cold):")
    for q, f, count, ms, cpu_ms in sorted(rows_out, key=lambda r: -r[4])[:10]:
        print(f"  {q!r:14} {str(f):40} {count:>9,} found  {ms:7.1f} ms  CPU {cpu_ms:6.1f} ms")
    print("\ncommon queries:")
    for q, f, count, ms, cpu_ms in rows_out:
        if q in COMMON[:10]:
            print(f"  {q!r:14} {str(f):40} {count:>9,} found  {ms:7.1f} ms  CPU {cpu_ms:6.1f} ms")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
