"""The shipped nginx configuration (deploy/nginx/gongkai.conf), run for real: nginx on a free
loopback port in front of a running platform serves a published page from the page tree, passes
a dynamic request (a search, a signed-in visitor) to the platform, and after a publish commits
serves the new state.

Needs the ``nginx`` binary (Debian: ``nginx-light``); skipped with a message without it, and
required when GONGKAI_REQUIRE_BROWSER=1 (as CI runs the browser tests).
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from gongkai.publications import services as ps
from gongkai.sites import static_publish as sp
from gongkai.sites import visit_log, visits
from gongkai.sites.models import DailyVisits, PageSite, Site
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "gongkai.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)
PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"

if NGINX is None:
    if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
        raise RuntimeError(
            "GONGKAI_REQUIRE_BROWSER=1 but nginx is not installed (apt-get install nginx-light)"
        )
    pytestmark = pytest.mark.skip(
        reason="nginx 未安装，跳过 nginx 配置测试 / nginx is not installed "
        "(apt-get install nginx-light): the shipped nginx configuration is not tested"
    )
else:
    pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(tmp: Path, *, port: int, pages: Path, static: Path, upstream: str) -> Path:
    """The shipped server block with its CHANGE lines set, inside a minimal nginx.conf."""
    server = CONF.read_text(encoding="utf-8")
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /var/lib/gongkai/pages;", f"root {pages};"),
        ("alias /var/lib/gongkai/static/;", f"alias {static}/;"),
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("/var/log/nginx/gongkai-visits.log", f"{tmp}/visits.log"),
    ]:
        assert old in server, f"deploy/nginx/gongkai.conf no longer has {old!r}"
        server = server.replace(old, new)
    (tmp / "gongkai.conf").write_text(server, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = tmp / "nginx.conf"
    main.write_text(
        f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/gongkai.conf;
}}
""",
        encoding="utf-8",
    )
    return main


def get(url: str, cookie: str = "", agent: str = PERSON) -> tuple[int, dict[str, str], str]:
    headers = {"User-Agent": agent}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def nginx(settings, tmp_path, live_server):
    settings.GONGKAI_PAGE_CACHE = True
    settings.GONGKAI_PAGES_DIR = tmp_path / "pages"
    sp._handler = None
    static = tmp_path / "static"
    (static / "portal").mkdir(parents=True)
    (static / "portal" / "probe.css").write_text("body{}")
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    conf = nginx_conf(
        tmp_path, port=port, pages=settings.GONGKAI_PAGES_DIR, static=static, upstream=upstream
    )
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    while True:  # until nginx listens (it starts in milliseconds), or has exited
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {process.stderr.read().decode()}")
            time.sleep(0.05)
    try:
        yield base
    finally:
        process.terminate()
        process.wait()
        sp._handler = None


def make(clerk, approver, office, title, day):
    item = ps.create_draft(actor=clerk, agency=office, data=draft_data(title=title))
    walk_to_approved(item, clerk, approver)
    return publish(item, clerk, day=day)


def test_nginx_serves_the_tree_falls_back_to_the_platform_and_sees_a_publish(nginx, office):
    clerk = f.staff("clerk", office, "clerk")
    approver = f.staff("approver", office, "approver")
    policy = make(clerk, approver, office, "关于调整城乡低保标准的通知", date(2021, 5, 6))
    sp.publish_all()
    item_file = django_settings.GONGKAI_PAGES_DIR / f"gk/item/{policy.pk}/index.html"
    assert item_file.is_file()

    # A page of the tree: nginx answers it itself, with the platform's security headers.
    status, headers, text = get(f"{nginx}/gk/item/{policy.pk}/")
    assert status == 200 and headers.get("X-Gongkai-Static") == "1"
    assert text == item_file.read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    # The same page asked with a query string, or by a visitor with a session or in English,
    # goes to the platform.
    for url, cookie in [
        (f"{nginx}/gk/search/?q=低保".replace("低保", "%E4%BD%8E%E4%BF%9D"), ""),
        (f"{nginx}/gk/item/{policy.pk}/", "sessionid=abc"),
        (f"{nginx}/", "csrftoken=x; django_language=en"),
    ]:
        status, headers, text = get(url, cookie)
        assert status == 200 and "X-Gongkai-Static" not in headers, url
    found = get(f"{nginx}/gk/search/?q=%E4%BD%8E%E4%BF%9D")[2]
    assert "关于调整城乡<mark>低保</mark>标准的通知" in found
    assert '<html lang="en">' in get(f"{nginx}/", "django_language=en")[2]
    assert '<html lang="zh-Hans">' in get(f"{nginx}/", "django_language=zh-hans")[2]
    # A dynamic page nginx has no file for (the 依申请公开 form) comes from the platform.
    status, headers, text = get(f"{nginx}/apply/")
    assert status == 200 and "csrfmiddlewaretoken" in text and "X-Gongkai-Static" not in headers
    assert get(f"{nginx}/static/portal/probe.css")[2] == "body{}"
    # A page not yet in the tree: the platform renders it, and writes it for the next visitor.
    (django_settings.GONGKAI_PAGES_DIR / f"gk/{office.slug}/index.html").unlink()
    status, headers, text = get(f"{nginx}/gk/{office.slug}/")
    assert status == 200 and "X-Gongkai-Static" not in headers
    status, headers, again = get(f"{nginx}/gk/{office.slug}/")
    assert "X-Gongkai-Static" in headers and again == text

    # Publish and correct through the services: nginx serves the new state at once.
    news = make(clerk, approver, office, "二〇二一年城乡低保资金发放情况公示", date(2021, 6, 1))
    status, headers, text = get(f"{nginx}/gk/{office.slug}/")
    assert headers.get("X-Gongkai-Static") == "1" and "二〇二一年城乡低保资金发放情况公示" in text
    assert "二〇二一年城乡低保资金发放情况公示" in get(f"{nginx}/gk/item/{news.pk}/")[2]
    ps.run_step(
        "correct",
        actor=clerk,
        publication=policy,
        reason="标题有误",
        data={"title": "关于提高城乡低保标准的通知"},
    )
    for path in ["/", "/gk/", f"/gk/{office.slug}/", f"/gk/item/{policy.pk}/"]:
        text = get(f"{nginx}{path}")[2]
        assert "关于调整城乡低保标准的通知" not in text, path
    assert "关于提高城乡低保标准的通知" in get(f"{nginx}/gk/item/{policy.pk}/")[2]
    ps.run_step("withdraw", actor=clerk, publication=policy, reason="已被新文件替代")
    assert get(f"{nginx}/gk/item/{policy.pk}/")[0] == 404
    assert "关于提高城乡低保标准的通知" not in get(f"{nginx}/gk/{office.slug}/")[2]


def test_visits_nginx_sends_from_the_tree_are_counted_from_its_log(nginx, office, tmp_path):
    site = Site.objects.create(
        agency=office, kind=Site.Kind.MAIN, name="城口县人民政府网", slug="ck"
    )
    clerk = f.staff("clerk", office, "clerk")
    approver = f.staff("approver", office, "approver")
    item = make(clerk, approver, office, "关于调整城乡低保标准的通知", date(2021, 5, 6))
    sp.publish_all()
    page = f"/gk/item/{item.pk}/"
    # Storing the page recorded the site its visits count for.
    assert PageSite.objects.get(path=page).site_id == site.pk
    log = tmp_path / "visits.log"

    def counted() -> int:
        visits.flush()  # what the platform counted itself, written
        return sum(DailyVisits.objects.filter(site=site, path=page).values_list("count", flat=True))

    def logged(n: int) -> list[str]:
        # nginx writes its lines after sending the answers, buffered (at most 5 s): wait.
        while len(lines := log.read_text(encoding="utf-8").splitlines()) < n:
            time.sleep(0.01)
        return lines

    # Requests nginx passes to the platform: the platform counts them, they are not in the log.
    assert get(f"{nginx}{page}", cookie="sessionid=abc")[0] == 200
    assert get(f"{nginx}/gk/search/?q=x")[0] == 200
    assert get(f"{nginx}{page}?x=1")[0] == 200
    before = counted()
    for _ in range(3):  # a person, three times, answered by nginx from the tree
        assert get(f"{nginx}{page}")[1].get("X-Gongkai-Static") == "1"
    assert get(f"{nginx}{page}", agent="Baiduspider/2.0")[0] == 200  # a robot
    lines = logged(4)
    assert len(lines) == 4, lines  # only what nginx sent from the tree, no address in a line
    assert all(line.split("\t")[3] == page and "127.0.0.1" not in line for line in lines)

    # A dry run counts without writing.
    assert visit_log.count_log(log, dry_run=True).counted == 3
    assert counted() == before
    tally = visit_log.count_log(log)
    assert (tally.lines, tally.counted, tally.robots) == (4, 3, 1)
    assert counted() == before + 3
    # Read again: nothing new, nothing counted twice.
    assert visit_log.count_log(log).lines == 0
    assert counted() == before + 3
    # A half-written last line waits for the next run; a page the platform never stored
    # (no known site) is not counted.
    # Counting changed no page: nginx still answers it from the tree.
    assert get(f"{nginx}{page}")[1].get("X-Gongkai-Static") == "1"
    logged(5)
    with log.open("a", encoding="utf-8") as handle:
        handle.write("2021-05-06T10:00:00+08:00\t200\tGET\t/nowhere/\tMozilla/5.0\n")
        handle.write("2021-05-06T10:00:01+08:00\t200\tGET\t")
    tally = visit_log.count_log(log)
    assert (tally.lines, tally.counted, tally.unknown_pages) == (2, 1, 1)
    assert counted() == before + 4
    # Rotated (logrotate renames the file, nginx reopens a new one): the rest of the old file,
    # then the new file from its start.
    with log.open("a", encoding="utf-8") as handle:
        handle.write(
            f"/nowhere/\tMozilla/5.0\n2021-05-06T10:00:02+08:00\t200\tGET\t{page}\tMozilla/5.0\n"
        )
    log.rename(tmp_path / "visits.log.1")
    log.write_text(f"2021-05-07T09:00:00+08:00\t304\tGET\t{page}\tMozilla/5.0\n")
    tally = visit_log.count_log(log)
    assert (tally.lines, tally.counted, tally.unknown_pages) == (3, 2, 1)
    assert counted() == before + 6
    assert DailyVisits.objects.get(site=site, path=page, day=date(2021, 5, 7)).count == 1
