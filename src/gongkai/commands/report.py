"""``gongkai report AGENCY YEAR``: an agency's annual report computed from the records.

AGENCY is a slug, a name or a short name of an agency or a reporting unit (「县人民政府机关」
finds 「城口县人民政府机关」). The report is the newest published version, or, with
``--computed`` or when none is published, computed from the records now
(gongkai.annualreport). Formats: html, docx, xlsx, json (docs/spec/annual-report-json.md), pdf.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.commands import UsageError, setup_database

HELP = "生成年度报告（由记录计算）/ an annual report computed from the records"
FORMATS = ("html", "docx", "xlsx", "json", "pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "agency", metavar="AGENCY", help="机关或年报主体的标识或名称 / slug or name"
    )
    parser.add_argument("year", metavar="YEAR", help="报告年度 / the report's year")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="输出格式（默认 json） / output format (default json)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="写入文件（默认标准输出） / write to FILE (default: standard output)",
    )
    parser.add_argument(
        "--computed",
        action="store_true",
        help="不用已发布版本，按当前记录计算 / compute from the records even if published",
    )


def run(args: argparse.Namespace) -> int:
    text = str(args.year)
    if not text.isdigit() or not 2019 <= int(text) <= 2200:
        raise UsageError(
            f"“{text}”不是有效的报告年度（2019年起） / {text!r} is not a report year (2019 on)"
        )
    year = int(text)
    binary = args.format in ("docx", "xlsx", "pdf")
    if binary and not args.output and sys.stdout.isatty():
        raise UsageError(
            f"{args.format} 是二进制文件，请用 -o 指定输出文件 / {args.format} is binary: use -o FILE"
        )
    setup_database()
    from gongkai.annualreport.engine import find_subject
    from gongkai.annualreport.outputs import OutputUnavailable, render
    from gongkai.annualreport.selectors import current_document

    try:
        subject = find_subject(args.agency)
    except LookupError as error:
        raise UsageError(str(error)) from None
    document, origin = current_document(subject, year, computed=args.computed)
    try:
        data = render(document, args.format)
    except OutputUnavailable as error:
        print(f"gongkai report: {error}", file=sys.stderr)
        return 1
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"已写入 {args.output}（{origin}） / written", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    errors = [f for f in document.get("findings") or [] if f.get("severity") == "error"]
    if errors:
        print(
            f"注意：报告有{len(errors)}个错误级别的问题（见 findings） / "
            f"the report has {len(errors)} error-severity finding(s)",
            file=sys.stderr,
        )
    return 0
