"""Hostile reports uploaded through the back office, and given to `gongkai audit`, are refused
with a message (Chinese first); the good report in the same upload is still read."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.annual.parse.bounded import shutdown_workers
from gongkai.auditor.models import AuditedReport
from gongkai.cli import main
from tests.annual.parse import crafted

from .conftest import CORPUS, corpus_file


@pytest.fixture(autouse=True, scope="module")
def _stop_workers():
    yield
    shutdown_workers()


@pytest.mark.django_db
def test_hostile_uploads_are_refused_on_the_batch_page(clerk_client, tmp_path):
    pages = crafted.many_pages_pdf(tmp_path / "两千页.pdf")
    bomb = crafted.docx_bomb(tmp_path / "压缩炸弹.docx")
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in (pages, bomb)]
    files.append(corpus_file("000-chengkou-2020.txt"))
    response = clerk_client.post(reverse("reports:upload"), {"files": files}, follow=True)
    assert response.status_code == 200
    reports = {r.original_name: r for r in AuditedReport.objects.all()}
    assert reports["000-chengkou-2020.txt"].status == AuditedReport.Status.READ
    for name, words in (("两千页.pdf", "共 2000 页"), ("压缩炸弹.docx", "压缩炸弹")):
        report = reports[name]
        assert report.status == AuditedReport.Status.UNREADABLE and words in report.reason
        assert report.reason.startswith(name + "：")  # the name, then Chinese, then English
    page = response.content.decode()
    assert "共 2000 页" in page and "压缩炸弹" in page


def test_gongkai_audit_has_the_same_limits(capsys, tmp_path, monkeypatch):
    pages = crafted.many_pages_pdf(tmp_path / "big.pdf")
    stream = crafted.compressed_stream_pdf(tmp_path / "stream.pdf")
    monkeypatch.setenv("GONGKAI_AUDIT_MEMORY_MB", "300")
    code = main(["audit", str(pages), str(stream), str(CORPUS / "000-chengkou-2020.txt")])
    captured = capsys.readouterr()
    assert code == 1  # some inputs unreadable
    assert "big.pdf：PDF 共 2000 页，超过 500 页" in captured.err
    assert "stream.pdf：读取所需内存超过 300 MB" in captured.err
    out = json.loads(captured.out)
    assert out[2]["year"] == 2020 and "error" in out[0] and "error" in out[1]
    monkeypatch.setenv("GONGKAI_AUDIT_MAX_PAGES", "3000")
    monkeypatch.setenv("GONGKAI_AUDIT_SECONDS", "1")
    assert main(["audit", str(pages)]) == 1
    assert "时限" in capsys.readouterr().err  # 2,000 blank pages go to OCR: stopped in time
