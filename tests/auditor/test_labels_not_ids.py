"""The auditor speaks to people: labels instead of rule ids, and 「无法读取」 instead of a
library's raw message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.auditor import services
from gongkai.auditor.models import AuditedReport
from gongkai.auditor.presenting import RULE_LABELS, rule_label, shown_findings

from .conftest import corpus_file
from .test_upload import post_files

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"\b(t3|t4|cell|format|cross_year|narrative|section)\.[a-z_]+\b")


def test_every_rule_of_the_spec_has_a_label():
    spec = (Path(__file__).parents[2] / "docs/spec/annual-report-json.md").read_text("utf-8")
    rules = set(re.findall(r"\| `([a-z0-9_]+\.[a-z0-9_.]+)` \|", spec))
    assert rules and rules <= set(RULE_LABELS)
    assert rule_label("t3.balance") == "表三：收到与办结、结转不平衡"
    assert rule_label("something.new") == "其他问题"
    doc = {"findings": [{"rule": "t4.total", "severity": "error", "message": "…", "cells": []}]}
    assert shown_findings(doc)[0]["rule_label"] == "表四：各项结果之和不等于总计"


def test_the_report_page_shows_labels_not_rule_ids(clerk_client):
    post_files(clerk_client, corpus_file("011-pingtan-gaj-2019.txt"))
    report = AuditedReport.objects.get()
    findings = (report.document or {}).get("findings") or []
    assert findings, "the test needs a report with findings"
    page = clerk_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    main = page.split('id="main"', 1)[1]
    assert not RULE_ID.search(re.sub(r"<[^>]+>", " ", main)), RULE_ID.search(main)
    for finding in findings:
        assert rule_label(finding["rule"]) in page


def test_a_reader_failure_says_it_could_not_be_read_not_the_library_message(
    clerk_client, monkeypatch
):
    def broken(path, limits):
        raise RuntimeError("pdfminer.psparser.PSEOF: Unexpected EOF at 0x7f")

    # The reader runs in a bounded worker (services.read_file_bounded): break it there.
    monkeypatch.setattr(services, "read_file_bounded", broken)
    post_files(clerk_client, corpus_file("011-pingtan-gaj-2019.txt"))
    report = AuditedReport.objects.get()
    assert report.status == AuditedReport.Status.UNREADABLE
    assert "无法读取" in report.reason and "PSEOF" not in report.reason
    assert "RuntimeError" not in report.reason
    page = clerk_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "无法读取" in page and "PSEOF" not in page
    assert "could not be read" not in page  # one language at a time
