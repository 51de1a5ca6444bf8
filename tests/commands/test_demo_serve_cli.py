"""``gongkai demo`` and ``gongkai serve`` as a person runs them: real processes, a real port.

Each test uses its own data directory and the embedded SQLite database (DATABASE_URL is removed
from the child's environment, so a PostgreSQL test run never loads demo data into a real DB).
The first `gongkai demo` is the session's ``demo_installation`` (tests/conftest.py), which other
tests copy; the second runs on a copy of it and serves, for two tests.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.installation import copy_installation


def gongkai_env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    env.pop("SECRET_KEY", None)
    return env


def gongkai(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=gongkai_env(data_dir),
        capture_output=True,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_dir(demo_installation) -> tuple[Path, subprocess.CompletedProcess]:
    return demo_installation


def test_demo_creates_the_database_and_prints_the_logins(demo_dir):
    data_dir, result = demo_dir
    assert result.returncode == 0, result.stderr
    assert (data_dir / "gongkai.sqlite3").exists()
    assert (data_dir / "secret_key").exists()
    assert (data_dir / "static" / "portal" / "site.css").exists()
    out = result.stdout
    assert "http://127.0.0.1:8000/" in out
    assert "gongkai-demo" in out  # the shared password
    for username, agency in [
        ("clerk", "城口县人民政府办公室"),
        ("gaj-clerk", "城口县公安局"),
        ("admin", ""),
    ]:
        assert any(line.split()[:1] == [username] and agency in line for line in out.splitlines())
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def demo_again(demo_dir, tmp_path_factory) -> tuple[int, str, str]:
    """`gongkai demo --port PORT` run again over a copy of the loaded demo, until it serves
    ``/accounts/login/``; then stopped. Returns the port, and what it printed before serving
    (unbuffered, into a file) and its stderr."""
    source, first = demo_dir
    assert first.returncode == 0, first.stderr
    data_dir = copy_installation(source, tmp_path_factory.mktemp("demo-again"))
    port = free_port()
    out_path = data_dir.parent / "demo-again.out"
    err_path = data_dir.parent / "demo-again.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "demo", "--port", str(port)],
            env={**gongkai_env(data_dir), "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=err,
            text=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/accounts/login/", process, err_path)
        finally:
            process.terminate()
            process.wait()
    return port, out_path.read_text(), err_path.read_text()


def test_demo_twice_is_idempotent(demo_again):
    port, stdout, stderr = demo_again
    assert "created or updated: 0" in stdout, stderr
    assert "0 个新建 / created" in stdout
    assert f"http://127.0.0.1:{port}/" in stdout


def wait_for(url: str, process: subprocess.Popen, stderr_path: Path | None = None) -> None:
    """Wait until the server answers, or fail when it exits (no wall-clock limit: a busy
    machine may take long to start it). Its stderr is a pipe, or the file ``stderr_path``."""
    while True:
        if process.poll() is not None:
            stderr = stderr_path.read_text() if stderr_path else process.stderr.read()
            raise AssertionError(f"server exited with {process.returncode}: {stderr}")
        try:
            urllib.request.urlopen(url).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)


@pytest.fixture(scope="module")
def production_dir(demo_dir, tmp_path_factory) -> Path:
    """A copy of the demo's data directory whose accounts no longer have the demo password."""
    source, _first = demo_dir
    data_dir = tmp_path_factory.mktemp("production")
    for name in ("gongkai.sqlite3", "secret_key", "data_keys.json"):  # the data and its keys
        shutil.copy(source / name, data_dir / name)
    changed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from gongkai.accounts.models import User\n"
            "for user in User.objects.all():\n"
            "    user.set_password('a-real-password-' + user.username); user.save()",
        ],
        env={**gongkai_env(data_dir), "DJANGO_SETTINGS_MODULE": "gongkai.settings"},
        capture_output=True,
        text=True,
    )
    assert changed.returncode == 0, changed.stderr
    return data_dir


def test_serve_refuses_accounts_with_the_demo_password(demo_dir):
    data_dir, _first = demo_dir
    result = gongkai(data_dir, "serve", "--port", str(free_port()))
    assert result.returncode == 2, result.stderr
    assert "仍使用公开的演示密码" in result.stderr and "demo password" in result.stderr
    assert "admin" in result.stderr and "clerk" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_serves_the_site_and_its_static_files(production_dir):
    data_dir = production_dir
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--threads", "2"],
        env=gongkai_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/static/portal/site.css", process)
        with urllib.request.urlopen(base + "/") as response:
            assert response.status == 200
            assert "城口县人民政府" in response.read().decode()
        with urllib.request.urlopen(base + "/static/portal/site.css") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/css")
            assert b"font-family" in response.read()
        with urllib.request.urlopen(base + "/accounts/login/") as response:
            assert "工作人员登录" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(base + "/no-such-page/")
        assert caught.value.code == 404
    finally:
        process.terminate()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = gongkai(tmp_path, "serve", "--port", str(free_port()))
    assert result.returncode == 2
    assert "gongkai manage migrate" in result.stderr
    assert "迁移尚未应用" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_reports_a_port_in_use(production_dir):
    data_dir = production_dir
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = gongkai(data_dir, "serve", "--port", str(busy.getsockname()[1]))
    assert result.returncode == 2
    assert "无法在 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_still_serves_with_its_published_password(demo_again):
    """`gongkai demo` (without --no-serve) serves although every account has the demo password,
    which `gongkai serve` refuses: :func:`demo_again` reached its login page."""
    port, stdout, _stderr = demo_again
    assert f"http://127.0.0.1:{port}/" in stdout
    assert "gongkai-demo" in stdout  # the demo password is printed, and kept
