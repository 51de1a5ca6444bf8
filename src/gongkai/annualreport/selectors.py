"""Reading reports: the document to show for a subject and year, and the supervisor's overview.

Contract for other apps (e.g. a portal 年报 column): :func:`published_reports` lists the
published reports (newest version of each subject and year), :func:`report_document` gives one
report's document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annual.document import Document
from gongkai.annual.formats import format_for_year
from gongkai.annualreport.engine import Subject, compute
from gongkai.annualreport.models import AnnualReport

__all__ = [
    "Status",
    "current_document",
    "latest_reports",
    "published_reports",
    "report_document",
    "report_fact",
    "rollup",
    "supervision",
]


def versions_of(subject: Subject, year: int) -> QuerySet[AnnualReport]:
    if subject.unit is not None:
        qs = AnnualReport.objects.filter(unit=subject.unit, year=year)
    else:
        qs = AnnualReport.objects.filter(agency_id=subject.owner_id, unit=None, year=year)
    return qs.order_by("-version")


def report_document(report: AnnualReport) -> Document:
    """The frozen document of a published report; a draft's computed now from the records."""
    if report.document is not None:
        return report.document
    from gongkai.annualreport.services import subject_of

    return compute(subject_of(report), report.year, sections=report.sections).document


def current_document(
    subject: Subject, year: int, *, computed: bool = False
) -> tuple[Document, str]:
    """The document ``gongkai report`` prints, and where it came from.

    The newest published version, unless ``computed``; else computed from the records now,
    with the texts of the newest draft (or the generated draft when there is none).
    """
    versions = list(versions_of(subject, year))
    if not computed:
        for report in versions:
            if report.is_published:
                how = "读取" if report.origin == AnnualReport.Origin.READ else "已发布"
                return report.document, f"{how}（第{report.version}版）"
    sections = versions[0].sections if versions else None
    return compute(subject, year, sections=sections).document, "由记录计算"


def published_reports() -> QuerySet[AnnualReport]:
    """Every published report, newest version of each subject and year only, newest year first."""
    newest = (
        AnnualReport.objects.filter(state=AnnualReport.State.PUBLISHED)
        .values("agency_id", "unit_id", "year")
        .annotate(v=Max("version"))
    )
    keys = Q(pk__in=[])
    for row in newest:
        keys |= Q(
            agency_id=row["agency_id"], unit_id=row["unit_id"], year=row["year"], version=row["v"]
        )
    return (
        AnnualReport.objects.filter(keys, state=AnnualReport.State.PUBLISHED)
        .select_related("agency", "unit")
        .order_by("-year", "agency__sort_order", "unit__sort_order")
    )


def latest_reports(agency_ids, year: int) -> dict[int, AnnualReport]:
    """The newest version of each agency's own report (not a unit's) for ``year``."""
    out: dict[int, AnnualReport] = {}
    for report in (
        AnnualReport.objects.filter(agency_id__in=list(agency_ids), year=year)
        .select_related("unit")
        .order_by("agency_id", "-version")
    ):
        out.setdefault(report.agency_id, report)
    return out


@dataclass
class Status:
    """One agency's line in the supervisor's view."""

    agency: Agency
    deadline: date
    state: str  # none / draft / checked / approved / published
    late: bool
    report: AnnualReport | None = None
    errors: int = 0
    warnings: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        labels = {
            "none": "未编写",
            "draft": "草稿",
            "checked": "已审核",
            "approved": "已批准",
            "published": "已发布",
        }
        text = labels[self.state]
        if self.report is not None and self.report.origin == AnnualReport.Origin.READ:
            text += "（读取）"
        return text + ("，已逾期" if self.late else "")


def supervision(
    agencies: QuerySet[Agency], year: int, *, today: date | None = None
) -> list[Status]:
    """Each agency's report status for ``year``: none / draft / checked / approved / published,
    and late when not published by its deadline (31 Jan departments, 31 Mar governments,
    《政府信息公开条例》第四十九条). A unit's report counts for each of its agencies."""
    today = today or timezone.localdate()
    agencies = list(agencies.order_by("sort_order", "pk"))
    ids = [a.pk for a in agencies]
    own = latest_reports(ids, year)
    unit_of: dict[int, ReportingUnit] = {}
    for unit in ReportingUnit.objects.filter(agencies__in=ids).prefetch_related("agencies"):
        for a in unit.agencies.all():
            unit_of.setdefault(a.pk, unit)
    unit_reports = {
        r.unit_id: r
        for r in AnnualReport.objects.filter(unit__in=set(unit_of.values()), year=year).order_by(
            "unit_id", "version"
        )
    }
    out = []
    for agency in agencies:
        unit = unit_of.get(agency.pk)
        report = unit_reports.get(unit.pk) if unit else None
        report = report or own.get(agency.pk)
        subject = Subject(name=agency.name, agency_ids=(agency.pk,), agency=agency)
        deadline = subject.deadline(year)
        state = report.state if report else "none"
        published_on = (
            timezone.localdate(report.published_at) if report and report.published_at else None
        )
        late = (state != "published" and today > deadline) or (
            published_on is not None and published_on > deadline
        )
        findings = list(report.findings) if report else []
        out.append(
            Status(
                agency=agency,
                deadline=deadline,
                state=state,
                late=late,
                report=report,
                errors=sum(f.get("severity") == "error" for f in findings),
                warnings=sum(f.get("severity") == "warning" for f in findings),
                findings=findings,
            )
        )
    return out


def rollup(documents: list[Document], *, name: str, year: int) -> Document:
    """Sum the tables of several reports of one year, cell by cell (blank counts as nothing;
    a cell blank in every report stays blank)."""
    from gongkai.annual.document import empty_document, iter_cells, set_cell

    total = empty_document(name, year, format_for_year(year).code, fill=None)
    known = {path for path, _ in iter_cells(total)}
    for doc in documents:
        for path, value in iter_cells(doc):
            if path not in known or value is None:
                continue
            part, row, col = path.split(".", 2)
            before = total[part][row][col]
            set_cell(total, path, value if before is None else before + value)
    total["sections"] = {}
    total["findings"] = []
    return total


def report_fact(*, agency: Any, year: int, today: date | None = None) -> dict[str, Any]:
    """The assessment fact 「年报按时发布且无错误」 (gongkai.assessment.facts): the report for
    ``year`` of ``agency`` (its reporting unit's when it reports with others), half for being
    published by its deadline (《政府信息公开条例》第四十九条) and half for having no check
    error (warnings do not count). Nothing to measure (ratio None) while the deadline has not
    passed and the report is not yet published, or when the platform has no record of the
    report at all (it may have been published elsewhere and not read in: absence of a record
    is not scored as a failure)."""
    agency_id = getattr(agency, "pk", agency)
    (status,) = supervision(Agency.objects.filter(pk=agency_id), year, today=today)
    today = today or timezone.localdate()
    if status.report is None:
        return {
            "ratio": None,
            "value": "—",
            "explanation": f"平台没有{year}年度报告的记录（未在平台编写或读取），本项无可计数据",
        }
    if status.state != "published" and today <= status.deadline:
        return {
            "ratio": None,
            "value": "—",
            "explanation": f"{year}年度报告{status.deadline}前发布，尚未到期（{status.label}）",
        }
    on_time = status.state == "published" and not status.late
    clean = status.errors == 0
    parts = [
        f"{year}年度报告{status.label}（期限{status.deadline}）",
        "按时发布" if on_time else "未按时发布",
        "审核无错误" if clean else f"审核错误{status.errors}项",
    ]
    return {
        "ratio": (on_time + clean) / 2,
        "value": f"{'按时' if on_time else '逾期'}/{'无错误' if clean else '有错误'}",
        "explanation": "，".join(parts),
    }
