"""``gongkai clock``: when is this application's reply due, and why?

Counts 《政府信息公开条例》 working days with the holiday calendar in the database.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from gongkai.commands import UsageError, setup_database

HELP = "计算依申请公开的答复期限并逐日说明 / compute when a reply is due, explaining every day"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--received", metavar="YYYY-MM-DD", help="收到申请的日期 / day received")
    parser.add_argument(
        "--correction",
        metavar="REQUESTED[:SUPPLIED]",
        action="append",
        default=[],
        help="要求补正之日及收到补正材料之日（尚未收到则省略） / correction requested and supplied",
    )
    parser.add_argument(
        "--pause",
        metavar="A:B",
        action="append",
        default=[],
        help="征求意见：发出之日:结束之日，可多次 / consultation sent:ended (repeatable)",
    )
    parser.add_argument(
        "--extend",
        metavar="N",
        default=None,
        help="延长的工作日数，1–20 / extension in working days",
    )
    parser.add_argument("--json", action="store_true", help="输出JSON / print JSON")
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="缺少某年节假日安排时按法定节日推算暂定日期 / estimate a provisional date "
        "from the statutory holidays where a year is missing",
    )


def parse_day(text: str, option: str, zh: str) -> date:
    """Parse YYYY-MM-DD or raise a UsageError naming the option and what the date is."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option}：{zh}“{text}”不是YYYY-MM-DD格式的日期 / "
            f"{option}: {text!r} is not a date (YYYY-MM-DD)"
        ) from None


def _inputs(args: argparse.Namespace) -> dict:
    from gongkai.law.clock import (
        Correction,
        CorrectionOnlyOnce,
        ExtensionOutOfRange,
        Pause,
        ReceivedMissing,
    )

    if not args.received:
        missing = ReceivedMissing()
        raise UsageError(f"{missing.zh}（--received YYYY-MM-DD） / {missing.en} (--received)")
    received = parse_day(args.received, "--received", "收到申请的日期")
    if len(args.correction) > 1:
        raise UsageError(str(CorrectionOnlyOnce()))
    correction = None
    if args.correction:
        requested, _, supplied = args.correction[0].partition(":")
        correction = Correction(
            parse_day(requested, "--correction", "要求补正的日期"),
            parse_day(supplied, "--correction", "收到补正材料的日期") if supplied.strip() else None,
        )
    pauses = []
    for text in args.pause:
        start, sep, end = text.partition(":")
        if not sep:
            raise UsageError(
                f"--pause 应写成 A:B（发出之日:结束之日），收到的是“{text}” / "
                f"--pause must be A:B (sent:ended), got {text!r}"
            )
        pauses.append(
            Pause(
                parse_day(start, "--pause", "征求意见发出的日期"),
                parse_day(end, "--pause", "征求意见结束的日期"),
            )
        )
    try:
        extension = 0 if args.extend is None else int(args.extend)
    except ValueError:
        raise UsageError(
            f"--extend 必须是1至20的整数，收到的是“{args.extend}” / "
            f"--extend must be a whole number from 1 to 20, got {args.extend!r}"
        ) from None
    if args.extend is not None and extension == 0:
        raise UsageError(str(ExtensionOutOfRange(0)))
    return {
        "received": received,
        "correction": correction,
        "pauses": pauses,
        "extension_days": extension,
    }


def run(args: argparse.Namespace) -> int:
    from gongkai.law.calendar import MissingCalendarYear
    from gongkai.law.clock import ClockError, compute_due_date

    inputs = _inputs(args)
    setup_database()
    from gongkai.holidays.services import load_calendar

    calendar = load_calendar()
    estimated: list[int] = []
    while True:
        try:
            result = compute_due_date(calendar, **inputs)
            break
        except MissingCalendarYear as error:
            if not args.provisional or error.year in estimated or len(estimated) >= 3:
                raise UsageError(str(error)) from None
            from gongkai.law.statutory import with_provisional_years

            estimated.append(error.year)
            calendar = with_provisional_years(calendar, [error.year])
        except ClockError as error:
            raise UsageError(str(error)) from None
    if args.json:
        data = result.to_dict()
        data["provisional_years"] = estimated
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(result.explain())
    print()
    if estimated and result.due is not None:
        years = "、".join(str(y) for y in estimated)
        print(
            f"答复期限（暂定） / provisional due date: {result.due.isoformat()}\n"
            f"缺少{years}年节假日安排：按《全国年节及纪念日放假办法》的节日和周末推算，未计调休；"
            f"导入当年安排后以重新计算的日期为准（gongkai calendar import YEAR FILE） / "
            f"no holiday arrangement for {years}: estimated from the statutory holidays and "
            "weekends, without make-up working days; recompute once the year is imported"
        )
        return 0
    if result.due is None:
        print(
            "答复期限：停止计算中（等待补正材料） / due date: clock stopped, awaiting the supplement"
        )
    else:
        print(f"答复期限 / reply due: {result.due.isoformat()}")
    return 0
