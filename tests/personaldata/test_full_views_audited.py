"""Every full view of an applicant's personal data is a row of the audit log: who saw whose
data, when and how (detail page, attachment, letter, API). Masked views leave none."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.applications import services as s
from gongkai.applications.selectors import VIEWED
from gongkai.auditlog.models import AuditEntry
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes

pytestmark = pytest.mark.usefixtures("empty_cache")


def views_of(application) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(action=VIEWED, object_id=application.pk)
        .order_by("pk")
        .values_list("actor_name", "data__what")
    )


@pytest.fixture
def application(clerk, office):
    return f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))


@pytest.mark.django_db
def test_the_detail_page_records_the_handlers_full_view(client, clerk, application):
    client.force_login(clerk)
    page = client.get(reverse("applications:detail", args=[application.pk]))
    assert page.status_code == 200
    assert application.id_number in page.content.decode()  # the full view…
    assert views_of(application) == [("clerk", "detail")]  # …is on the record
    entry = AuditEntry.objects.get(action=VIEWED)
    assert entry.agency_id == application.agency_id and entry.actor == clerk


@pytest.mark.django_db
def test_a_masked_view_records_nothing(client, office, application):
    admin = f.staff("sysadmin", office, "admin")
    client.force_login(admin)
    page = client.get(reverse("applications:detail", args=[application.pk]))
    assert page.status_code == 200
    assert application.id_number not in page.content.decode()
    assert views_of(application) == []


@pytest.mark.django_db
def test_attachments_letters_and_the_api_record_their_views(client, clerk, application):
    s.add_attachments(
        actor=clerk,
        application=application,
        files=[("id_copy", SimpleUploadedFile("id.pdf", pdf_bytes()))],
    )
    s.request_correction(
        actor=clerk,
        application=application,
        items=["请写明文件名称"],
        requested_on=date(2026, 3, 3),
    )
    attachment = application.attachments.get()
    letter = application.letters.first()  # the 补正告知书, which names the applicant
    client.force_login(clerk)
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])
    assert client.get(url).status_code == 200
    preview = reverse("applications:letter", args=[application.pk, letter.pk])
    assert client.get(preview).status_code == 200
    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="t")
    api = client.get(f"/api/v1/applications/{application.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.json()["applicant"]["id_number"] == application.id_number
    assert views_of(application) == [
        ("clerk", f"attachment:{attachment.pk}"),
        ("clerk", f"letter:{letter.pk}"),
        ("clerk", "api"),
    ]
