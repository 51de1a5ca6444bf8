"""The auditor's pages: upload, the list of audited reports, one report, two side by side.

Who may audit is :func:`gongkai.accounts.rules.audit_rights`; reads go through
:mod:`gongkai.auditor.access` (a clerk sees their own batches, supervisors and admins all); the upload is one service call. Downloads are in :mod:`.exports`.
"""

from __future__ import annotations

from collections import Counter
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from gongkai.accounts.rules import audit_rights
from gongkai.auditor.access import batches_for_user, reports_for_user
from gongkai.auditor.compare import compare_documents
from gongkai.auditor.forms import SORTS, FilterForm, UploadForm
from gongkai.auditor.models import AuditedReport
from gongkai.auditor.presenting import finding_marks, shown_blocks, shown_findings
from gongkai.auditor.services import reread_batch, upload_reports
from gongkai.portal.templatetags.one_language import pick

PAGE_SIZE = 50
LIST_FIELDS = (
    "batch_id",
    "uploaded_by__username",
    "uploaded_at",
    "original_name",
    "status",
    "reason",
    "agency",
    "year",
    "format",
    "error_count",
    "warning_count",
    "duplicate_of_id",
)


def auditor_required(view):
    """Login required (anonymous → login page); a user with no staff role gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        rights = audit_rights(request.user)
        if not rights.may_audit:
            raise PermissionDenied("只有工作人员可以审核年报 / only staff may audit reports")
        request.audit_sees_all = rights.sees_all
        return view(request, *args, **kwargs)

    return wrapped


def my_reports(request: HttpRequest):
    """The reports the signed-in auditor may see (after :func:`auditor_required`)."""
    return reports_for_user(request.user, sees_all=request.audit_sees_all)


def my_batches(request: HttpRequest):
    return batches_for_user(request.user, sees_all=request.audit_sees_all)


def visible_report(request: HttpRequest, pk: int) -> AuditedReport:
    """The report ``pk`` if the user may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return my_reports(request).select_related("batch").get(pk=pk)
    except AuditedReport.DoesNotExist:
        raise Http404("没有该报告 / no such report") from None


@auditor_required
def upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        files = form.cleaned_data["files"] or []
        text = form.cleaned_data["text"]
        urls = form.cleaned_data["urls"]
        if not files and not text.strip() and not urls:
            form.add_error(
                None,
                "请选择报告文件、粘贴报告全文或填写网址 / choose files, paste a report or give addresses",
            )
        else:
            outcome = upload_reports(
                actor=request.user,
                files=files,
                urls=urls,
                text=text,
                text_name=form.cleaned_data["text_name"],
                label=form.cleaned_data["label"],
            )
            if outcome.batch is None:
                for reason in outcome.refused:
                    messages.error(
                        request,
                        gettext("未接收 %(reason)s") % {"reason": pick(reason, get_language())},
                    )
                form.add_error(None, "没有可审核的文件 / no file could be accepted")
            else:
                count = outcome.batch.reports.count()
                note = gettext("正在后台读取，请稍后刷新") if outcome.queued else gettext("已读取")
                messages.success(
                    request,
                    gettext("已接收 %(count)s 份报告，%(note)s。") % {"count": count, "note": note},
                )
                return redirect("reports:batch", pk=outcome.batch.pk)
    return render(request, "auditor/upload.html", {"form": form})


@auditor_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Every visible audited report, filtered, sorted (by errors too), 50 a page."""
    sees_all = request.audit_sees_all
    reports = my_reports(request).values("pk", *LIST_FIELDS)
    form = FilterForm(request.GET or None)
    sort = "new"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            reports = reports.filter(
                Q(agency__icontains=data["q"]) | Q(original_name__icontains=data["q"])
            )
        if data["year"]:
            reports = reports.filter(year=data["year"])
        if data["format"]:
            reports = reports.filter(format=data["format"])
        if data["status"]:
            reports = reports.filter(status=data["status"])
        if data["problems"] == "errors":
            reports = reports.filter(error_count__gt=0)
        elif data["problems"] == "clean":
            reports = reports.filter(status=AuditedReport.Status.READ, error_count=0)
        if data["batch"]:
            reports = reports.filter(batch_id=data["batch"])
        sort = data["sort"] or "new"
    page = Paginator(reports.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    batches = (
        my_batches(request)
        .annotate(size=Count("reports"))
        .values("pk", "uploaded_at", "label", "size", "uploaded_by__username")[:10]
    )
    return render(
        request,
        "auditor/list.html",
        {
            "form": form,
            "batches": batches,
            "page": page,
            "sees_all": sees_all,
            "query": query.urlencode(),
            "status": AuditedReport.Status,
        },
    )


@auditor_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = my_batches(request).select_related("uploaded_by").filter(pk=pk).first()
    if batch is None:
        raise Http404("没有该批次 / no such batch")
    reports = list(batch.reports.values("pk", *LIST_FIELDS).order_by("pk"))
    statuses = Counter(r["status"] for r in reports)
    counts = {
        "pending": statuses[AuditedReport.Status.PENDING],
        "unreadable": statuses[AuditedReport.Status.UNREADABLE],
    }
    return render(
        request,
        "auditor/batch.html",
        {"batch": batch, "reports": reports, "counts": counts, "status": AuditedReport.Status},
    )


@require_POST
@auditor_required
def batch_reread(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the batch's files again, e.g. after the reader learned a new layout."""
    batch = my_batches(request).filter(pk=pk).first()
    if batch is None:
        raise Http404("没有该批次 / no such batch")
    queued = reread_batch(actor=request.user, batch=batch)
    note = gettext("正在后台重新读取，请稍后刷新") if queued else gettext("已重新读取")
    messages.success(request, gettext("%(note)s。") % {"note": note})
    return redirect("reports:batch", pk=batch.pk)


@auditor_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report: each table as the template draws it, cells named by findings highlighted."""
    report = visible_report(request, pk)
    doc = report.document
    context = {"report": report, "doc": doc}
    if doc:
        findings = doc.get("findings") or []
        context["blocks"] = shown_blocks(doc, finding_marks(findings))
        context["findings"] = shown_findings(doc)
        context["same_agency"] = list(
            my_reports(request)
            .filter(agency=report.agency, status=AuditedReport.Status.READ)
            .exclude(pk=report.pk)
            .exclude(agency="")
            .values("pk", "year", "original_name")
            .order_by("year", "pk")[:20]
        )
    return render(request, "auditor/detail.html", context)


@auditor_required
def compare(request: HttpRequest) -> HttpResponse:
    """Two reports side by side (typically two years of one agency), with the carry-over check."""
    readable = my_reports(request).filter(status=AuditedReport.Status.READ)
    choices = list(
        readable.values("pk", "agency", "year", "original_name").order_by("agency", "year", "pk")[
            :500
        ]
    )
    context: dict = {"choices": choices}
    first, second = request.GET.get("a"), request.GET.get("b")
    ticked = request.GET.getlist("ids")
    if not (first and second) and ticked:
        if len(ticked) != 2:
            messages.error(request, "请勾选两份报告进行对比 / tick exactly two reports to compare")
        else:
            first, second = ticked
    if first and second:
        try:
            pair = {r.pk: r for r in readable.filter(pk__in=[int(first), int(second)])}
            left, right = pair[int(first)], pair[int(second)]
        except (ValueError, KeyError):
            raise Http404("没有该报告 / no such report") from None
        if left.pk == right.pk:
            messages.error(request, "请选择两份不同的报告 / choose two different reports")
        else:
            result = compare_documents(left.document, right.document)
            by_doc = {id(left.document): left, id(right.document): right}
            context.update(
                result=result,
                earlier=by_doc[id(result.earlier)],
                later=by_doc[id(result.later)],
            )
        context.update(a=int(first), b=int(second))
    return render(request, "auditor/compare.html", context)
