"""The pages: staff drafting and workflow, the applications behind a cell, the supervisor's view,
roll-up, XLSX and read stand-ins, and the public list and page."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annualreport import services
from gongkai.annualreport.engine import Subject
from gongkai.annualreport.models import AnnualReport

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def login(client, username):
    client.force_login(User.objects.get(username=username))


@pytest.fixture
def published(demo_county, sources):
    """The demo unit's 2020 report, published through the steps."""
    clerk, approver = (User.objects.get(username=n) for n in ("clerk", "approver"))
    unit = ReportingUnit.objects.get(slug="county-government-organs")
    report = services.start_report(actor=clerk, subject=Subject.of(unit), year=2020)
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    services.STEPS.run("publish", actor=approver, record=report)
    report.refresh_from_db()
    return report


def test_clerk_starts_checks_and_the_approver_publishes(client, demo_county, sources):
    login(client, "clerk")
    page = client.get(reverse("annualreport:list")).content.decode()
    assert "城口县人民政府机关" in page  # the unit is offered
    response = client.post(
        reverse("annualreport:start"),
        {"subject": "unit:county-government-organs", "year": "2020"},
    )
    report = AnnualReport.objects.get()
    assert response.url == reverse("annualreport:detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "主动公开政府信息共计4891条" in page
    assert 'data-cell="applications.granted.natural_person">2<' in page
    client.post(reverse("annualreport:act", args=[report.pk, "check"]))
    report.refresh_from_db()
    assert report.state == "checked"
    # The clerk may not approve: refused (403), nothing changes.
    response = client.post(reverse("annualreport:act", args=[report.pk, "approve"]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == "checked"
    login(client, "approver")
    client.post(reverse("annualreport:act", args=[report.pk, "approve"]))
    client.post(reverse("annualreport:act", args=[report.pk, "publish"]))
    report.refresh_from_db()
    assert report.state == "published"
    public = client.get(reverse("annualreport:public_list")).content.decode()
    assert "城口县人民政府机关2020年政府信息公开工作年度报告" in public


def test_edit_and_warning_notes_through_the_page(client, demo_county, sources):
    sources["table_two"]["2019"]["行政许可"]["处理决定数量"] = None
    login(client, "clerk")
    client.post(
        reverse("annualreport:start"), {"subject": "unit:county-government-organs", "year": "2020"}
    )
    report = AnnualReport.objects.get()
    client.post(reverse("annualreport:act", args=[report.pk, "check"]))
    report.refresh_from_db()
    assert report.state == "draft"
    (warning,) = [f for f in report.findings if f["rule"] == "cell.blank"]
    key = services.finding_key(warning)
    page = client.get(reverse("annualreport:detail", args=[report.pk])).content.decode()
    assert f'name="note-{key}"' in page
    client.post(
        reverse("annualreport:act", args=[report.pk, "check"]), {f"note-{key}": "无此类事项"}
    )
    report.refresh_from_db()
    assert report.state == "checked"
    client.post(
        reverse("annualreport:edit", args=[report.pk]),
        {"overview": report.sections["overview"], "problems": "人手不足。", "other": ""},
    )
    report.refresh_from_db()
    assert report.state == "draft" and report.sections["problems"] == "人手不足。"


def test_a_cell_lists_its_applications(client, demo_county, no_sources):
    login(client, "clerk")
    client.post(
        reverse("annualreport:start"), {"subject": "unit:county-government-organs", "year": "2020"}
    )
    report = AnnualReport.objects.get()
    page = client.get(
        reverse("annualreport:cell", args=[report.pk, "applications.granted.natural_person"])
    ).content.decode()
    assert "所计的申请（2件）" in page
    assert page.count(reverse("applications:detail", args=[0]).rsplit("0/", 1)[0]) >= 2


def test_others_cannot_see_a_draft(client, demo_county, sources):
    clerk = User.objects.get(username="clerk")
    report = services.start_report(
        actor=clerk, subject=Subject.of(Agency.objects.get(slug="county-office")), year=2021
    )
    login(client, "gaj-clerk")
    assert client.get(reverse("annualreport:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("annualreport:public_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("annualreport:supervise")).status_code == 403


def test_public_page_and_downloads(client, published):
    page = client.get(reverse("annualreport:public_detail", args=[published.pk])).content.decode()
    assert (
        '<th scope="colgroup"' in page
        and "城口县人民政府机关2020年政府信息公开工作年度报告" in page
    )
    docx = client.get(reverse("annualreport:public_download", args=[published.pk, "docx"]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    html = client.get(reverse("annualreport:public_download", args=[published.pk, "html"]))
    assert b"<style nonce=" in html.content
    assert client.get(f"/annual-reports/{published.pk}/report.odt").status_code == 404


def test_a_correction_keeps_the_old_page(client, published):
    clerk = User.objects.get(username="clerk")
    new = services.correct_report(actor=clerk, report=published, reason="更正错字")
    approver = User.objects.get(username="approver")
    services.STEPS.run("check", actor=clerk, record=new)
    services.STEPS.run("approve", actor=approver, record=new)
    services.STEPS.run("publish", actor=approver, record=new)
    old = client.get(reverse("annualreport:public_detail", args=[published.pk])).content.decode()
    assert "已被" in old and "第2版" in old
    listing = client.get(reverse("annualreport:public_list")).content.decode()
    assert reverse("annualreport:public_detail", args=[new.pk]) in listing
    assert reverse("annualreport:public_detail", args=[published.pk]) not in listing


def test_supervisor_sees_status_deadlines_rollup_and_exports(client, published, sources):
    login(client, "supervisor")
    page = client.get(reverse("annualreport:supervise") + "?year=2020").content.decode()
    assert 'data-agency="county-office" data-state="published"' in page
    assert 'data-agency="gaj" data-state="none" data-late="1"' in page
    assert "2021-01-31" in page and "2021-03-31" in page  # department and government deadlines
    assert "合计（1份已发布报告）" in page
    response = client.get(reverse("annualreport:supervise_xlsx") + "?year=2020")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3  # the roll-up, the one report, the findings


def test_a_read_report_stands_in_for_an_agency_without_records(client, published):
    login(client, "supervisor")
    gaj = Agency.objects.get(slug="gaj")
    seed = (CORPUS / "000-chengkou-2020.txt").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("annualreport:supervise_read") + "?year=2020",
        {"agency": gaj.pk, "file": SimpleUploadedFile("gaj-2020.txt", seed)},
        follow=True,
    )
    assert "已读取并登记" in response.content.decode()
    read = AnnualReport.objects.get(agency=gaj)
    assert (read.origin, read.state) == ("read", "published")
    assert read.document["applications"]["new_received"]["total"] == 2
    assert [e.action for e in read.events] == ["read_report"]
    page = client.get(reverse("annualreport:supervise") + "?year=2020").content.decode()
    assert "已发布（读取）" in page
    assert "合计（2份已发布报告）" in page
    # The roll-up sums both: 2 + 2 applications received.
    assert 'data-cell="applications.new_received.total">4<' in page
    # A file for another year is refused with a message, nothing saved.
    response = client.post(
        reverse("annualreport:supervise_read") + "?year=2021",
        {"agency": gaj.pk, "file": SimpleUploadedFile("gaj.txt", seed)},
        follow=True,
    )
    assert "不是2021年度" in response.content.decode()
    assert AnnualReport.objects.filter(agency=gaj).count() == 1


def test_late_when_published_after_the_deadline(demo_county, sources):
    from gongkai.annualreport.selectors import supervision

    clerk, approver = (User.objects.get(username=n) for n in ("clerk", "approver"))
    office = Agency.objects.get(slug="county-office")
    # The office belongs to the unit: the unit's report counts for it.
    lines = supervision(Agency.objects.filter(pk=office.pk), 2020, today=date(2021, 4, 1))
    assert (lines[0].state, lines[0].late) == ("none", True)
    lines = supervision(Agency.objects.filter(pk=office.pk), 2020, today=date(2021, 3, 1))
    assert (lines[0].state, lines[0].late) == ("none", False)
    unit = ReportingUnit.objects.get(slug="county-government-organs")
    report = services.start_report(actor=clerk, subject=Subject.of(unit), year=2020)
    lines = supervision(Agency.objects.filter(pk=office.pk), 2020, today=date(2021, 3, 1))
    assert (lines[0].state, lines[0].report) == ("draft", report)
    assert approver  # the approver is not needed to see a draft


@pytest.fixture
def report_server():
    """The corpus served over HTTP on 127.0.0.1 (a free port)."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(CORPUS)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_read_report_from_its_address(client, demo_county, no_sources, report_server):
    login(client, "supervisor")
    gaj = Agency.objects.get(slug="gaj")
    url = f"{report_server}/000-chengkou-2020.txt"
    response = client.post(
        reverse("annualreport:supervise_read") + "?year=2020",
        {"agency": gaj.pk, "url": url},
        follow=True,
    )
    assert "已读取并登记" in response.content.decode()
    read = AnnualReport.objects.get(agency=gaj)
    assert read.document["source"] == url and read.file.read()[:6] == "城口县".encode()[:6]
    # Neither or both: a message, nothing saved.
    response = client.post(
        reverse("annualreport:supervise_read") + "?year=2021", {"agency": gaj.pk}, follow=True
    )
    assert "二选一" in response.content.decode()
    response = client.post(
        reverse("annualreport:supervise_read") + "?year=2021",
        {"agency": gaj.pk, "url": f"{report_server}/nothing-here.txt"},
        follow=True,
    )
    assert AnnualReport.objects.filter(agency=gaj).count() == 1
    assert "404" in response.content.decode()


def test_the_portal_column_leads_to_the_published_reports(client, published):
    home = client.get("/").content.decode()
    assert f'href="{reverse("annualreport:public_list")}">政府信息公开年报</a>' in home
