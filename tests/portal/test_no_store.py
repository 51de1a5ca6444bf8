"""Pages and downloads with personal data are never stored by a browser's or a proxy's cache.

Every URL pattern of the staff workbench, the citizen status page and the staff API is
enumerated from the URL map, so a new route under those prefixes is checked without anyone
remembering to add it here.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.applications.models import Application, Attachment
from gongkai.portal.headers import is_personal

pytestmark = pytest.mark.usefixtures("empty_cache")


def routes(resolver=None, prefix: str = "") -> list[str]:
    """Every URL pattern as a string, e.g. ``staff/applications/<int:pk>/``."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


PERSONAL_PREFIXES = ("staff/applications/", "apply/status/", "apply/done/")


def test_every_personal_route_is_covered_by_the_no_store_rule():
    personal = [route for route in routes() if route.startswith(PERSONAL_PREFIXES)]
    assert len(personal) >= 10, personal  # the walk found the application routes
    assert all(is_personal("/" + route) for route in personal)
    assert not is_personal("/") and not is_personal("/apply/")


@pytest.fixture
def replied(demo_county):
    application = Application.objects.filter(
        agency__slug="county-office", reply__letter__isnull=False
    ).first()
    assert application is not None, "the demo county has a replied application"
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.ID_COPY,
        original_name="身份证.png",
        content_type="image/png",
        size=8,
    )
    attachment.file.save("id.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return application, attachment


def test_personal_pages_and_downloads_are_no_store(client, replied, demo_county):
    application, attachment = replied
    letter = application.reply.letter
    code = application.tracking_code
    public = ["/apply/status/view/", "/apply/status/reply.docx", "/apply/status/reply.pdf"]
    client.post("/apply/status/", {"code": code})  # bound to this browser's session
    staff = [
        "/staff/",
        "/staff/applications/",
        f"/staff/applications/{application.pk}/",
        f"/staff/applications/{application.pk}/attachments/{attachment.pk}/",
        f"/staff/applications/{application.pk}/letters/{letter.pk}/",
        f"/staff/applications/{application.pk}/letters/{letter.pk}/docx/",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert client.login(username="clerk", password=demo_county)
    for url in staff:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_staff_api_is_no_store(client, replied, demo_county):
    from gongkai.accounts.models import User
    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.accounts.services import issue_api_token

    application, _attachment = replied
    _row, token = issue_api_token(
        actor=COMMAND_LINE, user=User.objects.get(username="clerk"), name="test"
    )
    headers = {"Authorization": f"Bearer {token}"}
    for url in ["/api/v1/applications", f"/api/v1/applications/{application.pk}"]:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    status = client.get(f"/api/v1/applications/status/{application.tracking_code}")
    assert status.status_code == 200 and "no-store" in status["Cache-Control"]


def test_public_pages_without_personal_data_may_be_cached(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
