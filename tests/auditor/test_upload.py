"""Uploading real published reports (tests/corpus) through the back office."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gongkai.auditor.models import AuditBatch, AuditedReport
from gongkai.auditor.services import INLINE_LIMIT, MAX_FILE_BYTES, upload_reports
from gongkai.auditor.tasks import audit_uploaded_batch

from .conftest import CORPUS, IMMEDIATE, corpus_file, expected

pytestmark = pytest.mark.django_db

UPLOAD = reverse("reports:upload")


def post_files(client, *files, **data):
    return client.post(UPLOAD, {"files": list(files), **data}, follow=True)


@pytest.mark.parametrize(
    "name, stem",
    [
        ("004-hongze-2023.pdf", "004-hongze-2023"),
        ("010-shuyang-fgj-2023.html", "010-shuyang-fgj-2023"),
        ("011-pingtan-gaj-2019.txt", "011-pingtan-gaj-2019"),
        ("017-pingtan-czj-2024.txt", "017-pingtan-czj-2024"),
    ],
)
def test_a_corpus_file_is_read_with_its_agency_year_and_tables(clerk_client, clerk, name, stem):
    want = expected(stem)
    response = post_files(clerk_client, corpus_file(name))
    assert response.status_code == 200
    report = AuditedReport.objects.get()
    assert report.status == AuditedReport.Status.READ, report.reason
    assert (report.agency, report.year, report.format) == (
        want["agency"],
        want["year"],
        want["format"],
    )
    assert report.uploaded_by == clerk and report.original_name == name
    # The stored document round-trips through the database with the expected numbers.
    report.refresh_from_db()
    for part in ("applications", "review_litigation"):
        assert report.document[part] == want[part]
    errors = sum(1 for f in report.document["findings"] if f["severity"] == "error")
    assert report.error_count == errors
    assert report.agency in response.content.decode()  # the batch page lists it


def test_a_money_cell_keeps_its_decimals(clerk_client):
    post_files(clerk_client, corpus_file("017-pingtan-czj-2024.txt"))
    report = AuditedReport.objects.get()
    report.refresh_from_db()
    fee = report.document["proactive"]["行政事业性收费"]["本年收费金额（单位：万元）"]
    assert fee == Decimal("18651.064104")  # read back exactly, as printed in the report
    want = expected("017-pingtan-czj-2024")["proactive"]
    assert float(fee) == want["行政事业性收费"]["本年收费金额（单位：万元）"]
    page = clerk_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert ">18651.064104<" in page


def test_the_hongze_pdf_shows_its_table_four_errors_highlighted(clerk_client):
    post_files(clerk_client, corpus_file("004-hongze-2023.pdf"))
    report = AuditedReport.objects.get()
    t4 = [f for f in report.document["findings"] if f["rule"] == "t4.total"]
    assert len(t4) == 2 and report.error_count >= 2
    page = clerk_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for group in ("review", "litigation_after_review"):
        cell = re.search(rf'<td id="c-review_litigation\.{group}\.total"[^>]*>(.*?)</td>', page)
        assert cell, f"no cell for {group}.total"
        assert 'class="num flag-error"' in cell.group(0)
        assert "✕" in cell.group(1) and "错误" in cell.group(1)  # text marker, not colour only
    # The findings list links to those cells by anchor.
    assert 'href="#c-review_litigation.review.total"' in page
    assert "表四：各项结果之和不等于总计" in page and "t4.total" not in page  # a label, not the id
    # A clean cell carries no mark.
    assert re.search(r'<td id="c-applications\.new_received\.total" class="num">', page)


def test_an_unreadable_file_is_reported_while_the_others_are_read(clerk_client):
    junk = SimpleUploadedFile("损坏的报告.pdf", b"%PDF-1.4 this is not really a pdf")
    response = post_files(clerk_client, junk, corpus_file("011-pingtan-gaj-2019.txt"))
    bad = AuditedReport.objects.get(original_name="损坏的报告.pdf")
    good = AuditedReport.objects.get(original_name="011-pingtan-gaj-2019.txt")
    assert bad.status == AuditedReport.Status.UNREADABLE and bad.document is None
    assert "损坏的报告.pdf" in bad.reason and bad.reason
    assert good.status == AuditedReport.Status.READ and good.year == 2019
    page = response.content.decode()
    reason = bad.reason.split(" / ")[0]  # one language at a time
    assert "无法读取" in page and reason[:30] in page
    detail = clerk_client.get(reverse("reports:detail", args=[bad.pk])).content.decode()
    assert "无法读取" in detail


def test_oversize_and_wrong_type_files_are_refused_and_the_rest_processed(clerk_client):
    huge = SimpleUploadedFile("大报告.pdf", b"x" * (MAX_FILE_BYTES + 1))
    wrong = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = post_files(clerk_client, huge, wrong, corpus_file("000-chengkou-2020.txt"))
    page = response.content.decode()
    assert "大报告.pdf：文件超过 20 MB" in page
    assert "virus.exe：不支持的文件类型" in page
    assert list(AuditedReport.objects.values_list("original_name", flat=True)) == [
        "000-chengkou-2020.txt"
    ]
    assert len(AuditBatch.objects.get().refused) == 2


def test_nothing_acceptable_saves_nothing(clerk_client):
    response = post_files(clerk_client, SimpleUploadedFile("a.xls", b"data"))
    page = response.content.decode()
    assert "a.xls：不支持的文件类型" in page and "没有可审核的文件" in page
    assert not AuditBatch.objects.exists() and not AuditedReport.objects.exists()
    empty = clerk_client.post(UPLOAD, {}).content.decode()
    assert "请选择报告文件、粘贴报告全文或填写网址" in empty


def test_pasted_text_is_read(clerk_client):
    text = (CORPUS / "000-chengkou-2020.txt").read_text(encoding="utf-8")
    clerk_client.post(UPLOAD, {"text": text, "text_name": "城口县2020年报"})
    report = AuditedReport.objects.get()
    assert report.original_name == "城口县2020年报"
    assert (report.agency, report.year, report.format) == ("城口县人民政府机关", 2020, "2019")
    assert report.document["applications"] == expected("000-chengkou-2020")["applications"]
    assert report.error_count == 0


def test_pasted_html_is_read_as_html(clerk_client):
    html = (CORPUS / "010-shuyang-fgj-2023.html").read_bytes().decode("utf-8")
    clerk_client.post(UPLOAD, {"text": html})
    report = AuditedReport.objects.get()
    assert report.file.name.endswith(".html")
    assert report.agency == "沭阳县发展和改革局"


def test_the_same_file_twice_is_marked_as_a_duplicate(clerk_client):
    post_files(clerk_client, corpus_file("011-pingtan-gaj-2019.txt"))
    post_files(clerk_client, corpus_file("011-pingtan-gaj-2019.txt"))
    first, second = AuditedReport.objects.order_by("pk")
    assert first.sha256 == second.sha256 and second.duplicate_of == first
    page = clerk_client.get(reverse("reports:list")).content.decode()
    assert f'<a href="/staff/reports/{first.pk}/">重复：与 #{first.pk} 相同</a>' in page


BIG = [
    "000-chengkou-2020.txt",
    "011-pingtan-gaj-2019.txt",
    "012-pingtan-gaj-2022.txt",
    "013-pingtan-hzs-2020.txt",
    "014-pingtan-hzs-2024.txt",
    "015-pingtan-jjf-2024.txt",
]


def test_a_big_upload_is_queued_for_the_database_worker(clerk, settings):
    assert len(BIG) > INLINE_LIMIT
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    outcome = upload_reports(actor=clerk, files=[corpus_file(name) for name in BIG])
    assert outcome.queued
    assert set(outcome.batch.reports.values_list("status", flat=True)) == {"pending"}
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "gongkai.auditor.tasks.audit_uploaded_batch"
    assert queued.args_kwargs["args"] == [outcome.batch.pk]
    # What `gongkai manage db_worker` then runs:
    settings.TASKS = IMMEDIATE
    assert audit_uploaded_batch.call(outcome.batch.pk) == len(BIG)
    assert set(outcome.batch.reports.values_list("status", flat=True)) == {"read"}


def test_a_big_upload_through_the_page_says_it_is_being_read(clerk_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = post_files(clerk_client, *[corpus_file(name) for name in BIG])
    page = response.content.decode()
    assert "正在后台读取" in page and "排队读取" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_an_upload_of_more_files_than_djangos_default_limit_is_taken(clerk_client):
    files = [SimpleUploadedFile(f"表{i}.xls", b"x") for i in range(120)]
    response = post_files(clerk_client, *files, corpus_file("000-chengkou-2020.txt"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("不支持的文件类型") == 120
    assert AuditedReport.objects.get().status == AuditedReport.Status.READ


def test_a_batch_can_be_read_again(clerk_client):
    post_files(clerk_client, corpus_file("004-hongze-2023.pdf"))
    report = AuditedReport.objects.get()
    # As if an older reader had stored less: read again, the document is the reader's now.
    AuditedReport.objects.filter(pk=report.pk).update(document=None, error_count=0, agency="")
    url = reverse("reports:batch_reread", args=[report.batch_id])
    assert clerk_client.get(url).status_code == 405
    response = clerk_client.post(url, follow=True)
    assert "已重新读取" in response.content.decode()
    report.refresh_from_db()
    assert report.status == AuditedReport.Status.READ
    assert report.agency == "淮安市洪泽区人民政府" and report.error_count >= 2


def test_another_clerk_cannot_read_a_batch_again(client, clerk, other_clerk):
    batch = upload_reports(actor=clerk, files=[corpus_file("011-pingtan-gaj-2019.txt")]).batch
    client.force_login(other_clerk)
    assert client.post(reverse("reports:batch_reread", args=[batch.pk])).status_code == 404
