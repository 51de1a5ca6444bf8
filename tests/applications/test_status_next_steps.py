"""Dates the law uses, and what to do next: each step's legal date on the timelines, the
status page during 补正 (what, by when, how — with an upload) and once overdue (Art. 51), and
the printable receipt of what was submitted."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.applicant import submit_supplement
from gongkai.law.workflow import TransitionRefused
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes
from tests.applications.test_views_public import form_post

pytestmark = pytest.mark.usefixtures("empty_cache")

PDF = pdf_bytes()


def status_page(client, application) -> str:
    assert client.post("/apply/status/", {"code": application.tracking_code}).status_code == 302
    return client.get("/apply/status/view/").content.decode()


def test_the_timeline_shows_the_legal_date_first(client, office, clerk):
    today = timezone.localdate()
    earlier = today - timedelta(days=3)
    waiting = f.received_application(actor=clerk, agency_obj=office, received_on=earlier)
    s.request_correction(actor=clerk, application=waiting, items=["写明年份"], requested_on=earlier)
    event = waiting.events.get(action="request_correction")
    assert event.data["on"] == earlier.isoformat()
    client.force_login(clerk)
    detail = client.get(f"/staff/applications/{waiting.pk}/").content.decode()
    legal = re.search(
        r'<span class="legal-date"[^>]*>([^<]+)</span> <time class="recorded"', detail
    )
    assert legal and legal.group(1) == earlier.isoformat()
    assert f"（记录于 {timezone.localtime(event.at):%Y-%m-%d}" in detail
    page = status_page(Client(), waiting)
    assert (
        f'<span class="legal-date">{earlier.year}年{earlier.month}月{earlier.day}日</span>' in page
    )


def test_during_correction_the_page_says_what_by_when_and_takes_the_upload(client, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    s.request_correction(
        actor=clerk, application=application, items=["写明所需信息的年份", "写明发文机关"]
    )
    correction = Application.objects.get(pk=application.pk).correction
    page = status_page(client, application)
    block = page.split('id="next-correction"', 1)[1].split("</section>", 1)[0]
    assert "写明所需信息的年份" in block and "写明发文机关" in block
    due = correction.supplement_due
    assert f"请于{due.year}年{due.month}月{due.day}日前补正" in block
    assert 'action="/apply/status/supplement/"' in block and 'type="file"' in block

    response = client.post(
        "/apply/status/supplement/",
        {
            "note": "所需信息为2025年的文件，发文机关为县民政局",
            "files": [SimpleUploadedFile("补正.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert [(a.kind, a.original_name) for a in application.attachments.all()] == [
        ("supplement", "补正.pdf")
    ]
    event = application.events.get(action="applicant_supplement")
    assert "县民政局" in event.note and event.actor is None
    assert application.state == "correction_requested"  # the clerk records the supplement
    assert "申请人提交补正材料" in client.get("/apply/status/view/").content.decode()
    # Another browser, without the code, cannot send anything.
    assert Client().post("/apply/status/supplement/", {"note": "x" * 10}).status_code == 404


def test_no_supplement_when_none_is_requested(office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    with pytest.raises(TransitionRefused):
        submit_supplement(application=application, note="补充说明")


def test_an_overdue_case_says_so_and_names_the_remedies(client, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate() - timedelta(days=60)
    )
    page = status_page(client, application)
    block = page.split('id="next-overdue"', 1)[1].split("</section>", 1)[0]
    assert "已超过答复期限" in page and "尚未答复" in block
    for remedy in ("投诉、举报", "行政复议", "行政诉讼", "第五十一条"):
        assert remedy in block
    fresh = f.received_application(actor=clerk, agency_obj=office, received_on=timezone.localdate())
    assert 'id="next-overdue"' not in status_page(Client(), fresh)


def test_the_done_page_is_a_printable_receipt(client, office):
    response, data = form_post(client, office, phone="13812345678")
    assert response.status_code == 302
    done = client.get("/apply/done/").content.decode()
    receipt = done.split('id="receipt"', 1)[1]
    assert data["description"] in receipt and office.name in receipt
    assert "13812345678" not in done and "138****5678" in receipt or "****" in receipt
    assert "data-print" in done and "applications/print.js" in done
    # The status page of this browser's application needs no code.
    assert client.get("/apply/status/view/").status_code == 200
