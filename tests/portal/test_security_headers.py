"""Every main page carries the security headers, and no page has an inline script or style.

The Content-Security-Policy has no 'unsafe-inline', so an inline ``<script>``, ``style=`` or
``onclick=`` would be blocked in the browser: this test finds one before a person does.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from gongkai.applications.models import Application
from gongkai.letters.models import IssuedLetter

pytestmark = pytest.mark.usefixtures("empty_cache")

PUBLIC_PAGES = ["/", "/apply/", "/apply/status/", "/accounts/login/", "/api/v1/docs"]
STAFF_PAGES = [
    "/staff/",
    "/staff/applications/",
    "/staff/applications/register/",
    "/staff/reports/",
    "/staff/reports/upload/",
    "/staff/reports/compare/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/applications/application/",
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
    "/admin/agencies/agency/",
    "/admin/holidays/calendaryear/",
]


class InlineFinder(HTMLParser):
    """Collect every inline script, style element without the nonce, style= and on*= attribute."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A <script type="application/json"> is data (Swagger UI's settings), never run.
        if (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") != "application/json"
        ):
            self.found.append(f"<script> at line {self.getpos()[0]}")
        if tag == "style" and attributes.get("nonce") != self.nonce:
            self.found.append(f"<style> without the nonce at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r} at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value!r}")


def nonce_of(policy: str) -> str:
    for directive in policy.split(";"):
        if directive.strip().startswith("style-src"):
            for source in directive.split():
                if source.startswith("'nonce-"):
                    return source[len("'nonce-") : -1]
    return ""


def assert_secure(response, url: str) -> None:
    assert response.status_code == 200, (url, response.status_code)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "script-src 'self'" in policy or "default-src 'none'" in policy, url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    if "text/html" in response["Content-Type"]:
        finder = InlineFinder(nonce_of(policy))
        finder.feed(response.content.decode())
        assert not finder.found, f"{url}: {finder.found}"


def test_public_pages(client, demo_county):
    code = Application.objects.exclude(tracking_code="").first().tracking_code
    for url in [*PUBLIC_PAGES, f"/apply/status/{code}/"]:
        assert_secure(client.get(url), url)


def test_staff_pages_and_letters(client, demo_county):
    assert client.login(username="clerk", password=demo_county)
    letter = IssuedLetter.objects.filter(agency__slug="county-office").first()
    application = letter.record
    urls = [
        *STAFF_PAGES,
        f"/staff/applications/{application.pk}/",
        f"/staff/applications/{application.pk}/letters/{letter.pk}/",
    ]
    for url in urls:
        assert_secure(client.get(url), url)


def test_the_letter_preview_is_styled_only_through_its_nonce(client, demo_county):
    assert client.login(username="clerk", password=demo_county)
    letter = IssuedLetter.objects.filter(agency__slug="county-office").first()
    url = f"/staff/applications/{letter.object_id}/letters/{letter.pk}/"
    first, second = client.get(url), client.get(url)
    nonce = nonce_of(first["Content-Security-Policy"])
    assert len(nonce) >= 16 and nonce != nonce_of(second["Content-Security-Policy"])
    assert f'<style nonce="{nonce}">' in first.content.decode()
    assert "default-src 'none'" in first["Content-Security-Policy"]


def test_admin_pages(client, demo_county):
    assert client.login(username="admin", password=demo_county)
    # A system admin's second factor: the authenticator `gongkai demo` set up.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.testing.second_factor import totp_code

    code = totp_code(TOTPDevice.objects.get(user__username="admin"))
    assert client.post("/accounts/2fa/", {"code": code}).status_code == 302
    application = Application.objects.first()
    for url in [*ADMIN_PAGES, f"/admin/applications/application/{application.pk}/change/"]:
        assert_secure(client.get(url), url)


def test_hsts_and_the_https_redirect_follow_the_settings(db, settings):
    from django.test import Client

    assert "Strict-Transport-Security" not in Client().get("/", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # SecurityMiddleware reads its settings when it is built
    response = client.get("/apply/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/apply/"
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
