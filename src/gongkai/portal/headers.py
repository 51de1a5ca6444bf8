"""Security headers on every response: Content-Security-Policy, and ``no-store`` for personal data.

Django 5.2 sets nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS and the HTTPS
redirect (``SecurityMiddleware``, from settings) and X-Frame-Options (``XFrameOptionsMiddleware``)
but has no Content-Security-Policy. This middleware adds one, with no ``'unsafe-inline'``: every
script and style of gongkai's pages is a static file. A page that must carry an inline
``<style>`` (the letter preview, a standalone document) marks it with ``request.csp_nonce``,
a fresh random value per request, which the policy names. Django 6.0 brings the same
mechanism built in (``django.middleware.csp``, ``request.csp_nonce``); this one is its small
bridge (docs/security.md says why no third-party package).

A view that sets its own Content-Security-Policy keeps it.
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

__all__ = ["SecurityHeadersMiddleware", "content_security_policy", "is_personal"]

#: Paths whose pages and downloads carry an applicant's personal data (or the 查询码 that
#: opens it): never stored by a browser's or a proxy's cache. The staff workbench, the citizen
#: status page and its letter download, the back office and the staff API.
PERSONAL_PATHS = re.compile(
    r"^/(staff/|apply/status/|apply/done/|admin/|api/v1/applications|mailbox/status/|mailbox/done/)"
)


def content_security_policy(nonce: str) -> str:
    """Return the site's policy; ``nonce`` admits inline ``<style>`` elements that carry it."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            # data: for the small SVG icons inside Django admin's and Swagger UI's CSS.
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_personal(path: str) -> bool:
    """Return whether a response at ``path`` may carry personal data (no-store)."""
    return bool(PERSONAL_PATHS.match(path))


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy to every response, and ``no-store`` to personal ones."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.csp_nonce)
        )
        if is_personal(request.path_info):
            # no-cache, no-store, must-revalidate, private; Expires in the past.
            add_never_cache_headers(response)
        return response
