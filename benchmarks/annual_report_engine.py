"""Every agency's annual report computed from the records, against the bare SQL GROUP BY floor.

Builds a synthetic province in a fresh data directory (SQLite) or the database named by
``--database-url`` (PostgreSQL; created when missing, and emptied of the platform's rows first —
never point it at a database you keep): agencies, applications spread over 2023–2024 (every
applicant kind and disposition, 8 % still open) and publications over the same years (most
published, some withdrawn or still drafts; 公文 with a 发文字号, 政策解读; each carried by the
website or a sub-site column, a third also by WeChat). The rows are written in bulk (COPY on
PostgreSQL, ``executemany`` in one transaction on SQLite), then, for the scales N, 2N and 4N
(each step adds agencies with their applications and publications, same density):

- platform: :func:`gongkai.annualreport.engine.reports_for_all` — every agency's 2024 report
  from the records with every source of the installation connected (grouped queries in all,
  through the ORM: table 三 of 2024 and 2023 and the application figures, each source's
  ``_by_agency`` companion), then each document assembled, its draft 总体情况 written and every
  check of docs/spec/annual-report-json.md run;
- floor: the bare SQL GROUP BY passes over the same tables through the cursor, rows fetched:
  three over the applications (the platform's table 三 ×2 and figures) and three over the
  publications and their placements (items by agency; placements by agency and channel; website
  items by agency).

Prints seconds (best of ``--repeat``, floor and platform alternating), the platform/floor
ratio, the load average at each figure and the growth from N to 4N. Run (a minute at this
size; the docs/benchmarks.md figures used the full province)::

    uv run python benchmarks/annual_report_engine.py --agencies 50 --applications 10000 \\
        --publications 50000 [--repeat 3] [--database-url postgres://…/gk_bench]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import tempfile
import time
from datetime import date, datetime, timedelta

YEAR = 2024


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        _create_database(database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def match_backend_priority() -> str:
    """Give this connection's PostgreSQL backend the script's own niceness, where allowed.

    Run niced on a shared machine, the script's Python would otherwise get less CPU than the
    server process doing the SQL, which favours the floor (nearly all SQL) over the platform
    (SQL and Python)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "n/a"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
        # One process per query, so that the backend's CPU time is all of the query's.
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    _BACKEND[:] = [pid]
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        if os.getpriority(os.PRIO_PROCESS, pid) != mine:
            os.setpriority(os.PRIO_PROCESS, pid, mine)
    except OSError as exc:  # another user's process, or another host
        return f"backend {pid} not reniced ({exc.strerror})"
    return f"backend {pid} at nice {os.getpriority(os.PRIO_PROCESS, pid)}, script at nice {mine}"


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- building the province ---------------------------------------------------------------


def _columns(model, given: list[str]) -> tuple[list[str], list]:
    """Every NOT NULL column of ``model`` (its default where not ``given``), ``given`` first."""
    now = datetime(2025, 1, 1, 12, 0)
    cols, defaults = list(given), [None] * len(given)
    for f in model._meta.concrete_fields:
        if f.primary_key or f.null or f.column in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
            if f.get_internal_type() == "JSONField":
                value = json.dumps(value)
        cols.append(f.column)
        defaults.append(value)
    return cols, defaults


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat() + "+00"
    return str(value)


def _sqlite(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert(model, given: list[str], rows) -> int:
    """Write ``rows`` (tuples of the ``given`` columns) into ``model``'s table in bulk."""
    from django.db import connection

    cols, defaults = _columns(model, given)
    rest = defaults[len(given) :]
    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        quoted = ", ".join(f'"{c}"' for c in cols)
        tail = "\t" + "\t".join(_text(v) for v in rest) if rest else ""
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                buf = io.StringIO()
                for row in rows:
                    buf.write("\t".join(_text(v) for v in row) + tail + "\n")
                    count += 1
                    if count % 50_000 == 0:
                        copy.write(buf.getvalue())
                        buf = io.StringIO()
                copy.write(buf.getvalue())
        return count
    placeholders = ", ".join("?" for _ in cols)
    quoted = ", ".join(f'"{c}"' for c in cols)
    rest = [_sqlite(v) for v in rest]
    raw = connection.connection
    chunk = []
    for row in rows:
        chunk.append([_sqlite(v) for v in row] + rest)
        if len(chunk) == 50_000:
            raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", chunk)
            count += len(chunk)
            chunk = []
    raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", chunk)
    return count + len(chunk)


def empty() -> None:
    from django.db import connection, transaction

    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application
    from gongkai.publications.models import Placement, Publication

    with transaction.atomic():
        tables = [m._meta.db_table for m in (Placement, Publication, Application)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")
        Agency.objects.exclude(parent=None).delete()
        Agency.objects.all().delete()


def grow(first: int, last: int, n_applications: int, n_publications: int, seed: int) -> None:
    """Add agencies ``first`` .. ``last - 1`` with ``n_applications`` applications and
    ``n_publications`` publications spread over them."""
    from django.db import connection, transaction
    from django.db.models import Max

    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application
    from gongkai.law.applicants import ApplicantKind
    from gongkai.law.dispositions import Disposition
    from gongkai.publications.models import Channel, Kind, Placement, Publication, State

    rng = random.Random(seed)
    kinds = [k.value for k in ApplicantKind]
    dispositions = [d.value for d in Disposition]
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        root = Agency.objects.filter(parent=None).first()
        if root is None:
            root = Agency.objects.create(
                name="省人民政府", slug="province", kind="county_government"
            )
            first = max(first, 1)
        Agency.objects.bulk_create(
            Agency(
                name=f"第{i}机关",
                slug=f"agency-{i}",
                kind="department" if i % 5 else "township",
                parent=root,
                sort_order=i,
            )
            for i in range(first, last)
        )
        ids = list(
            Agency.objects.filter(slug__in=[f"agency-{i}" for i in range(first, last)])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if first <= 1:
            ids.append(root.pk)
        start = date(2023, 1, 1)
        serial0 = (Application.objects.aggregate(n=Max("reference_serial"))["n"] or 0) + 1

        def applications():
            for serial in range(serial0, serial0 + n_applications):
                received = start + timedelta(days=rng.randrange(730))
                open_ = rng.random() < 0.08
                yield (
                    ids[rng.randrange(len(ids))],
                    f"B{serial:011d}",
                    received.year,
                    serial,
                    "online",
                    datetime.combine(received, datetime.min.time()),
                    received,
                    "accepted" if open_ else "replied",
                    kinds[rng.randrange(len(kinds))],
                    "某",
                    "文件",
                    "" if open_ else dispositions[rng.randrange(len(dispositions))],
                    None if open_ else received + timedelta(days=rng.randrange(40)),
                    received + timedelta(days=28),
                )

        insert(
            Application,
            [
                "agency_id",
                "tracking_code",
                "reference_year",
                "reference_serial",
                "channel",
                "submitted_at",
                "received_on",
                "state",
                "applicant_kind",
                "applicant_name",
                "description",
                "disposition",
                "closed_on",
                "due_on",
            ],
            applications(),
        )
        pk0 = (Publication.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
        placed: list[tuple] = []

        def publications():
            for pk in range(pk0, pk0 + n_publications):
                day = start + timedelta(days=rng.randrange(730))
                r = rng.random()
                state = (
                    State.PUBLISHED if r < 0.95 else State.WITHDRAWN if r < 0.98 else State.DRAFT
                )
                r = rng.random()
                kind = (
                    Kind.INFORMATION
                    if r < 0.7
                    else Kind.DOCUMENT
                    if r < 0.9
                    else Kind.INTERPRETATION
                )
                published = None if state == State.DRAFT else day
                if published:
                    site = Channel.WEBSITE if rng.random() < 0.8 else Channel.SUBSITE
                    placed.append((pk, site, "信息公开", day))
                    if rng.random() < 0.3:
                        placed.append((pk, Channel.WECHAT, "", day))
                yield (
                    pk,
                    ids[rng.randrange(len(ids))],
                    kind,
                    state,
                    f"信息{pk}",
                    f"某发〔{day.year}〕{pk}号" if kind == Kind.DOCUMENT else "",
                    published,
                )
                if len(placed) >= 100_000:
                    yield None

        def batches():
            chunk = []
            for row in publications():
                if row is None:
                    yield chunk
                    chunk = []
                else:
                    chunk.append(row)
            yield chunk

        cols = ["id", "agency_id", "kind", "state", "title", "doc_number", "published_on"]
        for chunk in batches():
            insert(Publication, cols, chunk)
            insert(Placement, ["publication_id", "channel", "column", "placed_on"], placed)
            placed.clear()
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")
        else:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('publications_publication', 'id'), "
                "(SELECT MAX(id) FROM publications_publication))"
            )
    if not sqlite:
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE agencies_agency, applications_application, "
                "publications_publication, publications_placement"
            )
        connection.connection.autocommit = old


# --- the floor and the platform -----------------------------------------------------------

APPLICATIONS_SQL = """
SELECT agency_id, applicant_kind, disposition,
       CASE WHEN received_on >= %s THEN 1 ELSE 0 END,
       CASE WHEN closed_on <= %s THEN 1 ELSE 0 END, COUNT(*)
FROM applications_application
WHERE received_on IS NOT NULL AND received_on <= %s AND NOT (closed_on IS NOT NULL AND closed_on < %s)
GROUP BY agency_id, applicant_kind, disposition,
         CASE WHEN received_on >= %s THEN 1 ELSE 0 END, CASE WHEN closed_on <= %s THEN 1 ELSE 0 END
"""
FIGURES_SQL = """
SELECT agency_id,
       SUM(CASE WHEN received_on >= %s AND received_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN closed_on >= %s AND closed_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN closed_on >= %s AND closed_on <= %s AND due_on IS NOT NULL
                 AND closed_on <= due_on THEN 1 ELSE 0 END)
FROM applications_application GROUP BY agency_id
"""
ITEMS_SQL = """
SELECT agency_id, COUNT(*),
       SUM(CASE WHEN kind = 'document' AND doc_number <> '' THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'interpretation' THEN 1 ELSE 0 END)
FROM publications_publication
WHERE state IN ('published', 'withdrawn') AND published_on >= %s AND published_on <= %s
GROUP BY agency_id
"""
CHANNELS_SQL = """
SELECT p.agency_id, c.channel, COUNT(DISTINCT c.publication_id)
FROM publications_placement c JOIN publications_publication p ON p.id = c.publication_id
WHERE p.state IN ('published', 'withdrawn') AND p.published_on >= %s AND p.published_on <= %s
GROUP BY p.agency_id, c.channel
"""
WEBSITE_SQL = """
SELECT p.agency_id, COUNT(DISTINCT c.publication_id)
FROM publications_placement c JOIN publications_publication p ON p.id = c.publication_id
WHERE p.state IN ('published', 'withdrawn') AND p.published_on >= %s AND p.published_on <= %s
  AND c.channel IN ('website', 'subsite')
GROUP BY p.agency_id
"""


def floor(year: int) -> int:
    from django.db import connection

    rows = 0
    s, e = date(year, 1, 1), date(year, 12, 31)
    with connection.cursor() as cursor:
        for y in (year, year - 1):
            ys, ye = date(y, 1, 1), date(y, 12, 31)
            cursor.execute(APPLICATIONS_SQL, [ys, ye, ye, ys, ys, ye])
            rows += len(cursor.fetchall())
        cursor.execute(FIGURES_SQL, [s, e, s, e, s, e])
        rows += len(cursor.fetchall())
        for query in (ITEMS_SQL, CHANNELS_SQL, WEBSITE_SQL):
            cursor.execute(query, [s, e])
            rows += len(cursor.fetchall())
    return rows


def platform(year: int):
    from gongkai.annualreport.engine import reports_for_all

    reports = reports_for_all(year)
    assert not [
        f for c in reports for f in c.findings if f["rule"].startswith(("t3.", "cross_year"))
    ]
    return reports


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


_BACKEND: list[int] = []


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 when unknown)."""
    if not _BACKEND:
        return 0.0
    try:
        with open(f"/proc/{_BACKEND[0]}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(func) -> tuple[float, float]:
    """Wall-clock seconds of ``func()``, and the CPU seconds it took (this process and, on
    PostgreSQL on this machine, the backend): what the machine's load does not change."""
    wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu()
    func()
    return (
        time.perf_counter() - wall,
        time.process_time() - cpu + backend_cpu() - server,
    )


def measure(repeat: int) -> tuple[float, float, str, float, float]:
    """Best of ``repeat`` for the floor and the platform, alternating: wall-clock seconds, the
    load seen, and CPU seconds (best of ``repeat`` too)."""
    floors, platforms, loads = [], [], []
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        floors.append(timed(lambda: floor(YEAR)))
        platforms.append(timed(lambda: platform(YEAR)))
    return (
        min(w for w, _ in floors),
        min(w for w, _ in platforms),
        f"{min(loads):.1f}–{max(loads):.1f}",
        min(c for _, c in floors),
        min(c for _, c in platforms),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--agencies", type=int, default=1250, help="agencies at N")
    parser.add_argument("--applications", type=int, default=250_000, help="applications at N")
    parser.add_argument("--publications", type=int, default=1_250_000, help="publications at N")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="build nothing: time the rows already in --database-url (after a run)",
    )
    args = parser.parse_args()
    setup(args.database_url)
    from django.conf import settings
    from django.db import connection

    from gongkai.annualreport.sources import SOURCE_NAMES, resolve, resolve_many

    batched = [n for n in SOURCE_NAMES if resolve(n) and resolve_many(n)]
    print(f"database: {connection.vendor}; sources batched: {', '.join(batched)}")
    print(f"sources connected: {len(settings.GONGKAI_REPORT_SOURCES)}; load {load()}")
    print(f"priority: {match_backend_priority()}")
    if args.measure_only:
        from gongkai.agencies.models import Agency
        from gongkai.applications.models import Application
        from gongkai.publications.models import Publication

        f, p, seen, fc, pc = measure(args.repeat)
        print(
            f"present: {Agency.objects.count():,d} agencies, {Application.objects.count():,d} "
            f"applications, {Publication.objects.count():,d} publications; floor {f:.2f} s, "
            f"platform {p:.2f} s, ratio {p / f:.2f}, load {seen}; CPU s: floor {fc:.2f}, "
            f"platform {pc:.2f}, ratio {pc / fc:.2f}"
        )
        return
    print(
        "scale  agencies  applications  publications  build s  floor s  platform s  ratio  load"
        "  | CPU s: floor  platform  ratio"
    )
    empty()
    results = []
    have = 0
    for scale in (1, 2, 4):
        n = args.agencies * scale
        add = n - have
        t0 = time.perf_counter()
        grow(
            have,
            n,
            args.applications * add // args.agencies,
            args.publications * add // args.agencies,
            seed=scale,
        )
        built = time.perf_counter() - t0
        have = n
        f, p, seen, fc, pc = measure(args.repeat)
        results.append((f, p))
        print(
            f"{scale}N  {n:10,d}  {args.applications * scale:12,d}  "
            f"{args.publications * scale:12,d}  {built:7.1f}  {f:7.2f}  {p:10.2f}  "
            f"{p / f:5.2f}  {seen}  | {fc:7.2f}  {pc:8.2f}  {pc / fc:5.2f}",
            flush=True,
        )
    (f1, p1), (f2, p2), (f4, p4) = results
    print(
        f"growth N→2N→4N: floor ×{f2 / f1:.2f} ×{f4 / f1:.2f}, "
        f"platform ×{p2 / p1:.2f} ×{p4 / p1:.2f} (linear: ×2 ×4)"
    )


if __name__ == "__main__":
    main()
