"""Running the checks: one function, used by the command, the task and the dashboard."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongkai.auditlog.services import record
from gongkai.monitoring.checks import CHECKS, SITES_MISSING, Context, Unavailable, sites_installed
from gongkai.monitoring.crawl import LinkChecker
from gongkai.monitoring.models import Finding, Run


class UnknownSite(ValueError):
    """``--site`` names no site."""


def _actor_label(actor) -> str:
    return getattr(actor, "username", None) or str(actor)


def run_checks(
    *, actor, as_of: date | None = None, site: str = "", external: bool | None = None
) -> Run:
    """Run every registered check as of ``as_of`` (default today) and store the run with its
    findings; checks that cannot run are listed in ``Run.unavailable`` with the reason."""
    from gongkai.monitoring.conf import conf

    as_of = as_of or timezone.localdate()
    external = conf("EXTERNAL_LINKS") if external is None else external
    if site and not sites_installed():
        raise UnknownSite(f"无法按网站检查：{SITES_MISSING}")
    if site:
        from gongkai.sites.models import Site

        if not Site.objects.filter(slug=site).exists():
            raise UnknownSite(f"没有标识为“{site}”的网站 / no site with the slug {site!r}")
    ctx = Context(as_of=as_of, site=site, external=external, checker=LinkChecker(external=external))
    with transaction.atomic():
        run = Run.objects.create(as_of=as_of, site=site, actor=_actor_label(actor))
        findings: dict[str, Finding] = {}
        unavailable = []
        for check in CHECKS:
            severity = check.effective_severity()
            if check.kind in conf("CHECKS_OFF"):
                unavailable.append(
                    {
                        "kind": check.kind,
                        "title": check.title,
                        "reason": "设置中关闭了此项检查 / turned off in MONITORING['CHECKS_OFF']",
                    }
                )
                continue
            try:
                for found in check.run(ctx):
                    key = f"{check.kind}:{found.key}"[:200]
                    if key in findings:
                        continue
                    findings[key] = Finding(
                        run=run,
                        agency_id=found.agency_id,
                        kind=check.kind,
                        severity=found.severity or severity,
                        key=key,
                        where=found.where[:300],
                        where_url=found.where_url[:500],
                        fix_url=found.fix_url[:500],
                        message=found.message,
                    )
            except Unavailable as reason:
                unavailable.append(
                    {"kind": check.kind, "title": check.title, "reason": str(reason)}
                )
        Finding.objects.bulk_create(findings.values())
        run.unavailable = unavailable
        run.pages_crawled = ctx.pages_crawled
        run.save(update_fields=["unavailable", "pages_crawled"])
        record(
            actor=actor,
            action="monitoring.run",
            obj=run,
            label=f"网站自查 {as_of}",
            data={
                "findings": len(findings),
                "veto": sum(1 for f in findings.values() if f.is_veto),
                "unavailable": [u["kind"] for u in unavailable],
            },
        )
    return run
