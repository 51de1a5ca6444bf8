"""The WSGI application that ``gongkai serve`` runs (granian or waitress, docs/adr/).

In front of Django: the anonymous pages stored by static publishing, answered before Django
builds a request (gongkai.sites.static_publish), and — when GONGKAI_TRUSTED_PROXY names the
reverse proxy — its X-Forwarded-* headers believed from it alone, as waitress does itself.
"""

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


def freeze() -> None:
    """Leave what start-up loaded (Django, the apps, every view the URLs import: about 100,000
    objects, kept for the process's life) out of the garbage collector's full passes, each of
    which would otherwise walk all of it in whichever request it falls (50 ms of CPU on the
    benchmark machine, docs/benchmarks.md). The search benchmark calls it too, as the server
    process it stands for."""
    get_resolver().url_patterns  # noqa: B018 (imports every view now, to be frozen with the rest)
    gc.collect()
    gc.freeze()


freeze()
