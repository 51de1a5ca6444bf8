"""Every agency's annual report computed from the records, against the bare SQL GROUP BY floor.

Builds a synthetic province in a fresh data directory (SQLite) or the database named by
``--database-url`` (PostgreSQL; the database is emptied of these tables' rows first): ``N``
agencies and ``A`` applications spread over 2023–2024 (every applicant kind, every disposition,
some still open), then for each scale N, 2N, 4N (applications scaled alike):

- platform: :func:`gongkai.annualreport.engine.compute_all` for every agency's 2024 report —
  three grouped queries, then each document assembled, its draft 总体情况 written and every
  check of docs/spec/annual-report-json.md run (no other sources connected);
- floor: the same three GROUP BY passes as bare SQL through the cursor, rows fetched.

Prints seconds (best of ``--repeat``), the platform/floor ratio and the growth from N to 4N.
Publications are not generated: no publications app is on this branch. Run:

    uv run python benchmarks/annual_report_engine.py [--agencies N] [--applications A]
        [--repeat R] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import date, datetime, timedelta


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def populate(n_agencies: int, n_applications: int, seed: int = 1) -> list[int]:
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application
    from gongkai.law.applicants import ApplicantKind
    from gongkai.law.dispositions import Disposition

    settings.GONGKAI_REPORT_SOURCES = {}
    rng = random.Random(seed)
    kinds = [k.value for k in ApplicantKind]
    dispositions = [d.value for d in Disposition]
    with transaction.atomic():
        Application.objects.all().delete()
        Agency.objects.exclude(parent=None).delete()
        Agency.objects.all().delete()
        root = Agency.objects.create(name="省人民政府", slug="province", kind="county_government")
        Agency.objects.bulk_create(
            Agency(
                name=f"第{i}厅",
                slug=f"agency-{i}",
                kind="department" if i % 5 else "township",
                parent=root,
            )
            for i in range(1, n_agencies)
        )
        ids = list(Agency.objects.values_list("pk", flat=True))
        batch = []
        start = date(2023, 1, 1)
        for serial in range(1, n_applications + 1):
            received = start + timedelta(days=rng.randrange(730))
            open_ = rng.random() < 0.08
            closed = None if open_ else received + timedelta(days=rng.randrange(40))
            agency_id = ids[rng.randrange(len(ids))]
            batch.append(
                Application(
                    agency_id=agency_id,
                    tracking_code=f"B{serial:011d}",
                    reference_year=received.year,
                    reference_serial=serial,
                    channel="online",
                    submitted_at=timezone.make_aware(
                        datetime.combine(received, datetime.min.time())
                    ),
                    received_on=received,
                    state="accepted" if open_ else "replied",
                    applicant_kind=kinds[rng.randrange(len(kinds))],
                    applicant_name="某",
                    description="文件",
                    disposition="" if open_ else dispositions[rng.randrange(len(dispositions))],
                    closed_on=closed,
                    due_on=received + timedelta(days=28),
                )
            )
            if len(batch) == 20_000:
                Application.objects.bulk_create(batch)
                batch.clear()
        Application.objects.bulk_create(batch)
    return ids


FLOOR_SQL = """
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


def floor(year: int) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for y in (year, year - 1):
            s, e = date(y, 1, 1), date(y, 12, 31)
            cursor.execute(FLOOR_SQL, [s, e, e, s, s, e])
            rows += len(cursor.fetchall())
        s, e = date(year, 1, 1), date(year, 12, 31)
        cursor.execute(FIGURES_SQL, [s, e, s, e, s, e])
        rows += len(cursor.fetchall())
    return rows


def platform(year: int):
    from gongkai.agencies.models import Agency
    from gongkai.annualreport.engine import Subject, compute_all

    subjects = [Subject.of(a) for a in Agency.objects.order_by("pk")]
    reports = compute_all(subjects, year, every_agency=True)
    assert not [
        f for c in reports for f in c.findings if f["rule"].startswith(("t3.", "cross_year"))
    ]
    return reports


def best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}")
    print("scale  agencies  applications  floor s  platform s  ratio")
    results = []
    for scale in (1, 2, 4):
        n, a = args.agencies * scale, args.applications * scale
        populate(n, a)
        f = best(lambda: floor(2024), args.repeat)
        p = best(lambda: platform(2024), args.repeat)
        results.append((f, p))
        print(f"{scale}N     {n:8d}  {a:12d}  {f:7.3f}  {p:10.3f}  {p / f:5.2f}")
    (f1, p1), (f4, p4) = results[0], results[-1]
    print(f"growth N→4N: floor ×{f4 / f1:.2f}, platform ×{p4 / p1:.2f} (linear: ×4)")


if __name__ == "__main__":
    main()
