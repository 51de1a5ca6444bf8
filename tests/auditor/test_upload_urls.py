"""Reports given by their addresses in the back office: fetched from a server on loopback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.auditor.models import AuditBatch, AuditedReport
from tests.annual.parse.test_audit_urls import server  # noqa: F401 - the fixture

from .conftest import CORPUS, expected

pytestmark = pytest.mark.django_db

UPLOAD = reverse("reports:upload")


def test_addresses_are_fetched_kept_and_read(clerk_client, server):  # noqa: F811
    good = f"{server}/012-pingtan-gaj-2022.txt"
    pdf = f"{server}/report?id=4"
    missing = f"{server}/nothing-here.pdf"
    response = clerk_client.post(UPLOAD, {"urls": f"{good}\n\n{pdf}\n{missing}\n"}, follow=True)
    assert response.status_code == 200
    batch = AuditBatch.objects.get()
    assert any("404" in reason and missing in reason for reason in batch.refused)
    reports = {r.original_name: r for r in AuditedReport.objects.all()}
    assert set(reports) == {good, pdf}
    text = reports[good]
    assert text.status == AuditedReport.Status.READ, text.reason
    assert text.document["source"] == good
    assert text.document["applications"] == expected("012-pingtan-gaj-2022")["applications"]
    with text.file.open("rb") as kept:  # the fetched copy is stored with the result
        assert kept.read() == (CORPUS / "012-pingtan-gaj-2022.txt").read_bytes()
    assert reports[pdf].agency == "淮安市洪泽区人民政府"
    assert reports[pdf].file.name.endswith(".pdf")


def test_something_that_is_not_an_address_is_refused(clerk_client):
    response = clerk_client.post(UPLOAD, {"urls": "file:///etc/passwd"})
    assert response.status_code == 200
    assert "不是 http(s) 网址" in response.content.decode()
    assert not AuditedReport.objects.exists()
