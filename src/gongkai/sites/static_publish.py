"""Static publishing of the anonymous portal pages, and the page cache built on it.

Government CMSes publish a site as files: when an item is published, the pages it appears on are
written to a directory a web server serves, and the platform answers only what is dynamic. gongkai
does the same (docs/static-publishing.md). The *page tree* (``GONGKAI_PAGES_DIR``, by default
``<data dir>/pages``) holds one file per anonymous page: ``/`` is ``index.html``,
``/gk/item/5/`` is ``gk/item/5/index.html``. Three parties use it:

- nginx (``deploy/nginx/gongkai.conf``) serves a file when it exists and the request is an
  anonymous GET without a query string, and passes everything else to the platform;
- the platform's own server reads the same files first (:class:`PageCacheMiddleware`, placed
  first in ``MIDDLEWARE``) and writes a page on a miss, so the tree fills itself;
- ``gongkai publish-static`` (re)builds the whole tree.

Only the views named in :data:`CACHEABLE` are ever stored, and a response only when it is a
``200`` without cookies, without a CSRF token, without the request's CSP nonce and not marked
private or ``no-store``; a request is served from the tree only when it carries no session, no
message and no non-default language cookie. Pages for signed-in staff, forms, search results
and the 依申请公开 pages are therefore never stored.

Invalidation: every save or delete of a published (or withdrawn) item, its attachments,
placements and links is noted, and when the transaction COMMITS (``transaction.on_commit``) the
pages it appears on (:func:`affected_paths`) are deleted — and, in a serving process, written
again at once. Any other change of the data the pages show (agencies, sites, taxonomies, the
annual reports list …) empties the tree. A page rendered while a commit was under way could
carry the old state: every write checks an *epoch* that each invalidation raises, under a file
lock, and a render that began before the invalidation is thrown away instead of stored.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
import shutil
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

logger = logging.getLogger(__name__)

#: Key of the WSGI environment (never sent by a client: clients' headers arrive as HTTP_*) that makes the
#: middleware render a page afresh and store it, whatever is in the tree.
REFRESH = "gongkai.pagecache.refresh"

#: Content types stored, and the file name of a page whose path ends in "/".
INDEX_NAMES = {
    "text/html": "index.html",
    "application/atom+xml": "index.atom",
    "application/xml": "index.xml",
    "text/xml": "index.xml",
}
SAFE_PATH = re.compile(r"^/(?:[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9]+)?/?)*$")

#: Headers of a stored page that the platform sends again on a hit (nginx sets its own).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)

# --- which pages -----------------------------------------------------------------------------

#: URL names whose anonymous pages are stored, each with the function that lists, for a
#: published or withdrawn item, the paths of those pages it appears on. A helper app adds its
#: pages with :func:`register` (e.g. a sitemap or a column's Atom feed).
CACHEABLE: dict[str, Callable[[object], Iterable[str]]] = {}
#: For ``gongkai publish-static``: URL name -> every path of its pages.
EVERY: dict[str, Callable[[], Iterable[str]]] = {}


def register(
    url_name: str,
    affected: Callable[[object], Iterable[str]],
    every: Callable[[], Iterable[str]] | None = None,
) -> None:
    """Store the anonymous pages of ``url_name``; ``affected(publication)`` names the paths of
    those pages that show the item (called when a change to it commits), ``every()`` all of
    them (for a full build; default: ``affected`` of no item)."""
    CACHEABLE[url_name] = affected
    EVERY[url_name] = every or (lambda: affected(None))


def _path(name: str, *args: object) -> list[str]:
    try:
        return [reverse(name, args=args)]
    except NoReverseMatch:
        return []


def _agencies(publication) -> list:
    agencies = [publication.agency]
    if publication.pk:
        agencies += list(publication.co_issuers.all())
    return agencies


def _all_columns() -> Iterator[str]:
    from gongkai.agencies.models import Agency

    for slug in list(Agency.objects.exclude(slug="").values_list("slug", flat=True)):
        yield from _path("sites:ogi_column", slug)


def _all_items() -> Iterator[str]:
    from gongkai.publications.selectors import published

    # A list, not a cursor kept open while each page is rendered on the same connection.
    for pk in list(published().order_by("pk").values_list("pk", flat=True)):
        yield from _path("sites:publication", pk)


register("portal:home", lambda p: _path("portal:home"))
register("sites:ogi_index", lambda p: _path("sites:ogi_index"))
register(
    "sites:ogi_column",
    lambda p: [path for a in _agencies(p) if a.slug for path in _path("sites:ogi_column", a.slug)],
    _all_columns,
)


def _item_pages(publication) -> list[str]:
    paths = _path("sites:publication", publication.pk)
    if publication.pk:
        # An item's page lists its interpretations, and an interpretation's what it explains.
        for other in [*publication.interpretations.all(), *publication.explains.all()]:
            paths += _path("sites:publication", other.pk)
    return paths


register("sites:publication", _item_pages, _all_items)


def affected_paths(publication) -> set[str]:
    """Every stored page that shows ``publication`` (or showed it before a withdrawal)."""
    paths: set[str] = set()
    for affected in CACHEABLE.values():
        paths.update(affected(publication))
    return paths


# --- the tree on disk ------------------------------------------------------------------------


def pages_dir() -> Path:
    return Path(getattr(settings, "GONGKAI_PAGES_DIR", settings.DATA_DIR / "pages"))


def _state_dir() -> Path:
    root = pages_dir()
    return root.with_name(root.name + ".state")


def enabled() -> bool:
    """Whether this process serves pages from the tree and stores them (``gongkai serve``)."""
    return bool(getattr(settings, "GONGKAI_PAGE_CACHE", False))


_thread_lock = threading.RLock()


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """The tree's lock, shared by every process on the machine (and by this process's threads)."""
    state = _state_dir()
    state.mkdir(parents=True, exist_ok=True)
    with _thread_lock, open(state / "lock", "a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover - the county's Windows server
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def epoch() -> int:
    """The number of invalidations so far (a write that began under an older one is dropped)."""
    try:
        return int((_state_dir() / "epoch").read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _bump_epoch() -> None:
    state = _state_dir()
    state.mkdir(parents=True, exist_ok=True)
    tmp = state / f"epoch.{uuid.uuid4().hex}"
    tmp.write_text(str(epoch() + 1))
    os.replace(tmp, state / "epoch")


def file_for(path: str, content_type: str = "text/html") -> Path | None:
    """The file of the page at URL ``path`` in the tree, or None for a path never stored."""
    if not SAFE_PATH.match(path) or "//" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if path.endswith("/"):
        name = INDEX_NAMES.get(content_type)
        if name is None:
            return None
        parts.append(name)
    elif not parts:
        return None
    return pages_dir().joinpath(*parts)


def stored_files(path: str) -> list[Path]:
    """Every file the tree may hold for URL ``path`` (one per stored content type)."""
    if not path.endswith("/"):
        found = file_for(path)
        return [found] if found else []
    return [f for f in {file_for(path, t) for t in INDEX_NAMES} if f is not None]


def read(path: str) -> tuple[bytes, str] | None:
    """The stored page at ``path`` and its content type, or None."""
    for content_type, _name in INDEX_NAMES.items():
        file = file_for(path, content_type)
        if file is None:
            return None
        try:
            return file.read_bytes(), content_type
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            if not path.endswith("/"):
                return None
    return None


def write(path: str, content: bytes, content_type: str, *, since_epoch: int) -> bool:
    """Store ``content`` as the page at ``path`` unless an invalidation happened since
    ``since_epoch`` (the render may show the old state); return whether it was stored."""
    file = file_for(path, content_type)
    if file is None:
        return False
    with _locked():
        if epoch() != since_epoch:
            return False
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, file)
    return True


def delete(paths: Iterable[str]) -> int:
    """Raise the epoch and delete the pages at ``paths``; return how many files went."""
    removed = 0
    with _locked():
        _bump_epoch()
        for path in paths:
            for file in stored_files(path):
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                    file.unlink()
                    removed += 1
    return removed


def clear() -> None:
    """Raise the epoch and empty the whole tree."""
    root = pages_dir()
    with _locked():
        _bump_epoch()
        if not root.exists():
            return
        gone = root.with_name(f"{root.name}.old-{uuid.uuid4().hex}")
        os.replace(root, gone)
    shutil.rmtree(gone, ignore_errors=True)


# --- rendering a page without a client -------------------------------------------------------

_handler = None
_handler_lock = threading.Lock()


def public_url() -> tuple[str, str]:
    """(scheme, host) pages are rendered for outside a request: GONGKAI_PUBLIC_URL."""
    url = getattr(settings, "GONGKAI_PUBLIC_URL", "") or "http://localhost"
    scheme, _sep, rest = url.partition("://")
    return scheme or "http", rest.strip("/") or "localhost"


def refresh(path: str) -> int:
    """Render the anonymous page at ``path`` through the whole application and store it if it
    may be stored; return its status code."""
    global _handler
    from django.core.handlers.base import BaseHandler
    from django.core.handlers.wsgi import WSGIRequest

    with _handler_lock:
        if _handler is None:
            # BaseHandler, not WSGIHandler: no request_started/finished signals, so a page
            # rendered inside another request (a publish's on_commit) leaves its connection be.
            handler = BaseHandler()
            handler.load_middleware()
            _handler = handler
    scheme, host = public_url()
    wsgi_env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host.split(":")[0],
        "SERVER_PORT": "443" if scheme == "https" else "80",
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        REFRESH: True,
    }
    # Not response.close(): it sends request_finished, which closes the database connection
    # of the request this page may be rendered inside (a publish's on_commit).
    return _handler.get_response(WSGIRequest(wsgi_env)).status_code


def all_paths() -> Iterator[str]:
    """Every page of the tree: home, the 政府信息公开 index, every agency's column, every
    published item, and the pages helper apps registered."""
    for every in EVERY.values():
        yield from every()


def publish_all(*, out: Callable[[str], None] = lambda _line: None) -> tuple[int, int]:
    """Empty the tree and write every page again; return (pages written, pages skipped)."""
    clear()
    written = skipped = 0
    for path in all_paths():
        if refresh(path) == 200 and read(path) is not None:
            written += 1
        else:
            skipped += 1
            out(f"跳过 / skipped {path}")
    return written, skipped


# --- invalidation on commit ------------------------------------------------------------------

_pending = threading.local()


def _active() -> bool:
    """Whether a tree exists (or this process keeps one): otherwise there is nothing to clean."""
    return enabled() or _state_dir().exists()


def _note(paths: Iterable[str] | None) -> None:
    """Remember pages to invalidate (None: the whole tree) when the transaction commits.

    Every change registers a callback; the first to run after the commit does the work for
    all (the others find nothing left). Pages noted in a transaction that rolled back are
    invalidated at the next commit: one render too many, never a stale page."""
    state = getattr(_pending, "value", None)
    if state is None:
        state = _pending.value = {"paths": set(), "all": False}
    if paths is None:
        state["all"] = True
    else:
        state["paths"].update(paths)
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    state = getattr(_pending, "value", None)
    _pending.value = None
    if not state or not (state["all"] or state["paths"]):
        return
    if state["all"]:
        clear()
        again = [*_path("portal:home"), *_path("sites:ogi_index")]
    else:
        delete(state["paths"])
        again = sorted(state["paths"])
    if enabled():
        # "Publishing writes the affected pages": a serving process renders them at once.
        for path in again:
            try:
                refresh(path)
            except Exception:  # the page is gone from the tree; a visit renders it
                logger.exception("static page %s not rewritten", path)


def publication_changed(publication) -> None:
    """Note the pages showing ``publication`` if it is (or was) public."""
    from gongkai.publications.models import State

    if publication.state in (State.PUBLISHED, State.WITHDRAWN) and _active():
        _note(affected_paths(publication))


#: Apps whose data the stored pages show: a change to any of their other models empties the tree.
WATCHED_APPS = {"agencies", "publications", "sites"}
#: Models of those apps that no stored page shows (changed often; must not empty the tree):
#: visit counts, the pages' sites and what was read of nginx's log, versions.
IGNORED_MODELS = {
    "sites.dailyvisits",
    "sites.visitlog",
    "sites.pagesite",
    "publications.version",
}


def _on_change(sender, instance, **kwargs) -> None:
    from gongkai.publications.models import Attachment, Placement, Publication

    if isinstance(instance, Publication):
        publication_changed(instance)
    elif isinstance(instance, (Attachment, Placement)):
        with contextlib.suppress(Publication.DoesNotExist):
            publication_changed(instance.publication)
    elif (
        sender._meta.app_label in WATCHED_APPS
        and sender._meta.label_lower not in IGNORED_MODELS
        and not kwargs.get("raw")
        and _active()
    ):
        _note(None)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    from gongkai.publications.models import Publication

    if not action.startswith("post_"):
        return
    if isinstance(instance, Publication):
        publication_changed(instance)
        model = kwargs.get("model")
        if model is Publication and kwargs.get("pk_set"):
            for other in Publication.objects.filter(pk__in=kwargs["pk_set"]):
                publication_changed(other)
    elif sender._meta.app_label in WATCHED_APPS and _active():
        _note(None)


def connect() -> None:
    """Listen to every change of the data the stored pages show (gongkai.sites.apps)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_change, dispatch_uid="gongkai.static_publish.save")
    post_delete.connect(_on_change, dispatch_uid="gongkai.static_publish.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="gongkai.static_publish.m2m")


# --- the middleware --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    headers: tuple[tuple[str, str], ...]
    site_id: int | None
    file: str


#: What this process knows of each page it stored: the headers the whole stack gave it and the
#: site a visit counts for. A page is answered from the tree only once it is known here, so the
#: first request for a page in a process renders it (and writes the file again).
META: dict[str, _Meta] = {}


DISPLAY_COOKIE = (
    "gk_display"  # gongkai.portal.display.COOKIE (not imported: the WSGI front runs first)
)


def _anonymous_cookies(cookies: dict[str, str]) -> bool:
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    # A reader in large-text or high-contrast mode gets pages rendered with those classes
    # (so the modes work without JavaScript): never stored, never answered from the tree.
    if cookies.get(DISPLAY_COOKIE):
        return False
    return cookies.get(settings.LANGUAGE_COOKIE_NAME) in (None, settings.LANGUAGE_CODE)


def anonymous(request: HttpRequest) -> bool:
    """Whether ``request`` may be answered from the tree: a GET without a query string and
    without a session, a message, a display mode or a non-default language cookie (as nginx
    decides it)."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    return _anonymous_cookies(request.COOKIES)


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` to an anonymous ``request`` is the same for every visitor."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    if response.get("Content-Type", "").split(";")[0] not in INDEX_NAMES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    content = response.content
    nonce = getattr(request, "csp_nonce", "")
    return b"csrfmiddlewaretoken" not in content and not (nonce and nonce.encode() in content)


class PageCacheMiddleware:
    """Answer anonymous GETs of stored pages from the tree; store what may be stored.

    First in ``MIDDLEWARE``: a hit runs no other middleware, no URL resolving, no query. The
    headers the rest of the stack adds (CSP, X-Frame-Options …) and the site a visit counts for
    are remembered per page when this process renders it, so the first request for a page in
    a process renders it (and refreshes the file).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refresh_requested = bool(request.META.get(REFRESH))
        if not (enabled() or refresh_requested) or not anonymous(request):
            return self.get_response(request)
        path = request.path
        meta = META.get(path)
        if meta is not None and not refresh_requested:
            hit = read(path)
            if hit is not None:
                request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it
                response = HttpResponse(hit[0])
                for name, value in meta.headers:
                    response.headers[name] = value
                if meta.site_id is not None:
                    from gongkai.sites import visits

                    visits.count_request(request, response, site_id=meta.site_id)
                return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name not in CACHEABLE:
            return self.get_response(request)
        since = epoch()
        response = self.get_response(request)
        if storable(request, response):
            content_type = response["Content-Type"].split(";")[0]
            if write(path, response.content, content_type, since_epoch=since):
                site_id = getattr(response, "visit_site_id", None)
                previous = META.get(path)
                META[path] = _Meta(
                    headers=tuple((h, response[h]) for h in KEPT_HEADERS if h in response),
                    site_id=site_id,
                    file=str(file_for(path, content_type)),
                )
                if site_id is not None and (previous is None or previous.site_id != site_id):
                    from gongkai.sites import visits

                    visits.remember_site(path, site_id)
        return response


@functools.lru_cache(maxsize=4096)
def _is_bot(user_agent: str | None) -> bool:
    """gongkai.sites.visits.is_bot, remembered per user agent (a hit costs no regex search)."""
    from gongkai.sites import visits

    return visits.is_bot(user_agent)


@functools.lru_cache(maxsize=256)
def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    from django.http.request import split_domain_port, validate_host

    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, list(allowed))


def _count_visit(wsgi_env: dict, path: str, meta: _Meta) -> None:
    from gongkai.sites import visits

    if meta.site_id is None or _is_bot(wsgi_env.get("HTTP_USER_AGENT")):
        return
    try:
        visits.record(site_id=meta.site_id, path=path)
    except Exception:  # the counts are statistics: a database hiccup must not fail the page
        logger.exception("visit not counted")


class StaticPagesApplication:
    """The WSGI front of ``gongkai serve``: an anonymous GET of a page this process stored is
    answered from the tree before Django builds a request (the same decisions as
    :class:`PageCacheMiddleware`, which stays behind it for everything else). Measured in
    docs/benchmarks.md ("Anonymous pages")."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, wsgi_env, start_response):
        if (
            wsgi_env.get("REQUEST_METHOD") == "GET"
            and not wsgi_env.get("QUERY_STRING")
            and enabled()
            and not (settings.SECURE_SSL_REDIRECT and wsgi_env.get("wsgi.url_scheme") != "https")
        ):
            path = wsgi_env.get("SCRIPT_NAME", "") + wsgi_env.get("PATH_INFO", "")
            meta = META.get(path)
            if meta is not None and self._allowed(wsgi_env):
                try:
                    with open(meta.file, "rb") as handle:
                        body = handle.read()
                except OSError:  # invalidated: deleted (or the tree emptied)
                    body = None
                if body is not None:
                    _count_visit(wsgi_env, path, meta)
                    start_response("200 OK", [*meta.headers, ("Content-Length", str(len(body)))])
                    return [body]
        return self.application(wsgi_env, start_response)

    @staticmethod
    def _allowed(wsgi_env) -> bool:
        from django.http.cookie import parse_cookie

        cookie = wsgi_env.get("HTTP_COOKIE")
        if cookie and not _anonymous_cookies(parse_cookie(cookie)):
            return False
        host = wsgi_env.get("HTTP_HOST") or wsgi_env.get("SERVER_NAME", "")
        return _host_allowed(host, tuple(settings.ALLOWED_HOSTS))
