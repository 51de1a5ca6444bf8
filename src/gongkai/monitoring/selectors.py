"""Reads of the monitoring results: the dashboard (per agency, single veto first, trend over
runs) and the assessment fact 「网站和政务新媒体健康」."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.accounts import rules
from gongkai.monitoring.checks import BY_KIND
from gongkai.monitoring.models import Finding, Run, Severity

TREND_RUNS = 12


def latest_run() -> Run | None:
    return Run.objects.order_by("-started_at", "-pk").first()


def findings_for_user(user, run: Run) -> QuerySet[Finding]:
    """The findings of ``run`` that ``user`` sees, single-veto items first."""
    visible = Q(agency__in=rules.monitoring_agencies(user))
    if rules.sees_portal_findings(user):
        visible |= Q(agency__isnull=True)
    order = ["-severity", "agency__sort_order", "agency_id", "kind", "pk"]  # "veto" > "deduction"
    return run.findings.filter(visible).select_related("agency").order_by(*order)


@dataclass
class AgencyGroup:
    agency: Any
    findings: list[Finding]

    @property
    def veto_count(self) -> int:
        return sum(1 for f in self.findings if f.is_veto)


def dashboard(user, run: Run | None = None) -> dict:
    run = run or latest_run()
    if run is None:
        return {"run": None, "groups": [], "trend": [], "checks": BY_KIND}
    findings = list(findings_for_user(user, run))
    groups: dict[Any, AgencyGroup] = {}
    for finding in findings:
        finding.title = BY_KIND[finding.kind].title if finding.kind in BY_KIND else finding.kind
        groups.setdefault(finding.agency_id, AgencyGroup(finding.agency, [])).findings.append(
            finding
        )
    ordered = sorted(groups.values(), key=lambda g: (-g.veto_count, g.agency is not None))
    visible = Q(findings__agency__in=rules.monitoring_agencies(user))
    if rules.sees_portal_findings(user):
        visible |= Q(findings__agency__isnull=True)
    trend = list(
        Run.objects.order_by("-started_at", "-pk").annotate(
            total=Count("findings", filter=visible, distinct=True),
            veto=Count(
                "findings",
                filter=visible & Q(findings__severity=Severity.VETO),
                distinct=True,
            ),
        )[:TREND_RUNS]
    )
    trend.reverse()
    peak = max([r.total for r in trend] + [1])
    return {
        "run": run,
        "groups": ordered,
        "total": len(findings),
        "veto": sum(1 for f in findings if f.is_veto),
        "trend": [
            {"run": r, "total": r.total, "veto": r.veto, "width": 100 * r.total // peak}
            for r in trend
        ],
        "checks": BY_KIND,
    }


def finding_json(finding: Finding) -> dict:
    """The shape of one finding in ``gongkai monitor --json`` and the dashboard's data."""
    return {
        "kind": finding.kind,
        "severity": finding.severity,
        "single_veto": finding.is_veto,
        "agency": finding.agency.display_name if finding.agency else None,
        "where": finding.where,
        "where_url": finding.where_url or None,
        "fix_url": finding.fix_url or None,
        "message": finding.message,
    }


def sites_healthy_fact(*, agency: Any, year: int) -> dict:
    """The assessment fact 「网站和政务新媒体健康」: no single-veto finding for ``agency`` in the
    latest run of ``year`` (docs/law/ogi-spec.md §6.5: one veto makes a site unqualified).

    Returns ``{"ratio": 1.0 | 0.0 | None, "value": str, "explanation": str}``; None when no run
    was made that year.
    """
    run = Run.objects.filter(as_of__year=year).order_by("-as_of", "-started_at", "-pk").first()
    if run is None:
        return {"ratio": None, "value": "—", "explanation": f"{year}年没有网站自查记录"}
    vetoes = run.findings.filter(agency=agency, severity=Severity.VETO)
    count = vetoes.count()
    if count == 0:
        return {
            "ratio": 1.0,
            "value": "无单项否决",
            "explanation": f"{run.as_of} 自查：没有单项否决问题",
        }
    first = vetoes.order_by("pk").first()
    return {
        "ratio": 0.0,
        "value": f"单项否决 {count} 项",
        "explanation": f"{run.as_of} 自查发现单项否决问题{count}项，如：{first.where}，{first.message}",
    }
