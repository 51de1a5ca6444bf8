"""A bounded, polite link checker for the platform's own public pages.

Internal links are requested in-process through Django's test client (no network, no server
needed); links to /static/ and /media/ are looked up in their storages. External links are off
unless ``MONITORING["EXTERNAL_LINKS"]`` is on; then each is fetched once with a timeout and at
most one request per host every ``HOST_DELAY`` seconds, at most ``EXTERNAL_MAX`` in a run.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings

from gongkai.monitoring.conf import conf

USER_AGENT = "gongkai-monitor/1 (+self-check of the platform's public pages)"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src", "link": "href", "script": "src", "iframe": "src"}
        name = wanted.get(tag)
        for key, value in attrs:
            if key == name and value:
                self.links.append(value.strip())


def links_in(html: str) -> list[str]:
    """Return the link targets in ``html`` (a, img, link, script, iframe), in order."""
    parser = _Links()
    try:
        parser.feed(html or "")
        parser.close()
    except Exception:  # a broken fragment keeps what was parsed before it
        pass
    return parser.links


def _internal_host() -> str:
    host = conf("INTERNAL_HOST")
    if host:
        return host
    for allowed in settings.ALLOWED_HOSTS:
        if allowed and "*" not in allowed and not allowed.startswith("."):
            return allowed
    return "testserver"


@dataclass
class LinkChecker:
    """Answers "is this link dead?" once per target, with a reason."""

    external: bool = False
    sleep: Callable[[float], None] = time.sleep
    results: dict[str, str | None] = field(default_factory=dict)
    _last_hit: dict[str, float] = field(default_factory=dict)
    _external_count: int = 0
    _client: object = None

    @property
    def client(self):
        if self._client is None:
            from django.test import Client

            self._client = Client(raise_request_exception=False, HTTP_HOST=_internal_host())
        return self._client

    @staticmethod
    def kind_of(url: str) -> str:
        """'internal', 'external' or 'ignore' (mailto:, tel:, javascript:, fragments)."""
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "javascript", "data"):
            return "ignore"
        if not parts.scheme and not parts.netloc:
            return "internal" if parts.path else "ignore"
        if parts.scheme in ("http", "https"):
            hosts = {_internal_host(), *settings.ALLOWED_HOSTS}
            return "internal" if parts.hostname in hosts else "external"
        return "ignore"

    def fetch_internal(self, path: str):
        return self.client.get(path)

    def problem(self, url: str, *, base: str = "/") -> str | None:
        """None when ``url`` works, else why not (「404」, 「文件不存在」, 「超时」…)."""
        url = urldefrag(urljoin(base, url))[0]
        kind = self.kind_of(url)
        if kind == "ignore":
            return None
        if kind == "external" and not self.external:
            return None
        if kind == "internal":
            # The platform's own lists link to themselves with filters and pages (by category,
            # by year, page 2 …): the page behind them is checked once, without its query.
            url = urlsplit(url)._replace(query="").geturl()
        if url in self.results:
            return self.results[url]
        found = self._internal(url) if kind == "internal" else self._external(url)
        self.results[url] = found
        return found

    def _internal(self, url: str) -> str | None:
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):
            from django.contrib.staticfiles import finders
            from django.contrib.staticfiles.storage import staticfiles_storage

            name = path[len(settings.STATIC_URL) :]
            if finders.find(name) or staticfiles_storage.exists(name):
                return None
            return "静态文件不存在 / static file missing"
        if settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
            from django.core.files.storage import default_storage

            if default_storage.exists(path[len(settings.MEDIA_URL) :]):
                return None
            return "文件不存在 / file missing"
        response = self.fetch_internal(url)
        if response.status_code >= 400:
            return f"HTTP {response.status_code}"
        return None

    def _external(self, url: str) -> str | None:
        if self._external_count >= conf("EXTERNAL_MAX"):
            return None
        self._external_count += 1
        host = urlsplit(url).hostname or ""
        wait = self._last_hit.get(host, 0) + conf("HOST_DELAY") - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last_hit[host] = time.monotonic()
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT}, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=conf("EXTERNAL_TIMEOUT")) as response:
                if response.status >= 400:
                    return f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            return f"无法访问 / unreachable: {getattr(error, 'reason', error)}"
        return None


@dataclass(frozen=True)
class DeadLink:
    page: str
    target: str
    reason: str


def crawl(checker: LinkChecker, *, start: list[str], max_pages: int) -> Iterator[DeadLink | int]:
    """Walk the public pages breadth-first from ``start`` (at most ``max_pages`` pages, skipping
    the prefixes of ``CRAWL_SKIP_PREFIXES``), yielding each dead link, and finally the number of
    pages read."""
    skip = tuple(conf("CRAWL_SKIP_PREFIXES"))
    queue = list(start)
    seen: set[str] = set(queue)
    pages = 0
    while queue and pages < max_pages:
        path = queue.pop(0)
        response = checker.fetch_internal(path)
        pages += 1
        if response.status_code >= 400:
            checker.results[path] = f"HTTP {response.status_code}"
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode(response.charset or "utf-8", "replace")
        for link in links_in(html):
            target = urldefrag(urljoin(path, link))[0]
            reason = checker.problem(target, base=path)
            if reason:
                yield DeadLink(path, target, reason)
                continue
            if checker.kind_of(target) != "internal":
                continue
            local = urlsplit(target).path
            if urlsplit(target).query:
                continue  # filters and pages of lists: the first page is enough
            if local in seen or local.startswith(skip) or local.startswith(settings.STATIC_URL):
                continue
            if settings.MEDIA_URL and local.startswith(settings.MEDIA_URL):
                continue
            seen.add(local)
            queue.append(local)
    yield pages
