"""Static publishing and the page cache (gongkai.sites.static_publish): after a publish, a
correction or a withdrawal COMMITS, no page — in the tree on disk nor answered by the platform
from it — shows the old state; pages for signed-in staff, forms with a CSRF token, search
results and the 依申请公开 pages are never stored.

The tests run on real commits (``transaction=True``): invalidation happens in
``transaction.on_commit``, which a test wrapped in a transaction never reaches.
"""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.cli import main
from gongkai.publications import services as ps
from gongkai.sites import static_publish as sp
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db(transaction=True)

PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


@pytest.fixture
def tree(settings, tmp_path):
    """A serving process's settings: the page cache on, the tree in a temporary directory."""
    settings.GONGKAI_PAGE_CACHE = True
    settings.GONGKAI_PAGES_DIR = tmp_path / "pages"
    sp._handler = None
    yield settings.GONGKAI_PAGES_DIR
    sp._handler = None


@pytest.fixture
def people(office):
    return {
        "clerk": f.staff("clerk", office, "clerk"),
        "approver": f.staff("approver", office, "approver"),
    }


def make(people, office, title, day=date(2021, 5, 6), **data):
    item = ps.create_draft(
        actor=people["clerk"], agency=office, data=draft_data(title=title, **data)
    )
    walk_to_approved(item, people["clerk"], people["approver"])
    return publish(item, people["clerk"], day=day)


@pytest.fixture
def site(people, office):
    policy = make(people, office, "关于调整城乡低保标准的通知")
    explainer = ps.create_draft(
        actor=people["clerk"],
        agency=office,
        data=draft_data(
            title="低保标准调整政策解读",
            kind="interpretation",
            doc_number="",
            interpretation_form="text",
            explains=[policy.pk],
        ),
    )
    walk_to_approved(explainer, people["clerk"], people["approver"])
    publish(explainer, people["clerk"], day=date(2021, 5, 7))
    return {"policy": policy, "explainer": explainer}


def tree_texts(root: Path) -> dict[str, str]:
    """Every page file of the tree, by its path under the root."""
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".tmp")
    }


def pages_of(office, *items) -> list[str]:
    return ["/", "/gk/", f"/gk/{office.slug}/", *(f"/gk/item/{i.pk}/" for i in items)]


def fetch(client, path):
    response = client.get(path)
    return response.status_code, response.content.decode()


def test_publish_correct_and_withdraw_leave_no_old_page_anywhere(
    tree, site, people, office, django_assert_num_queries
):
    policy, explainer = site["policy"], site["explainer"]
    written, skipped = sp.publish_all()
    assert (written, skipped) == (5, 0)  # home, index, the column, two items
    files = tree_texts(tree)
    assert "关于调整城乡低保标准的通知" in files[f"gk/item/{policy.pk}/index.html"]
    assert "低保标准调整政策解读" in files[f"gk/item/{policy.pk}/index.html"]  # linked
    assert "关于调整城乡低保标准的通知" in files[f"gk/{office.slug}/index.html"]

    # The platform answers from the tree: after the first visit in this process, no query.
    client = Client(HTTP_USER_AGENT=PERSON)
    for path in pages_of(office, policy, explainer):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        status, text = fetch(client, f"/gk/item/{policy.pk}/")
    assert status == 200 and "关于调整城乡低保标准的通知" in text
    assert text == (tree / f"gk/item/{policy.pk}/index.html").read_text(encoding="utf-8")

    # Publish: the column and the index show the new item, and its page is written.
    news = make(people, office, "二〇二一年城乡低保资金发放情况公示", day=date(2021, 6, 1))
    files = tree_texts(tree)
    assert "二〇二一年城乡低保资金发放情况公示" in files[f"gk/{office.slug}/index.html"]
    assert "二〇二一年城乡低保资金发放情况公示" in files[f"gk/item/{news.pk}/index.html"]
    for path in [f"/gk/{office.slug}/", f"/gk/item/{news.pk}/"]:
        assert "二〇二一年城乡低保资金发放情况公示" in fetch(client, path)[1]
    assert "（3）" in fetch(client, "/gk/")[1]  # the agency's count went up

    # Correct the policy's title: no page in the tree, nor answered, has the old one.
    ps.run_step(
        "correct",
        actor=people["clerk"],
        publication=policy,
        reason="标题有误",
        data={"title": "关于提高城乡低保标准的通知"},
    )
    files = tree_texts(tree)
    assert not [name for name, text in files.items() if "关于调整城乡低保标准的通知" in text]
    assert "关于提高城乡低保标准的通知" in files[f"gk/item/{policy.pk}/index.html"]
    assert "关于提高城乡低保标准的通知" in files[f"gk/item/{explainer.pk}/index.html"]
    for path in pages_of(office, policy, explainer, news):
        status, text = fetch(client, path)
        assert status == 200 and "关于调整城乡低保标准的通知" not in text, path
    assert "关于提高城乡低保标准的通知" in fetch(client, f"/gk/{office.slug}/")[1]

    # Withdraw it: its page is gone from the tree and answers 404; no list shows it.
    ps.run_step("withdraw", actor=people["clerk"], publication=policy, reason="已被新文件替代")
    files = tree_texts(tree)
    assert f"gk/item/{policy.pk}/index.html" not in files
    assert not [name for name, text in files.items() if "关于提高城乡低保标准的通知" in text]
    assert client.get(f"/gk/item/{policy.pk}/").status_code == 404
    for path in pages_of(office, explainer, news):
        assert "关于提高城乡低保标准的通知" not in fetch(client, path)[1], path
    assert not (tree / f"gk/item/{policy.pk}/index.html").exists()  # a 404 is never stored


def test_a_change_to_an_agency_empties_the_tree(tree, site, office):
    sp.publish_all()
    office.name = "城口县人民政府办公室（更名）"
    office.save()
    files = tree_texts(tree)
    # The tree was emptied; the serving process wrote the home page and the index again.
    assert set(files) == {"index.html", "gk/index.html"}
    assert "城口县人民政府办公室（更名）" in files["gk/index.html"]
    client = Client(HTTP_USER_AGENT=PERSON)
    assert "城口县人民政府办公室（更名）" in fetch(client, f"/gk/{office.slug}/")[1]
    assert f"gk/{office.slug}/index.html" in tree_texts(tree)  # the visit wrote it


def test_a_render_begun_before_an_invalidation_is_not_stored(tree, site, office):
    path = f"/gk/{office.slug}/"
    since = sp.epoch()
    sp.delete([path])  # a commit's invalidation lands while the page is being rendered
    assert not sp.write(path, b"<p>old</p>", "text/html", since_epoch=since)
    assert not (tree / f"gk/{office.slug}/index.html").exists()
    assert sp.write(path, b"<p>new</p>", "text/html", since_epoch=sp.epoch())
    assert (tree / f"gk/{office.slug}/index.html").read_bytes() == b"<p>new</p>"


def test_pages_for_staff_forms_search_and_applications_are_never_stored(
    tree, site, office, people, monkeypatch
):
    # Signed in: the page has the staff's menu and a logout form; it is neither read from
    # nor written to the tree.
    sp.clear()
    staff = Client(HTTP_USER_AGENT=PERSON)
    staff.force_login(people["clerk"])
    status, text = fetch(staff, "/")
    assert status == 200 and "csrfmiddlewaretoken" in text
    assert not (tree / "index.html").exists()
    sp.publish_all()
    assert "csrfmiddlewaretoken" in fetch(staff, "/")[1]
    assert "csrfmiddlewaretoken" not in (tree / "index.html").read_text(encoding="utf-8")

    anonymous = Client(HTTP_USER_AGENT=PERSON)
    # Search results (a query string) and the 依申请公开 form and status pages: not stored.
    assert anonymous.get("/gk/search/", {"q": "低保"}).status_code == 200
    assert anonymous.get("/apply/").status_code == 200
    assert anonymous.get("/apply/status/").status_code == 200
    assert not (tree / "gk/search").exists() and not (tree / "apply").exists()
    # Even were the form's page named cacheable by mistake, its CSRF token keeps it out.
    monkeypatch.setitem(sp.CACHEABLE, "applications:apply", lambda p: ["/apply/"])
    status, text = fetch(Client(HTTP_USER_AGENT=PERSON), "/apply/")
    assert status == 200 and "csrfmiddlewaretoken" in text
    assert not (tree / "apply").exists()
    # A visitor who chose English is not given the Chinese page from the tree.
    english = Client(HTTP_USER_AGENT=PERSON)
    english.cookies["django_language"] = "en"
    assert '<html lang="en">' in fetch(english, "/")[1]
    assert '<html lang="zh-Hans">' in (tree / "index.html").read_text(encoding="utf-8")


def test_a_visit_answered_from_the_tree_is_counted_for_the_agency_site(tree, site, office):
    from gongkai.sites import services
    from gongkai.sites.models import DailyVisits, Site
    from gongkai.sites.visits import discard, flush

    admin = f.staff("sys", office, "admin")
    main = services.save_site(
        actor=admin, site=Site(agency=office, kind=Site.Kind.MAIN, name="县政府网", slug="main")
    )
    discard()
    path = f"/gk/item/{site['policy'].pk}/"
    client = Client(HTTP_USER_AGENT=PERSON)
    for _ in range(3):
        client.get(path)
    Client(HTTP_USER_AGENT="Baiduspider/2.0").get(path)
    flush()
    assert DailyVisits.objects.get(site=main, path=path).count == 3


def test_publish_static_command_builds_and_clears_the_tree(tree, site, office, capsys):
    assert main(["publish-static"]) == 0
    assert "wrote 5 pages" in capsys.readouterr().out
    assert (tree / f"gk/item/{site['policy'].pk}/index.html").is_file()
    assert main(["publish-static", "--clear"]) == 0
    assert not tree.exists()


def call_wsgi(path: str, cookie: str = "", remote: str = "127.0.0.1", **extra):
    """Call gongkai.wsgi.application — what `gongkai serve` runs — with a GET of ``path``."""
    import io

    from gongkai.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": PERSON,
        "REMOTE_ADDR": remote,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        **({"HTTP_COOKIE": cookie} if cookie else {}),
        **extra,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(headers)

    body = b"".join(application(environ, start_response))
    return started["status"], started["headers"], body.decode()


def test_the_wsgi_front_answers_stored_pages_before_django(
    tree, site, people, office, django_assert_num_queries
):
    policy = site["policy"]
    path = f"/gk/item/{policy.pk}/"
    sp.META.clear()
    status, headers, first = call_wsgi(path)  # not yet known to this process: Django renders
    assert status == 200 and path in sp.META
    with django_assert_num_queries(0):
        status, headers, again = call_wsgi(path)
    assert again == first == (tree / path.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Content-Length"] == str(len(again.encode()))
    # A signed-in visitor's request, or one for another host, goes to Django.
    with CaptureQueriesContext(connection) as queries:
        call_wsgi(path, cookie="sessionid=x")
    assert len(queries) > 0  # Django rendered it
    assert call_wsgi(path, HTTP_HOST="evil.example")[0] == 400
    # After a withdrawal commits, the front has no file: Django answers 404.
    ps.run_step("withdraw", actor=people["clerk"], publication=policy, reason="已被新文件替代")
    assert call_wsgi(path)[0] == 404


def test_a_trusted_proxy_is_believed_and_no_one_else():
    from gongkai.wsgi import TrustedProxy

    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        return [b""]

    front = TrustedProxy(app, "127.0.0.1")
    forwarded = {
        "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "gongkai.example.gov.cn",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1:8000",
    }
    front({"REMOTE_ADDR": "127.0.0.1", **forwarded}, None)
    assert seen["REMOTE_ADDR"] == "198.51.100.7" and seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "gongkai.example.gov.cn"
    seen.clear()
    front({"REMOTE_ADDR": "192.0.2.1", **forwarded}, None)
    assert seen["REMOTE_ADDR"] == "192.0.2.1" and seen["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_FOR" not in seen and seen["HTTP_HOST"] == "127.0.0.1:8000"
