"""Downloads: XLSX of one report, of a selection or of a whole batch; the JSON document; the
file as uploaded."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from gongkai.annual.render import to_xlsx
from gongkai.auditor.models import AuditedReport, DocumentEncoder
from gongkai.auditor.presenting import rule_label
from gongkai.auditor.views import auditor_required, my_batches, my_reports, visible_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Most reports in one workbook (a sheet each; the 问题清单 sheet lists every finding).
MAX_SHEETS = 1000


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _file_stem(report: AuditedReport) -> str:
    """Name a download after the report: year and agency (2022城口县公安局), else its number."""
    return f"{report.year or ''}{report.agency or report.pk}"


def _workbook(reports, filename: str) -> HttpResponse:
    docs = [r.document for r in reports if r.document]
    if not docs:
        raise Http404("没有已读取的报告可导出 / no read report to export")
    # the rules by name, never by id; cells by the template's labels (annual.render.spreadsheet)
    return _attachment(to_xlsx(docs, rule_name=rule_label), filename, XLSX)


def _readable(request: HttpRequest):
    return (
        my_reports(request)
        .filter(status=AuditedReport.Status.READ)
        .only("document", "agency", "year")
        .order_by("agency", "year", "pk")
    )


@auditor_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    return _workbook([report], f"{_file_stem(report)}.xlsx")


@auditor_required
def selection_xlsx(request: HttpRequest) -> HttpResponse:
    """The reports ticked in the list (``?ids=1&ids=2``)."""
    try:
        ids = [int(value) for value in request.GET.getlist("ids")]
    except ValueError:
        raise Http404("报告编号有误 / bad report ids") from None
    reports = list(_readable(request).filter(pk__in=ids)[:MAX_SHEETS])
    if not reports:
        messages.error(request, "请先勾选已读取的报告再导出 / tick read reports to export first")
        return redirect("reports:list")
    return _workbook(reports, "年报审核.xlsx")


@auditor_required
def batch_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    if not my_batches(request).filter(pk=pk).exists():
        raise Http404("没有该批次 / no such batch")
    reports = list(_readable(request).filter(batch_id=pk)[:MAX_SHEETS])
    return _workbook(reports, f"年报审核-第{pk}批.xlsx")


@auditor_required
def report_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The document of docs/spec/annual-report-json.md, with its findings."""
    report = visible_report(request, pk)
    if not report.document:
        raise Http404("该报告无法读取 / the report could not be read")
    body = json.dumps(report.document, cls=DocumentEncoder, ensure_ascii=False, indent=1)
    name = f"{_file_stem(report)}.json"
    return _attachment(body.encode("utf-8"), name, "application/json; charset=utf-8")


@auditor_required
def report_original(request: HttpRequest, pk: int) -> FileResponse:
    report = visible_report(request, pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在 / the file is gone") from None
    return FileResponse(handle, as_attachment=True, filename=report.original_name)
