"""Downloads: XLSX of one report, of a selection, of a whole batch; the JSON document."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.annual.render.spreadsheet import FINDINGS_SHEET
from gongkai.auditor.models import AuditBatch, AuditedReport
from gongkai.auditor.presenting import rule_label

from .conftest import corpus_file, expected

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(clerk_client):
    clerk_client.post(
        reverse("reports:upload"),
        {"files": [corpus_file("004-hongze-2023.pdf"), corpus_file("012-pingtan-gaj-2022.txt")]},
    )
    return {r.year: r for r in AuditedReport.objects.all()}


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def numbers(sheet) -> list:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)]


def test_one_report_as_xlsx_has_its_numbers_and_findings(clerk_client, uploaded):
    report = uploaded[2023]
    book = workbook(clerk_client.get(reverse("reports:report_xlsx", args=[report.pk])))
    assert book.sheetnames == ["2023淮安市洪泽区人民政府", FINDINGS_SHEET]
    sheet = book["2023淮安市洪泽区人民政府"]
    want = expected("004-hongze-2023")
    values = numbers(sheet)
    assert want["applications"]["new_received"]["total"] in values
    # Table 四's printed totals of 0 next to 10 and 1 are kept as they are.
    review = [want["review_litigation"]["review"][c] for c in ("upheld", "corrected", "total")]
    assert review == [10, 1, 0]
    rules = [row[3] for row in book[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert rules.count(rule_label("t4.total")) == 2  # by name: the ids stay in the JSON


def test_a_selection_and_a_batch_export_every_sheet(clerk_client, uploaded):
    ids = [uploaded[2022].pk, uploaded[2023].pk]
    book = workbook(clerk_client.get(reverse("reports:selection_xlsx"), {"ids": ids}))
    assert len(book.sheetnames) == 3 and book.sheetnames[-1] == FINDINGS_SHEET
    batch = AuditBatch.objects.get()
    book = workbook(clerk_client.get(reverse("reports:batch_xlsx", args=[batch.pk])))
    assert sorted(book.sheetnames[:-1]) == ["2022平潭综合实验区公安局", "2023淮安市洪泽区人民政府"]
    sheet = book["2022平潭综合实验区公安局"]
    assert expected("012-pingtan-gaj-2022")["applications"]["carried_over"]["total"] == 1
    assert 1 in numbers(sheet)


def test_the_json_document_downloads_in_the_spec_shape(clerk_client, uploaded):
    report = uploaded[2022]
    response = clerk_client.get(reverse("reports:report_json", args=[report.pk]))
    assert response.status_code == 200
    doc = json.loads(response.content)
    want = expected("012-pingtan-gaj-2022")
    assert doc["schema"] == want["schema"]
    assert (doc["agency"], doc["year"], doc["format"]) == ("平潭综合实验区公安局", 2022, "2021")
    assert doc["applications"] == want["applications"]
    assert isinstance(doc["findings"], list)


def test_the_original_file_downloads_as_uploaded(clerk_client, uploaded):
    response = clerk_client.get(reverse("reports:original", args=[uploaded[2023].pk]))
    body = b"".join(response.streaming_content)
    assert body == corpus_file("004-hongze-2023.pdf").read()


def test_exports_of_another_users_reports_are_not_found(client, other_clerk, uploaded):
    client.force_login(other_clerk)
    pk = uploaded[2023].pk
    for name in ("report_xlsx", "report_json", "original"):
        assert client.get(reverse(f"reports:{name}", args=[pk])).status_code == 404
    batch = AuditBatch.objects.get()
    assert client.get(reverse("reports:batch_xlsx", args=[batch.pk])).status_code == 404
    # A selection of someone else's reports has nothing to export.
    response = client.get(reverse("reports:selection_xlsx"), {"ids": [pk]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:list")
    assert "请先勾选已读取的报告再导出" in response.content.decode()


def test_the_xlsx_marks_errors_and_hints_differently_and_names_cells_in_chinese(
    clerk_client, uploaded
):
    """错误 red, 提示 amber, each with a comment saying which (not colour alone); 问题清单 names
    the problem and the cells as the template labels them, never by rule id or cell key."""
    report = uploaded[2023]
    book = workbook(clerk_client.get(reverse("reports:report_xlsx", args=[report.pk])))
    sheet = book["2023淮安市洪泽区人民政府"]
    rows = list(book[FINDINGS_SHEET].iter_rows(min_row=2))
    header = [c.value for c in book[FINDINGS_SHEET][1]]
    assert header == ["报告", "机关", "年度", "规则", "级别", "说明", "单元格", "位置"]
    levels = {row[4].value: row[4].fill.fgColor.rgb for row in rows}
    assert set(levels) == {"错误", "提示"}, "the test needs a report with both"
    assert levels["错误"] != levels["提示"]
    key = re.compile(r"\b[a-z_]+\.[a-z_0-9]+(\.[a-z_]+)?\b")
    for row in rows:
        rule, names, where = row[3].value, row[6].value or "", row[7].value or ""
        assert not key.search(rule) and not key.search(names), (rule, names)
        # every cell named is found where the 位置 column says, marked with its severity
        for name, place in zip(names.split("\n"), where.split("\n"), strict=True):
            cell = sheet[place.split("!")[1]]
            assert cell.comment is not None and cell.comment.text.startswith(name)
            severity = row[4].value
            assert f"{severity}：{rule}" in cell.comment.text
            if severity == "错误":
                assert cell.fill.fgColor.rgb == levels["错误"]
    review = next(r for r in rows if r[4].value == "错误")
    assert "表四 · 行政复议 · 总计" in review[6].value.split("\n")
    hint = next(r for r in rows if r[4].value == "提示")
    assert re.fullmatch(r"表[二三四]( · [^·]+)+", hint[6].value.split("\n")[0])
    hint_cell = sheet[hint[7].value.split("\n")[0].split("!")[1]]
    assert hint_cell.fill.fgColor.rgb == levels["提示"]
    assert "错误" in str(sheet["A3"].value) and "提示" in str(sheet["A3"].value)  # the legend
