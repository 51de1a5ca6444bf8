"""On the demo county: the home page and every link on it answer, the pages it leads to name no
outside host, sitemap.xml lists every published item (an index of files above 50,000 URLs) and
every column's feed is Atom (RFC 4287) read with a real XML parser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from gongkai.publications.models import Publication, State
from gongkai.sites.models import Column

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "testserver"


class Links(HTMLParser):
    """Every URL a page references: href, src, action, srcset, and url(...) in style."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in {"href", "src", "action", "formaction", "poster", "data"}:
                self.urls.append((tag, name, value))
            elif name == "srcset":
                self.urls += [(tag, name, part.split()[0]) for part in value.split(",") if part]
            elif name == "style":
                self.urls += [(tag, name, u) for u in re.findall(r"url\(['\"]?([^)'\"]+)", value)]


def links_of(html: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.urls


def outside(url: str) -> bool:
    """A URL that would make the browser fetch from or go to a host other than the platform."""
    parts = urlsplit(url)
    if parts.scheme in {"mailto", "tel"}:
        return False
    return bool(parts.netloc) and parts.hostname != HOST


def test_home_and_every_link_on_it_answer_and_nothing_is_from_outside(demo_county):
    client = Client()
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    urls = {urljoin("/", u) for tag, _name, u in links_of(html) if not outside(u)}
    urls = {u.split("#")[0] for u in urls if not u.startswith(("mailto:", "tel:"))}
    assert len(urls) > 40  # the columns, the parts and every agency of the directory
    assert "/gk/parts/guide/" in urls
    seen = {}
    for url in sorted(urls):
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            page = response.content.decode()
            foreign = [(t, n, u) for t, n, u in links_of(page) if outside(u)]
            assert foreign == [], (url, foreign)
    bad = {u: code for u, code in seen.items() if code >= 400 and code != 405}
    assert bad == {}
    assert [(t, n, u) for t, n, u in links_of(html) if outside(u)] == []


def test_the_sitemap_is_an_index_of_files_listing_every_published_item(demo_county):
    client = Client()
    published = set(Publication.objects.filter(state=State.PUBLISHED).values_list("pk", flat=True))
    assert len(published) > 50_000  # the demo needs an index
    index = ET.fromstring(b"".join(client.get("/sitemap.xml").streaming_content))
    assert index.tag == f"{SITEMAP}sitemapindex"
    files = [e.text for e in index.iter(f"{SITEMAP}loc")]
    assert len(files) == 3  # the pages and two files of items
    found: list[int] = []
    for loc in files:
        response = client.get(urlsplit(loc).path)
        assert response.status_code == 200
        urlset = ET.fromstring(b"".join(response.streaming_content))
        locs = [e.text for e in urlset.iter(f"{SITEMAP}loc")]
        assert 0 < len(locs) <= 50_000
        found += [int(m.group(1)) for loc_ in locs if (m := re.search(r"/gk/item/(\d+)/$", loc_))]
    assert len(found) == len(set(found)) and set(found) == published


def test_every_column_feed_of_the_main_site_is_atom(demo_county):
    client = Client()
    columns = Column.objects.filter(site__kind="main").select_related("site")
    assert columns
    with_entries = 0
    for column in columns:
        response = client.get(f"/sites/{column.site.slug}/{column.slug}/feed.atom")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert (
                feed.find(f"{ATOM}{required}") is not None and feed.find(f"{ATOM}{required}").text
            )
        entries = feed.findall(f"{ATOM}entry")
        with_entries += bool(entries)
        for entry in entries:
            for required in ("id", "title", "updated"):
                assert entry.find(f"{ATOM}{required}").text, required
            link = entry.find(f"{ATOM}link")
            assert link is not None and "/gk/item/" in link.get("href")
            # the link leads to the item page
            assert client.get(urlsplit(link.get("href")).path).status_code == 200
    assert with_entries
