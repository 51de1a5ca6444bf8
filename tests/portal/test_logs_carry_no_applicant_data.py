"""The server log never carries an applicant's data; mail goes to files, not to the log.

A whole walk — a citizen applies with the form, looks up the status, mistypes the 查询码, a
clerk confirms the application (which mails the applicant) and opens it, an admin is refused
its letters (403) — is run with the log handler of settings.LOGGING writing into a buffer at
DEBUG level. The applicant's name, phone, ID number, e-mail and 查询码 must not appear in it.
"""

from __future__ import annotations

import email
import io
import logging
import subprocess
import sys

import pytest

from gongkai.applications.models import Application
from gongkai.portal.logfilters import RedactFilter, redact
from gongkai.testing import factories as f
from tests.applications.test_views_public import form_post

pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def server_log():
    """The text written by the log handler that settings.LOGGING configures."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(item, RedactFilter) for item in h.filters)
    )
    buffer = io.StringIO()
    # Swap the stream without setStream(): that flushes the old stream first, which an earlier
    # test's captured output may have closed (seen in random order).
    old_stream, handler.stream = handler.stream, buffer
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield buffer
    root.setLevel(old_level)
    handler.stream = old_stream


def test_a_whole_walk_logs_no_applicant_data(
    client, office, clerk, settings, tmp_path, server_log, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    admin = f.staff("admin-user", office, "admin")
    person = f.person_data(applicant_name="欧阳明月", phone="13987654321", email="oy@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        response, data = form_post(client, office, **person)
    assert response.status_code == 302
    application = Application.objects.get()
    code = application.tracking_code
    assert client.get(f"/apply/status/{application.tracking_code_display}/").status_code == 302
    assert client.get("/apply/status/view/").status_code == 200
    assert client.get(f"/api/v1/applications/status/{code}").status_code == 200
    other = code[:-1] + ("Y" if code.endswith("X") else "X")  # never the code itself
    assert client.get(f"/apply/status/{other}/").status_code == 404
    assert client.get("/apply/status/reply.docx").status_code == 404  # not replied yet

    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/staff/applications/{application.pk}/actions/accept/", {})
    assert accepted.status_code in (200, 302)
    assert client.get(f"/staff/applications/{application.pk}/").status_code == 200
    client.force_login(admin)
    letter = application.letters.first()
    if letter is not None:
        refused = client.get(f"/staff/applications/{application.pk}/letters/{letter.pk}/")
        assert refused.status_code == 403
    refused = client.get(f"/staff/applications/{application.pk}/attachments/999/")
    assert refused.status_code == 403

    log = server_log.getvalue()
    assert "Forbidden" in log  # the walk was logged: the handler is the one under test
    assert "Traceback" not in log
    secrets = [
        person["applicant_name"],
        person["phone"],
        person["email"],
        data["id_number"],
        code,
        application.tracking_code_display,
        other,
    ]
    leaked = [value for value in secrets if value in log]
    assert not leaked, f"the log carries {leaked}:\n{log}"

    # Django's file backend appends each message to a file of the session, after a line of dashes.
    raw = b"".join(m.read_bytes() for m in (tmp_path / "mail").iterdir())
    bodies = [
        email.message_from_bytes(part.strip()).get_payload(decode=True).decode()
        for part in raw.split(b"-" * 79)
        if part.strip()
    ]
    assert len(bodies) == 2  # submitted, then accepted: with the 查询码, in a file, not the log
    assert any(application.tracking_code_display in body for body in bodies)


def test_redact_cuts_the_code_from_status_urls():
    assert redact("Not Found: /apply/status/ABCD-EFGH-JKLM/") == "Not Found: /apply/status/…/"
    assert redact("GET /api/v1/applications/status/ABCDEFGHJKLM") == (
        "GET /api/v1/applications/status/…"
    )
    assert redact("Not Found: /staff/applications/3/") == "Not Found: /staff/applications/3/"


def test_mail_goes_to_files_by_default_and_smtp_when_a_host_is_set(tmp_path):
    def backend(**env):
        code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "gongkai.settings",
                "GONGKAI_DATA_DIR": str(tmp_path),
                **env,
            },
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.split()

    assert backend() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "mail"),
    ]
    assert backend(GONGKAI_EMAIL_HOST="smtp.example.gov.cn")[0] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
