"""``gongkai monitor [--site SLUG] [--json] [--as-of YYYY-MM-DD] [--external]``: one monitoring run.

Runs every check of gongkai.monitoring.checks (docs/monitoring.md), stores the run for the
dashboard and prints the findings. Exit status 1 when a single-veto problem is found
(docs/law/ogi-spec.md §6.5), 0 otherwise, so a cron job or CI can alert on it.
"""

from __future__ import annotations

import argparse
import json
import sys

from gongkai.commands import UsageError, setup_database

HELP = "网站与信息自查（死链、未答复来信、未遮盖身份证号等） / check the platform's own sites"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", metavar="SLUG", default="", help="只查一个网站 / one site only")
    parser.add_argument("--json", action="store_true", help="输出JSON / print JSON")
    parser.add_argument(
        "--as-of", metavar="YYYY-MM-DD", default=None, help="按哪一天检查 / check as of this day"
    )
    parser.add_argument(
        "--external",
        action="store_true",
        help="同时检查外部链接（较慢） / check external links too (slow, polite)",
    )


def run(args: argparse.Namespace) -> int:
    from gongkai.commands.clock import parse_day

    as_of = parse_day(args.as_of, "--as-of", "检查日期") if args.as_of else None
    setup_database()
    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.monitoring.selectors import finding_json
    from gongkai.monitoring.services import UnknownSite, run_checks

    try:
        result = run_checks(
            actor=COMMAND_LINE, as_of=as_of, site=args.site, external=args.external or None
        )
    except UnknownSite as error:
        raise UsageError(str(error)) from None
    findings = list(result.findings.select_related("agency").order_by("-severity", "kind", "pk"))
    vetoes = sum(1 for f in findings if f.is_veto)
    if args.json:
        payload = {
            "run": result.pk,
            "as_of": result.as_of.isoformat(),
            "findings": [finding_json(f) for f in findings],
            "unavailable": result.unavailable,
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for f in findings:
            mark = "【单项否决】" if f.is_veto else ""
            print(f"{mark}{f.kind}\t{f.where}\t{f.message}\t{f.fix_url or '-'}")
        for item in result.unavailable:
            print(f"未检查 / not checked: {item['kind']} — {item['reason']}")
        print(
            f"自查 {result.as_of}：发现问题 {len(findings)} 项，其中单项否决 {vetoes} 项 / "
            f"{len(findings)} finding(s), {vetoes} single veto"
        )
    return 1 if vetoes else 0
