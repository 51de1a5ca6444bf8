"""The WSGI application that ``gongkai serve`` runs (granian or waitress, docs/adr/).

In front of Django: the anonymous pages stored by static publishing, answered before Django
builds a request (gongkai.sites.static_publish), and — when GONGKAI_TRUSTED_PROXY names the
reverse proxy — its X-Forwarded-* headers believed from it alone, as waitress does itself.
"""

import ctypes
import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

from gongkai.sites.static_publish import StaticPagesApplication  # noqa: E402

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO")
FORWARDED_PORT = "HTTP_X_FORWARDED_PORT"


class TrustedProxy:
    """Take the client address, host and scheme from X-Forwarded-* when the request comes from
    ``proxy`` (an address); drop those headers from anyone else (a client could forge them)."""

    def __init__(self, application, proxy: str) -> None:
        self.application = application
        self.proxies = {p.strip() for p in proxy.split(",") if p.strip()}

    def __call__(self, wsgi_env, start_response):
        if wsgi_env.get("REMOTE_ADDR") in self.proxies or "*" in self.proxies:
            forwarded_for = wsgi_env.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded_for:
                wsgi_env["REMOTE_ADDR"] = forwarded_for.split(",")[-1].strip()
            proto = wsgi_env.get("HTTP_X_FORWARDED_PROTO", "").lower()
            if proto in ("http", "https"):
                wsgi_env["wsgi.url_scheme"] = proto
            host = wsgi_env.get("HTTP_X_FORWARDED_HOST", "")
            if host:
                wsgi_env["HTTP_HOST"] = host.split(",")[-1].strip()
            port = wsgi_env.get(FORWARDED_PORT, "")
            if port.isdigit():
                wsgi_env["SERVER_PORT"] = port
        for name in (*FORWARDED, FORWARDED_PORT):
            wsgi_env.pop(name, None)
        return self.application(wsgi_env, start_response)


application = StaticPagesApplication(application)
if os.environ.get("GONGKAI_TRUSTED_PROXY") and os.environ.get("GONGKAI_SERVER") == "granian":
    application = TrustedProxy(application, os.environ["GONGKAI_TRUSTED_PROXY"])


def tune() -> None:
    """Two settings for a server's long-lived process, measured by the search benchmark
    (docs/benchmarks.md, "Portal search"):

    - what start-up loaded (Django, the apps, every view the URLs import: about 100,000
      objects, kept for the process's life) is left out of the garbage collector's full passes
      (``gc.freeze``), each of which would otherwise walk all of it, in whichever request it
      falls: 50 ms of CPU on the benchmark machine;
    - freed memory is kept for reuse (glibc's ``mallopt``: nothing below 256 MiB is mapped on
      its own, and the heap is given back to the system only past 1 GiB free): a search's
      arrays (a phrase of a million items runs numpy over arrays of several MiB) would
      otherwise be handed back when freed and faulted in again, page by page, by the next
      query: 工作落到实处 asked first took 78.8 ms of wall time on PostgreSQL, 39.6 ms with this.
      The cost: a process keeps the memory of its largest moment. Without glibc, nothing.

    The search benchmark does the same, as the server process it stands for."""
    get_resolver().url_patterns  # noqa: B018 (imports every view now, to be frozen with the rest)
    gc.collect()
    gc.freeze()
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the process runs on
    except (OSError, AttributeError):
        return
    mallopt(M_TRIM_THRESHOLD, 1 << 30)
    if not mallopt(M_MMAP_THRESHOLD, 256 << 20):  # refused by glibc before 2.35: its maximum
        mallopt(M_MMAP_THRESHOLD, 32 << 20)


#: glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3

tune()
