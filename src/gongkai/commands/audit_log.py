"""``gongkai audit-log verify|export``: check the audit log's hash chain, and export the log
for the supervising office (docs/audit-log.md)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys

from gongkai.commands import UsageError, setup_database

HELP = "核验或导出操作日志 / verify or export the tamper-evident audit log"

CSV_COLUMNS = (
    "id",
    "seq",
    "at",
    "actor",
    "actor_id",
    "agency_id",
    "content_type_id",
    "object_id",
    "object",
    "action",
    "label",
    "before",
    "after",
    "data",
    "note",
    "chain",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="核验哈希链，发现被改、删、插的记录 / find edited, deleted or inserted rows"
    )
    verify.add_argument(
        "--anchor",
        metavar="SEQ:DIGEST",
        help="an earlier export's head (seq and digest): also catch the end cut off",
    )
    export = actions.add_parser("export", help="导出操作日志 / export the log (CSV or JSON)")
    export.add_argument("--format", choices=("csv", "json"), default="json")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="rows from this day on (local time)")
    export.add_argument(
        "--agency", metavar="SLUG", help="rows of this agency and the agencies under it"
    )
    export.add_argument("--output", metavar="FILE", help="write here instead of standard output")


def run(args: argparse.Namespace) -> int:
    setup_database()
    if args.action == "verify":
        return _verify(args)
    return _export(args)


def _verify(args: argparse.Namespace) -> int:
    from gongkai.auditlog.chain import verify

    anchor = None
    if args.anchor:
        seq, _, digest = args.anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise UsageError(
                f"--anchor 应为 序号:摘要 / --anchor must be SEQ:DIGEST, got {args.anchor!r}"
            )
        anchor = (int(seq), digest)
    checked, findings = verify(anchor=anchor)
    for finding in findings:
        print(f"{finding.kind}: {finding.message}")
    if findings:
        print(
            f"操作日志链有 {len(findings)} 处断裂（共 {checked} 行）/ the audit log's chain is "
            f"broken in {len(findings)} place(s) ({checked} rows checked)",
            file=sys.stderr,
        )
        return 1
    print(f"操作日志链完整，共 {checked} 行 / the audit log's chain is intact: {checked} rows")
    return 0


def _export(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from gongkai.agencies.models import Agency
    from gongkai.agencies.tree import descendants
    from gongkai.auditlog.models import AuditChainHead, AuditEntry

    rows = AuditEntry.objects.all()
    if args.since:
        try:
            day = dt.date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(
                f"--since 应为日期 YYYY-MM-DD / --since must be a date, got {args.since!r}"
            ) from None
        start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        rows = rows.filter(at__gte=start)
    if args.agency:
        agency = Agency.objects.filter(slug=args.agency).first()
        if agency is None:
            raise UsageError(f"没有标识为 {args.agency!r} 的机关 / no agency {args.agency!r}")
        rows = rows.filter(agency__in=descendants(agency))
    head = AuditChainHead.objects.filter(pk=1).first()
    anchor = {"seq": head.seq if head else 0, "digest": head.digest if head else ""}
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            _write(handle, args, rows, anchor)
    else:
        _write(sys.stdout, args, rows, anchor)
    # The head goes to the terminal too: keep it, and `verify --anchor` later proves nothing
    # was cut off the end since.
    print(f"链头 / head: {anchor['seq']}:{anchor['digest']}", file=sys.stderr)
    return 0


def _write(out, args: argparse.Namespace, rows, anchor: dict) -> None:
    from django.utils import timezone

    from gongkai.auditlog.chain import iter_export

    if args.format == "json":
        document = {
            "exported_at": timezone.now().isoformat(timespec="seconds"),
            "filters": {"since": args.since, "agency": args.agency},
            "head": anchor,
            "rows": list(iter_export(rows)),
        }
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in iter_export(rows):
            for name in ("before", "after", "data"):
                row[name] = json.dumps(row[name], ensure_ascii=False, sort_keys=True)
            writer.writerow(row)
