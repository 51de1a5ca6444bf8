"""The annual-report pages: the staff's drafting and workflow, the supervisor's view and roll-up,
and the public list and page of published reports.

Who may do what is :mod:`gongkai.accounts.rules` (via the services' steps); views only shape
input and output.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annual.parse.fetch import FetchError, fetch
from gongkai.annual.render.spreadsheet import to_xlsx
from gongkai.annualreport import services
from gongkai.annualreport.engine import Subject, applications_behind
from gongkai.annualreport.forms import (
    MAX_READ_BYTES,
    CorrectForm,
    ReadForm,
    SectionsForm,
    StartForm,
)
from gongkai.annualreport.models import AnnualReport
from gongkai.annualreport.outputs import (
    CONTENT_TYPES,
    FORMATS,
    OutputUnavailable,
    report_html,
)
from gongkai.annualreport.outputs import (
    render as render_output,
)
from gongkai.annualreport.selectors import (
    published_reports,
    report_document,
    rollup,
    supervision,
    versions_of,
)
from gongkai.records.steps import UnknownStep


def _subjects(user) -> list[tuple[str, str]]:
    handled = rules.handled_agencies(user)
    units = ReportingUnit.objects.filter(agencies__in=handled).distinct()
    return [(f"unit:{u.slug}", u.name) for u in units] + [
        (f"agency:{a.slug}", a.name) for a in handled.order_by("sort_order", "pk")
    ]


def _subject(value: str) -> Subject:
    kind, _, slug = value.partition(":")
    model = ReportingUnit if kind == "unit" else Agency
    return Subject.of(get_object_or_404(model, slug=slug))


def _visible(user, report: AnnualReport) -> bool:
    ids = services.subject_of(report).agency_ids
    return any(rules.can_view(user, i) for i in ids)


def _report_for(request: HttpRequest, pk: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.select_related("agency", "unit"), pk=pk)
    if not _visible(request.user, report):
        raise Http404("没有这份报告 / no such report")
    return report


def _filename(doc, fmt: str) -> str:
    return f"{doc.get('agency', '')}{doc.get('year', '')}年政府信息公开工作年度报告.{fmt}"


def _download(request: HttpRequest, doc, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("没有这种格式 / unknown format")
    try:
        data = render_output(doc, fmt)
        nonce = getattr(request, "csp_nonce", "")
        if fmt == "html" and nonce:  # the page's own <style> under the site's CSP
            data = data.replace(b"<style>", f'<style nonce="{nonce}">'.encode(), 1)
    except OutputUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        from urllib.parse import quote

        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(_filename(doc, fmt))}"
        )
    return response


# --- staff --------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The user's agencies' reports, and a form to start one."""
    subjects = _subjects(request.user)
    form = StartForm(subjects=subjects)
    reports = (
        AnnualReport.objects.filter(agency__in=rules.visible_agencies(request.user))
        .select_related("agency", "unit")
        .order_by("-year", "agency__sort_order", "-version")[:200]
    )
    return render(
        request,
        "annualreport/list.html",
        {
            "form": form,
            "reports": reports,
            "can_start": bool(subjects),
            "supervises": rules.supervises_any(request.user),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST, subjects=_subjects(request.user))
    if not form.is_valid():
        messages.error(request, "请选择机关和年度 / choose the agency and the year")
        return redirect("annualreport:list")
    try:
        report = services.start_report(
            actor=request.user,
            subject=_subject(form.cleaned_data["subject"]),
            year=form.cleaned_data["year"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("annualreport:list")
    return redirect("annualreport:detail", pk=report.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    doc = report_document(report)
    findings = []
    for f in doc.get("findings") or []:
        key = services.finding_key(f)
        cells = [c for c in f.get("cells", []) if c.startswith("applications.")]
        findings.append(
            {
                **f,
                "key": key,
                "note": report.acknowledgements.get(key, ""),
                "record_cells": cells[:8],
            }
        )
    flagged = frozenset(c for f in findings for c in f.get("cells", []))
    subject = services.subject_of(report)
    handles = any(rules.can_handle(request.user, i) for i in subject.agency_ids)
    approves = any(rules.can_approve(request.user, i) for i in subject.agency_ids)
    versions = list(versions_of(subject, report.year))
    return render(
        request,
        "annualreport/detail.html",
        {
            "report": report,
            "doc": doc,
            "html": report_html(doc, standalone=False, flagged=flagged, level=3),
            "findings": findings,
            "errors": sum(f["severity"] == "error" for f in findings),
            "warnings": sum(f["severity"] == "warning" for f in findings),
            "sections_form": SectionsForm(initial=report.sections),
            "correct_form": CorrectForm(),
            "handles": handles and report.origin == AnnualReport.Origin.COMPUTED,
            "approves": approves and report.origin == AnnualReport.Origin.COMPUTED,
            "versions": versions,
            "formats": FORMATS,
            "events": report.events,
        },
    )


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    services.STEPS.get("edit")(actor=request.user, record=report).check()  # 403 unless allowed
    form = SectionsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "正文有误 / the texts are not valid")
        return redirect("annualreport:detail", pk=pk)
    return _run(request, report, "edit", sections=form.cleaned_data)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report_for(request, pk)
    params = {}
    if action == "check":
        params["notes"] = {
            key.removeprefix("note-"): value
            for key, value in request.POST.items()
            if key.startswith("note-")
        }
    return _run(request, report, action, **params)


def _run(request, report, action: str, **params) -> HttpResponse:
    try:
        result = services.STEPS.run(action, actor=request.user, record=report, **params)
    except UnknownStep:
        raise Http404("没有这个操作 / no such action") from None
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("annualreport:detail", pk=report.pk)
    if action == "check" and result:
        messages.warning(
            request,
            f"审核发现{len(result)}个问题需要处理（错误须改正，警告须填写确认说明） / "
            f"{len(result)} finding(s) to resolve",
        )
    else:
        messages.success(request, f"已{services.STEPS.get(action).label} / done")
    return redirect("annualreport:detail", pk=report.pk)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not any(rules.can_handle(request.user, i) for i in services.subject_of(report).agency_ids):
        raise PermissionDenied("只有本机关的工作人员可以更正年报 / only the agency's staff may")
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写更正理由 / give the reason")
        return redirect("annualreport:detail", pk=pk)
    try:
        new = services.correct_report(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("annualreport:detail", pk=pk)
    return redirect("annualreport:detail", pk=new.pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report_for(request, pk)
    return _download(request, report_document(report), fmt)


@login_required
def cell_records(request: HttpRequest, pk: int, path: str) -> HttpResponse:
    """The applications behind one cell of table 三."""
    report = _report_for(request, pk)
    if report.origin != AnnualReport.Origin.COMPUTED:
        raise Http404("读取的报告没有记录 / a report read from a file has no records")
    qs = applications_behind(services.subject_of(report), report.year, path)
    if qs is None:
        raise Http404("只有表三的单元格可以追溯到申请 / only table 三 cells")
    return render(
        request,
        "annualreport/cell.html",
        {"report": report, "path": path, "applications": qs.order_by("received_on", "pk")[:500]},
    )


# --- the supervisor --------------------------------------------------------------------


def _supervisor_year(request) -> int:
    if not rules.supervises_any(request.user) and not rules.is_system_admin(request.user):
        raise PermissionDenied("只有政务公开办可以查看 / only a supervisor may")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    return max(2019, min(year, timezone.localdate().year))


def _overview(request, year: int):
    agencies = rules.visible_agencies(request.user)
    lines = supervision(agencies, year)
    docs, seen = [], set()
    for line in lines:
        report = line.report
        if report is None or not report.is_published or report.pk in seen:
            continue
        seen.add(report.pk)
        docs.append(report.document)
    total = rollup(docs, name=f"{len(docs)}份已发布报告合计", year=year)
    return lines, docs, total


@login_required
def supervise(request: HttpRequest) -> HttpResponse:
    year = _supervisor_year(request)
    lines, docs, total = _overview(request, year)
    return render(
        request,
        "annualreport/supervise.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, 2018, -1),
            "lines": lines,
            "published": len(docs),
            "rollup_html": report_html(total, standalone=False, level=3) if docs else "",
            "read_form": ReadForm(agencies=rules.visible_agencies(request.user)),
        },
    )


@login_required
def supervise_xlsx(request: HttpRequest) -> HttpResponse:
    year = _supervisor_year(request)
    _lines, docs, total = _overview(request, year)
    data = to_xlsx([total, *docs])
    response = HttpResponse(data, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="annual-reports-{year}.xlsx"'
    return response


@login_required
@require_POST
def supervise_read(request: HttpRequest) -> HttpResponse:
    year = _supervisor_year(request)
    form = ReadForm(request.POST, request.FILES, agencies=rules.visible_agencies(request.user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(f"{reverse('annualreport:supervise')}?year={year}")
    upload, url = form.cleaned_data["file"], form.cleaned_data["url"]
    try:
        if url:  # saved as a file, like the auditor does (gongkai.annual.parse.fetch)
            try:
                fetched = fetch(url, max_bytes=MAX_READ_BYTES)
            except FetchError as error:
                raise ValidationError(str(error)) from None
            name, content = fetched.file_name, fetched.data
        else:
            name, content = upload.name, upload.read()
        services.record_read_report(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            year=year,
            name=name,
            content=content,
            source=url,
        )
    except (PermissionDenied, ValidationError) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, "已读取并登记 / read and recorded")
    return redirect(f"{reverse('annualreport:supervise')}?year={year}")


# --- public ---------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annualreport/public_list.html", {"reports": published_reports()})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AnnualReport.objects.select_related("agency", "unit"),
        pk=pk,
        state=AnnualReport.State.PUBLISHED,
    )
    versions = [v for v in versions_of(services.subject_of(report), report.year) if v.is_published]
    return render(
        request,
        "annualreport/public_detail.html",
        {
            "report": report,
            "html": report_html(report.document, standalone=False),
            "versions": versions,
            "newest": versions[0] if versions else report,
            "formats": FORMATS,
        },
    )


def public_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(AnnualReport, pk=pk, state=AnnualReport.State.PUBLISHED)
    return _download(request, report.document, fmt)
