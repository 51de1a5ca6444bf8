"""Crash safety of the background worker: tasks run while the worker is killed with SIGKILL
again and again, then check that every task ran to completion and its effects happened once.

    uv run python scripts/worker_crash_test.py                  # SQLite, in a temporary data dir
    uv run python scripts/worker_crash_test.py --database-url postgres://postgres@127.0.0.1:5432/gongkai_worker_crash

It migrates a fresh installation (for PostgreSQL, the named database is dropped and made anew),
adds an agency with ``--recipients`` staff members who have e-mail addresses and two applications
due, and queues ``--reminders`` deadline-reminder tasks (one per day, each mailing every staff
member) and ``--batches`` auditor batches of six reports each. The mail goes to a real SMTP
server in this process (gongkai.testing.smtp_sink) that waits 50 ms before taking each message's
data. Then, ``--kills`` times: a worker (``gongkai manage db_worker``) is started, and once it has
claimed a task it is killed with SIGKILL at a random moment within the next second. A last
worker runs in ``--batch`` mode until the queue is empty.

Mail is counted twice (docs/security.md, "what once means"): raw deliveries — every message the
server accepted — and distinct messages, by Message-ID. A kill between the server's 250 and the
worker's record of it makes a raw duplicate with the same Message-ID (SMTP's own window; the
retried run logs that it sends a "maybe sent" mail again, and the script counts those warnings).

It checks (exit 1 when any fails): every task SUCCESSFUL; every (day, person) has exactly one
distinct message — **lost** and **duplicated messages** must be 0; every raw duplicate carries
the Message-ID of its first copy and is one of the logged "maybe sent" repeats; every report of
every batch read, none pending, no report twice; no RUNNING task and no lease left. The figures
go to docs/security.md.
"""

from __future__ import annotations

import argparse
import email
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import fresh_postgres, gongkai

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.testing.smtp_sink import SmtpSink  # noqa: E402

REPORT = ROOT / "tests" / "corpus" / "000-chengkou-2020.txt"
TABLE = "django_tasks_database_dbtaskresult"

SETUP = """
from datetime import date
from gongkai.testing import factories as f
office = f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")
people = [f.staff(f"clerk{{n}}", office, "clerk") for n in range({recipients})]
for user in people:
    user.email = f"{{user.username}}@example.com"
    user.save()
for day in (2, 5):
    f.received_application(actor=people[0], agency_obj=office, received_on=date(2026, 3, day))
"""

ENQUEUE = """
import json
from django.core.files.base import ContentFile
from gongkai.accounts.models import User
from gongkai.applications.tasks import send_deadline_reminders
from gongkai.auditor.services import upload_reports
clerk = User.objects.get(username="clerk0")
text = open({report!r}, "rb").read()
ids, batches = [], []
for day in {days!r}:  # first in the queue: the kills fall in the middle of their mailing
    ids.append(str(send_deadline_reminders.enqueue(today=day).id))
for n in range({batches}):
    files = [ContentFile(text + f"\\n{{n}}-{{i}}".encode(), name=f"r{{n}}-{{i}}.txt") for i in range(6)]
    outcome = upload_reports(actor=clerk, files=files)
    assert outcome.queued
    batches.append(outcome.batch.pk)
print(json.dumps({{"reminders": ids, "batches": batches}}))
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from gongkai.auditor.models import AuditedReport
from gongkai.worker.models import TaskEffect, WorkerBeat
tasks = list(DBTaskResult.objects.values("status", "worker_ids", "task_path"))
reports = list(AuditedReport.objects.values_list("batch_id", "original_name", "status"))
print(json.dumps({"tasks": tasks, "reports": reports, "effects": TaskEffect.objects.count(),
                  "leases": WorkerBeat.objects.count()}))
"""


class Tasks:
    """Reads the task table directly (no Django start-up), to time the kills."""

    def __init__(self, env: dict[str, str]) -> None:
        url = env.get("DATABASE_URL")
        if url:
            import psycopg

            self.connection = psycopg.connect(url, autocommit=True)
            self.ids = "worker_ids::text"
        else:
            path = Path(env["GONGKAI_DATA_DIR"]) / "gongkai.sqlite3"
            self.connection = sqlite3.connect(path, isolation_level=None)  # type: ignore[assignment]
            self.ids = "worker_ids"

    def count(self, where: str, *params: object) -> int:
        sql = f"SELECT count(*) FROM {TABLE} WHERE {where}"
        if isinstance(self.connection, sqlite3.Connection):
            return self.connection.execute(sql, params).fetchone()[0]
        return self.connection.execute(sql.replace("?", "%s"), params).fetchone()[0]

    def running_under(self, worker: str) -> int:
        return self.count(f"status = 'RUNNING' AND {self.ids} LIKE ?", f'%"{worker}"]')

    def unfinished(self) -> int:
        return self.count("status IN ('READY', 'RUNNING')")


def worker(env: dict[str, str], name: str, *extra: str) -> subprocess.Popen:
    log = open(Path(env["GONGKAI_DATA_DIR"]) / f"worker-{name}.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "gongkai", "manage", "db_worker", "--no-startup-delay",
         "--interval", "0.1", "--worker-id", name, *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
    )  # fmt: skip


def mailed_days(sink: SmtpSink) -> dict[tuple[str, str], list[str]]:
    """Each (day, person)'s accepted messages: their Message-IDs, in the order they came."""
    found: dict[tuple[str, str], list[str]] = {}
    for message in sink.delivered:
        parsed = email.message_from_bytes(message.data)
        body = parsed.get_payload(decode=True).decode("utf-8")
        day = re.search(r"截至(\d{4}-\d{2}-\d{2})", body)
        for recipient in message.recipients:
            found.setdefault((day.group(1) if day else "?", recipient), []).append(
                parsed["Message-ID"] or ""
            )
    return found


def maybe_sent_repeats(data: Path) -> int:
    """The mails the workers sent again after a kill left them "maybe sent" (their warnings)."""
    return sum(
        log.read_text(errors="replace").count("may have happened already")
        for log in data.glob("worker-*.log")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL database (dropped and made anew)")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--reminders", type=int, default=6, help="reminder tasks (one a day)")
    parser.add_argument("--recipients", type=int, default=8)
    parser.add_argument("--batches", type=int, default=2, help="auditor batches of 6 reports")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data = Path(tempfile.mkdtemp(prefix="gongkai-worker-crash-"))
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data), "GONGKAI_TASK_MAX_ATTEMPTS": "1000"}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    gongkai(env, "manage", "migrate", "-v0")
    days = [f"2026-03-{25 + n % 7:02d}" if n < 7 else f"2026-04-{n - 6:02d}"
            for n in range(args.reminders)]  # fmt: skip
    kills = cut = 0
    with SmtpSink(delay=0.05) as sink:
        env |= {"GONGKAI_EMAIL_HOST": "127.0.0.1", "GONGKAI_EMAIL_PORT": str(sink.port)}
        gongkai(env, "manage", "shell", "-v0", "-c", SETUP.format(recipients=args.recipients))
        queued = json.loads(
            gongkai(env, "manage", "shell", "-v0", "-c",
                    ENQUEUE.format(report=str(REPORT), batches=args.batches, days=days))
        )  # fmt: skip
        assert len(queued["reminders"]) == args.reminders
        assert len(queued["batches"]) == args.batches
        tasks = Tasks(env)
        while kills < args.kills and tasks.unfinished():
            name = f"w{kills + 1}"
            process = worker(env, name)
            while process.poll() is None and not tasks.running_under(name):
                time.sleep(0.05)
            if process.poll() is not None:
                log = (data / f"worker-{name}.log").read_text(errors="replace")
                raise SystemExit(f"the worker {name} exited:\n{log}")
            time.sleep(rng.uniform(0, 1.0))
            process.kill()
            process.wait()
            kills += 1
            cut += tasks.running_under(name)  # a task left RUNNING by the killed worker
        last = worker(env, "last", "--batch")
        if last.wait() != 0:
            log = (data / "worker-last.log").read_text(errors="replace")
            raise SystemExit(f"the last worker failed:\n{log}")
        state = json.loads(gongkai(env, "manage", "shell", "-v0", "-c", STATE))
        mails = mailed_days(sink)
    expected = {(day, f"clerk{n}@example.com") for day in days for n in range(args.recipients)}
    statuses = Counter(task["status"] for task in state["tasks"])
    runs = [len(task["worker_ids"]) for task in state["tasks"]]
    reports = state["reports"]
    figures = {
        "database": "PostgreSQL" if args.database_url else "SQLite",
        "kills": kills,
        "tasks": len(state["tasks"]),
        "tasks_cut_by_a_kill": cut,
        "tasks_run_more_than_once": sum(1 for n in runs if n > 1),
        "reminder_tasks_run_more_than_once": sum(
            1
            for task in state["tasks"]
            if len(task["worker_ids"]) > 1 and task["task_path"].endswith("reminders")
        ),
        "most_runs_of_a_task": max(runs),
        "statuses": dict(statuses),
        "mails_expected": len(expected),
        "mails_delivered_raw": sum(len(ids) for ids in mails.values()),
        "mails_lost": len(expected - set(mails)),
        "mails_duplicated_raw": sum(len(ids) - 1 for ids in mails.values()),
        "messages_distinct": sum(len(set(ids)) for ids in mails.values()),
        "messages_duplicated": sum(len(set(ids)) - 1 for ids in mails.values()),
        "messages_without_id": sum(1 for ids in mails.values() for i in ids if not i),
        "maybe_sent_repeats_logged": maybe_sent_repeats(data),
        "mails_unexpected": len(set(mails) - expected),
        "reports": len(reports),
        "reports_read": sum(1 for r in reports if r[2] == "read"),
        "reports_pending": sum(1 for r in reports if r[2] == "pending"),
        "reports_twice": len(reports) - len({(r[0], r[1]) for r in reports}),
        "effects_left": state["effects"],
        "leases_left": state["leases"],
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = (
        statuses == Counter({"SUCCESSFUL": len(state["tasks"])})
        and figures["mails_lost"] == figures["messages_duplicated"] == 0
        and figures["mails_unexpected"] == figures["messages_without_id"] == 0
        and figures["mails_duplicated_raw"] <= figures["maybe_sent_repeats_logged"]
        and figures["reports_pending"] == figures["reports_twice"] == 0
        and figures["reports"] == 6 * args.batches
        and figures["leases_left"] == 0
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
