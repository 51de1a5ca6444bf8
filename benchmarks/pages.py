"""Anonymous portal pages: requests/second and p99 latency, measured with wrk on loopback.

For the home page, a catalogue list (the 政府信息公开 column of the agency with most items) and
an item page with an attachment, in one run, each server measured in turn for the same bounded
time (default 10 s, 32 connections, 2 wrk threads, a browser's user agent so that visits are
counted as in production):

- ``gongkai serve`` with the page cache off — every page rendered by Django;
- ``gongkai serve --server waitress`` — pages answered from the static tree by waitress;
- ``gongkai serve`` as shipped (granian, 2 worker processes) — the same, by granian;
- static publishing behind nginx — ``deploy/nginx/gongkai.conf`` in front of ``gongkai serve``;
- plain nginx serving a copy of the same files from disk (the reference).

The bodies the servers return for a page are checked to be the same bytes first. The demo
county (``gongkai demo``) is loaded into a temporary data directory unless ``--data-dir`` names
one that has it; its accounts get a non-demo password so ``gongkai serve`` agrees to start.
Needs ``nginx`` and ``wrk`` (Debian: nginx-light, wrk). Figures: docs/benchmarks.md.

    uv run python benchmarks/pages.py [--data-dir DIR] [--duration 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx" / "gongkai.conf"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
GONGKAI = [sys.executable, "-m", "gongkai"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not answer in {seconds} s")


def get(port: int, path: str) -> bytes:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"User-Agent": BROWSER}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def prepare(data_dir: Path, env: dict[str, str]) -> None:
    if not (data_dir / "gongkai.sqlite3").exists() and not env.get("DATABASE_URL"):
        print(f"loading the demo county into {data_dir} …", flush=True)
        subprocess.run([*GONGKAI, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    # The demo's published password would stop `gongkai serve` (a production check).
    script = (
        "from gongkai.accounts.models import User;"
        "from django.contrib.auth.hashers import make_password;"
        "User.objects.update(password=make_password('benchmark-only-password-8461'))"
    )
    subprocess.run([*GONGKAI, "manage", "shell", "-c", script], env=env, check=True)


def pick_paths(env: dict[str, str]) -> dict[str, str]:
    script = """
import json
from django.db.models import Count, Q
from gongkai.agencies.models import Agency
from gongkai.publications.models import State
from gongkai.publications.selectors import published
agency = Agency.objects.annotate(
    n=Count("publications", filter=Q(publications__state=State.PUBLISHED))).order_by("-n").first()
item = published().annotate(a=Count("attachments")).filter(a__gt=0).order_by("-pk").first()
print(json.dumps({"home": "/", "catalogue list": f"/gk/{agency.slug}/",
                  "item page": f"/gk/item/{item.pk}/", "_items": agency.n}))
"""
    out = subprocess.run(
        [*GONGKAI, "manage", "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def nginx_main_conf(tmp: Path, server_block: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "server.conf").write_text(server_block, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/server.conf;
}}
""",
        encoding="utf-8",
    )
    return conf


def start(stack: ExitStack, command: list[str], env: dict[str, str], log: Path) -> None:
    handle = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"User-Agent: {BROWSER}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rate,
        "p99_ms": float(value) * UNITS[unit],
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a data directory with the demo county")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page and server this many times in turn; report the median",
    )
    parser.add_argument("--workers", type=int, default=2, help="granian's processes")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed (apt-get install nginx-light wrk)")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="gk-pages-") as tmp_name:
        tmp = Path(tmp_name)
        data_dir = args.data_dir or tmp / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_LOG_LEVEL": "WARNING"}
        prepare(data_dir, env)
        paths = pick_paths(env)
        items = paths.pop("_items")
        print(f"pages: {paths} (the list's agency has {items} published items)", flush=True)

        ports = {name: free_port() for name in ("plain", "waitress", "granian", "static", "nginx")}
        serve = [*GONGKAI, "serve", "--workers", str(args.workers)]
        log = tmp / "plain.log"
        start(
            stack, [*serve, "--port", str(ports["plain"])], {**env, "GONGKAI_PAGE_CACHE": "0"}, log
        )
        wait_for(ports["plain"])
        # Started after the uncached one: `gongkai serve` empties the tree when it starts.
        command = [*serve, "--server", "waitress", "--port", str(ports["waitress"])]
        start(stack, command, env, tmp / "waitress.log")
        wait_for(ports["waitress"])
        start(stack, [*serve, "--port", str(ports["granian"])], env, tmp / "granian.log")
        wait_for(ports["granian"])
        servers = {
            "gongkai serve (granian), page cache off": ports["plain"],
            "gongkai serve --server waitress": ports["waitress"],
            f"gongkai serve (granian, {args.workers} workers)": ports["granian"],
        }

        pages_dir = data_dir / "pages"
        server = CONF.read_text(encoding="utf-8")
        for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{ports['static']};"),
            ("root /var/lib/gongkai/pages;", f"root {pages_dir};"),
            ("alias /var/lib/gongkai/static/;", f"alias {data_dir / 'static'}/;"),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['granian']};"),
            ("/var/log/nginx/gongkai-visits.log", str(tmp / "visits.log")),
        ]:
            server = server.replace(old, new)
        conf = nginx_main_conf(tmp / "nginx-static", server)
        start(stack, [nginx, "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx-static.log")
        wait_for(ports["static"])
        servers["static publishing behind nginx"] = ports["static"]

        # Warm: every server renders or reads each page; then the tree holds every page.
        for port in servers.values():
            for path in paths.values():
                for _ in range(3):
                    get(port, path)
        copy = tmp / "copy"
        shutil.copytree(pages_dir, copy)
        plain = f"""server {{
    listen 127.0.0.1:{ports["nginx"]};
    root {copy};
    charset utf-8;
    location / {{ try_files $uri/index.html =404; }}
}}
"""
        conf = nginx_main_conf(tmp / "nginx-plain", plain)
        start(stack, [nginx, "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx-plain.log")
        wait_for(ports["nginx"])
        servers["plain nginx, the same files"] = ports["nginx"]

        for page, path in paths.items():
            bodies = {name: get(port, path) for name, port in servers.items()}
            reference = bodies["plain nginx, the same files"]
            differ = [name for name, body in bodies.items() if body != reference]
            print(
                f"{page} {path}: {len(reference)} bytes, same bytes from every server: {not differ}"
            )
            for name in differ:
                print(f"  differs: {name}")

        load = os.getloadavg()
        print(
            f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        print(
            f"wrk -t2 -c{args.connections} -d{args.duration}s --latency (a browser's User-Agent)\n"
        )
        runs: dict[tuple[str, str], list[dict]] = {}
        for _round in range(args.rounds):
            for page, path in paths.items():
                for name, port in servers.items():
                    runs.setdefault((page, name), []).append(
                        wrk(
                            f"http://127.0.0.1:{port}{path}",
                            duration=args.duration,
                            connections=args.connections,
                        )
                    )
        results = {
            key: {
                "rps": statistics.median(r["rps"] for r in rounds),
                "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
                "non2xx": sum(r["non2xx"] for r in rounds),
                "socket_errors": " ".join(r["socket_errors"] for r in rounds if r["socket_errors"]),
            }
            for key, rounds in runs.items()
        }
        if args.rounds > 1:
            print(f"median of {args.rounds} rounds, each page and server in turn")
        print("| page | server | requests/s | p99 | of nginx's rate | non-2xx |")
        print("|---|---|---|---|---|---|")
        for page in paths:
            reference = results[(page, "plain nginx, the same files")]["rps"]
            for name in servers:
                r = results[(page, name)]
                share = r["rps"] / reference if reference else 0
                print(
                    f"| {page} | {name} | {r['rps']:,.0f} | {r['p99_ms']:.1f} ms | {share:.0%} "
                    f"| {r['non2xx']} {r['socket_errors']} |"
                )
        load = os.getloadavg()
        print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
