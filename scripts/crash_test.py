"""Crash safety: submit applications with attachments and mailbox letters from concurrent clients
while the server is killed with SIGKILL again and again, then check what the database and the
disk hold.

    uv run python scripts/crash_test.py                       # SQLite, in a temporary data dir
    uv run python scripts/crash_test.py --database-url postgres://postgres@127.0.0.1:5432/gongkai_crash

It migrates a fresh installation (for PostgreSQL, the named database is dropped and made
anew), adds one agency, and runs ``gongkai serve``. ``--clients`` threads each submit the
public form (``/apply/``: CSRF, captcha, an ID copy as a PNG unique to the submission, and
an idempotency key of their own) over and over, and ``--letter-clients`` threads the mailbox's
letter form (``/mailbox/office/write/``: CSRF, captcha, an idempotency key); a submission is
*acknowledged* when the browser's next page, ``/apply/done/`` or ``/mailbox/done/``, shows its
查询码. A submission that got no
acknowledgement (connection reset, server gone) is sent again with the same key once the
server is back, as a person would press the button again. Meanwhile the server is killed
with SIGKILL ``--kills`` times at random moments and restarted.

At the end, with the server stopped, it checks (exit 1 when any fails):

- every acknowledged submission exists exactly once, with its 查询码, and its ID copy on disk
  with the bytes sent (sha256): **lost** and **duplicated** must be 0; the same for every
  acknowledged letter (its 查询码 and its text);
- no idempotency key made two applications or two letters;
- no row without its file, no file under media/applications/ without its row (orphans) —
  after ``gongkai manage sweep_files``, which removes what a killed transaction left behind.

It prints the figures; docs/security.md records them with the date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
from _common import fresh_postgres, gongkai

QUESTION = re.compile(r"(\d+)\s*(加|减)\s*(\d+)\s*等于多少")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def png(payload: bytes) -> bytes:
    """A valid 1×1 PNG carrying ``payload`` in a text chunk (so every copy is unique)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"id\x00" + payload)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


@dataclass
class Tally:
    acknowledged: dict[str, dict] = field(default_factory=dict)  # key -> {code, sha256}
    posted: int = 0  # submissions sent (the form was loaded, the POST went out)
    cut: int = 0  # of those, no acknowledgement (killed mid-way): sent again with the same key
    answered: Counter = field(default_factory=Counter)  # the POSTs' answers other than 302
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gongkai", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{self.port}/apply/"
        while self.process.poll() is None:
            try:
                requests.get(url, timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit(f"the server exited with status {self.process.returncode}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the server and anything it started
        self.process.wait()

    def stop(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()


def person(n: int) -> dict[str, str]:
    return {
        "applicant_kind": "natural_person",
        "applicant_name": f"测试{n}",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "email": f"p{n}@example.com",
        "address": "重庆市城口县葛城街道1号",
        "description": f"第{n}份申请：2021年城口县农村公路改造项目招标文件",
        "form_wanted": "electronic",
        "delivery_method": "email",
    }


class ServerDown(Exception):
    """The form could not be loaded: nothing was sent."""


def letter(n: int) -> dict[str, str]:
    return {
        "writer_name": f"写信人{n}",
        "phone": "13800138000",
        "email": f"w{n}@example.com",
        "address": "重庆市城口县葛城街道1号",
        "category": "suggestion",
        "subject": f"第{n}封来信",
        "body": f"第{n}封来信：建议在县城增设公共自行车站点。",
        "notify_by": "none",
    }


def submit_once(base: str, agency: str, key: str, n: int, image: bytes, tally: Tally) -> str | None:
    """One attempt; return the 查询码 when acknowledged, None otherwise. ``image`` empty: a
    mailbox letter instead of an application."""
    session = requests.Session()
    form = f"{base}/apply/" if image else f"{base}/mailbox/office/write/"
    try:
        page = session.get(form, timeout=30)
    except requests.RequestException:
        raise ServerDown from None
    if page.status_code != 200:
        raise ServerDown
    token = re.search(r'name="captcha_token" value="([^"]+)"', page.text)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    question = QUESTION.search(page.text)
    if not (token and csrf and question):
        raise SystemExit("the form changed: no captcha or CSRF token found")
    a, op, b = int(question.group(1)), question.group(2), int(question.group(3))
    answer = a + b if op == "加" else a - b
    data = {
        **(person(n) | {"agency": agency} if image else letter(n)),
        "captcha_token": token.group(1),
        "captcha_answer": str(answer),
        "csrfmiddlewaretoken": csrf.group(1),
        "idempotency_key": key,
    }
    files = {"id_copy": (f"id-{n}.png", image, "image/png")} if image else None
    with tally.lock:
        tally.posted += 1
    posted = session.post(
        form, data=data, files=files, headers={"Referer": form}, timeout=60,
        allow_redirects=False,
    )  # fmt: skip
    if posted.status_code != 302:
        with tally.lock:
            tally.answered[posted.status_code] += 1
        if posted.status_code >= 500:
            raise RuntimeError(f"server error {posted.status_code}")
        if posted.status_code == 400 and "其他内容" in posted.text:
            raise SystemExit("the same key was refused with different content")
        return None
    done = session.get(f"{base}{posted.headers['Location']}", timeout=30)
    # the receipt shows the code in groups of four (tracking_code_display): ABCD-EFGH-JKLM
    code = re.search(r'id="tracking-code">\s*([A-Z0-9-]+)\s*<', done.text)
    return code.group(1).replace("-", "") if done.status_code == 200 and code else None


def client(
    base: str, agency: str, tally: Tally, stop: threading.Event, offset: int, letters: bool
) -> None:
    n = offset
    while not stop.is_set():
        n += 1
        key = uuid.uuid4().hex
        image = b"" if letters else png(key.encode())
        while not stop.is_set():  # the same submission again until acknowledged
            try:
                code = submit_once(base, agency, key, n, image, tally)
            except ServerDown:
                time.sleep(0.2)
                continue
            except (requests.RequestException, RuntimeError):
                code = None
            if code:
                with tally.lock:
                    tally.acknowledged[key] = {
                        "code": code,
                        "sha256": hashlib.sha256(image).hexdigest() if image else "",
                        "letter": f"第{n}封来信" if letters else "",
                    }
                break
            with tally.lock:
                tally.cut += 1
            time.sleep(0.1)


INSPECT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from gongkai.applications.models import Application, Attachment
from gongkai.mailbox.models import Letter
letters = [{"key": l.idempotency_key, "code": l.tracking_code, "subject": l.subject}
           for l in Letter.objects.order_by("pk")]
apps = []
for a in Application.objects.order_by("pk"):
    files = []
    for t in Attachment.objects.filter(application=a):
        path = Path(t.file.path)
        files.append({"name": t.file.name, "exists": path.is_file(),
                      "sha256": hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""})
    apps.append({"key": a.idempotency_key, "code": a.tracking_code, "files": files})
root = Path(settings.MEDIA_ROOT) / "applications"
on_disk = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
print(json.dumps({"applications": apps, "letters": letters, "on_disk": on_disk}))
"""


def check(env: dict[str, str], tally: Tally) -> dict:
    swept = len(gongkai(env, "manage", "sweep_files", "--older-than-minutes", "0").split())
    state = json.loads(gongkai(env, "manage", "shell", "-v0", "-c", INSPECT))
    by_key: dict[str, list[dict]] = {}
    for app in state["applications"]:
        by_key.setdefault(app["key"], []).append(app)
    letters_by_key: dict[str, list[dict]] = {}
    for row in state["letters"]:
        letters_by_key.setdefault(row["key"], []).append(row)
    lost = duplicated = wrong_files = letters_lost = letters_duplicated = 0
    for key, ack in tally.acknowledged.items():
        if ack["letter"]:
            rows = letters_by_key.get(key, [])
            if not rows or rows[0]["code"] != ack["code"] or rows[0]["subject"] != ack["letter"]:
                letters_lost += 1
            letters_duplicated += len(rows) > 1
            continue
        rows = by_key.get(key, [])
        if not rows:
            lost += 1
            continue
        if len(rows) > 1:
            duplicated += 1
        app = rows[0]
        if app["code"] != ack["code"]:
            lost += 1
        if [f["sha256"] for f in app["files"]] != [ack["sha256"]]:
            wrong_files += 1
    keys_twice = sum(1 for rows in [*by_key.values(), *letters_by_key.values()] if len(rows) > 1)
    referenced = {f["name"] for app in state["applications"] for f in app["files"]}
    missing_files = sum(1 for app in state["applications"] for f in app["files"] if not f["exists"])
    orphans = [name for name in state["on_disk"] if name not in referenced]
    acknowledged_letters = sum(1 for ack in tally.acknowledged.values() if ack["letter"])
    return {
        "acknowledged": len(tally.acknowledged) - acknowledged_letters,
        "applications_in_database": len(state["applications"]),
        "letters_acknowledged": acknowledged_letters,
        "letters_in_database": len(state["letters"]),
        "letters_lost": letters_lost,
        "letters_duplicated": letters_duplicated,
        "submissions_sent": tally.posted,
        "sent_without_acknowledgement": tally.cut,
        "answers_other_than_302": dict(tally.answered),
        "lost": lost,
        "duplicated": duplicated,
        "keys_with_two_applications": keys_twice,
        "attachment_wrong_or_missing": wrong_files,
        "rows_without_file": missing_files,
        "orphan_files": len(orphans),
        "swept": swept,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs (default 20)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument(
        "--letter-clients", type=int, default=2, help="concurrent mailbox writers (default 2)"
    )
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    random.seed(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-crash-"))
    port = free_port()
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_APPLY_RATE_LIMIT": "1000000",
        "GONGKAI_STATUS_RATE_LIMIT": "1000000",
        "GONGKAI_LETTER_RATE_LIMIT": "1000000",
        "GONGKAI_THREADS": "8",
    }
    env.pop("DATABASE_URL", None)
    if args.database_url:
        fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    gongkai(env, "manage", "migrate", "-v0")
    agency = gongkai(
        env, "manage", "shell", "-v0", "-c",
        "from gongkai.agencies.models import Agency;"
        "from gongkai.mailbox.models import Mailbox;"
        "a = Agency.objects.create(slug='office', name='城口县人民政府办公室');"
        "Mailbox.objects.create(agency=a, slug='office', name='县长信箱');"
        "print(a.pk)",
    ).strip()  # fmt: skip
    server = Server(env, port, data_dir / "server.log")
    server.start()
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(  # daemon: a server that fails to restart ends the script, clients too
            target=client,
            args=(base, agency, tally, stop, i * 1_000_000, i >= args.clients),
            daemon=True,
        )
        for i in range(args.clients + args.letter_clients)
    ]
    for thread in threads:
        thread.start()
    for kill in range(args.kills):
        time.sleep(random.uniform(0.5, 3.0))
        server.kill()
        print(f"kill {kill + 1}/{args.kills}: {len(tally.acknowledged)} acknowledged", flush=True)
        server.start()
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join()
    server.stop()
    figures = check(env, tally)
    figures["kills"] = args.kills
    figures["database"] = "PostgreSQL" if args.database_url else "SQLite"
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    bad = (
        figures["lost"]
        + figures["duplicated"]
        + figures["letters_lost"]
        + figures["letters_duplicated"]
        + figures["keys_with_two_applications"]
        + figures["attachment_wrong_or_missing"]
        + figures["rows_without_file"]
        + figures["orphan_files"]
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
