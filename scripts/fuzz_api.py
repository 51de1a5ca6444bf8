"""Fuzz the REST API with schemathesis against a live server, and count the 5xx answers.

    uv run python scripts/fuzz_api.py                      # SQLite, in a temporary data dir
    uv run python scripts/fuzz_api.py --database-url postgres://postgres@127.0.0.1:5432/gongkai_fuzz

It loads the demo county into a fresh data directory (and, for PostgreSQL, a database of that
name, dropped and created anew), makes an API token for the demo clerk, serves the site with
``gongkai demo`` on a free port (rate limits raised so the fuzzer reaches the code behind
them), and runs ``schemathesis run /api/v1/openapi.json`` twice: without a token and with the
clerk's. It prints, per run, the test cases generated, the failures schemathesis reports by
kind, and the 5xx answers — counted from the server's own log ("Internal Server Error"), so a
500 cannot hide behind a check that is switched off. Exit status 1 when any 5xx was seen.
The figures go to docs/security.md with the date.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from _common import fresh_postgres, gongkai


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen) -> None:
    while process.poll() is None:
        try:
            urllib.request.urlopen(url).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise SystemExit(f"the server exited with status {process.returncode}")


def schemathesis(url: str, headers: list[str], max_examples: int, seed: int) -> dict:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        url,
        "--max-examples",
        str(max_examples),
        "--workers",
        "1",
        "--seed",
        str(seed),
        "--no-color",
        "--checks",
        "all",
        "--continue-on-failure",
    ]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run(command, capture_output=True, text=True)
    out = result.stdout + result.stderr
    generated = re.search(r"(\d+) generated", out)
    failures = dict(
        (name.strip(), int(count)) for name, count in re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", out)
    )
    return {"cases": int(generated.group(1)) if generated else None, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-fuzz-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        GONGKAI_DATA_DIR=str(data_dir),
        GONGKAI_APPLY_RATE_LIMIT="1000000",
        GONGKAI_STATUS_RATE_LIMIT="1000000",
    )
    if args.database_url:
        fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    gongkai(env, "demo", "--no-serve")
    token = re.search(r"gk_\S+", gongkai(env, "manage", "create_api_token", "clerk")).group(0)

    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        wait_for(schema, server)
        database = "PostgreSQL" if args.database_url else "SQLite"
        total_5xx = 0
        for label, headers in [
            ("no token", []),
            ("staff token", [f"Authorization: Bearer {token}"]),
        ]:
            before = log_path.read_text().count("Internal Server Error")
            run = schemathesis(schema, headers, args.max_examples, args.seed)
            errors = log_path.read_text().count("Internal Server Error") - before
            total_5xx += errors
            print(f"{database}, {label}: {run['cases']} test cases, 5xx: {errors}")
            for name, count in sorted(run["failures"].items()):
                print(f"    {name}: {count}")
    finally:
        server.terminate()
        server.wait()
    return 1 if total_5xx else 0


if __name__ == "__main__":
    raise SystemExit(main())
