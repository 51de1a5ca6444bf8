"""``gongkai calendar``: the holiday arrangements the working-day clock counts with.

``years`` lists the covered years, ``show YEAR`` prints one year's days off and make-up working
days, ``import YEAR FILE`` loads a year from an arrangement file (docs/calendar-format.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gongkai.commands import UsageError, setup_database

HELP = "节假日安排：查看、导入 / the holiday calendar: show, import, list years"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    sub.add_parser("years", help="列出已有节假日安排的年份 / list the covered years")
    show = sub.add_parser("show", help="显示某年的放假和调休上班日 / show a year's days")
    show.add_argument("year", metavar="YEAR")
    show.add_argument(
        "--as-file",
        dest="as_file",
        action="store_true",
        help="按导入文件格式输出 / print in the import file format",
    )
    imp = sub.add_parser("import", help="从文件导入某年的安排 / import a year from a file")
    imp.add_argument("year", metavar="YEAR")
    imp.add_argument("file", metavar="FILE", help="安排文件，格式见 docs/calendar-format.md")
    imp.add_argument(
        "--source", default="", help="依据，如 国办发明电〔2026〕X号 / the notice's number"
    )
    parser.set_defaults(_parser=parser)


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2200:
        raise UsageError(f"“{text}”不是有效的年份 / {text!r} is not a valid year")
    return int(text)


def run(args: argparse.Namespace) -> int:
    if not args.action:
        args._parser.print_help()
        return 2
    year = _year(args.year) if args.action in ("show", "import") else None
    text = None
    if args.action == "import":
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UsageError(f"找不到文件 {path} / file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(
                f"无法读取文件 {path}（须为UTF-8） / cannot read {path}: {error}"
            ) from None
    setup_database()
    if args.action == "years":
        return _years()
    if args.action == "show":
        return _show(year, as_file=args.as_file)
    return _import(year, text, args.source)


def _years() -> int:
    from gongkai.holidays.models import CalendarYear

    rows = list(CalendarYear.objects.all())
    if not rows:
        print("尚无任何年份的节假日安排 / no year is covered")
        return 0
    years = [r.year for r in rows]
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    print(
        f"已有节假日安排的年份 / covered years: {years[0]}–{years[-1]}"
        + (f"（缺 / missing: {', '.join(map(str, gaps))}）" if gaps else "")
    )
    for row in rows:
        print(f"{row.year}  {row.get_source_display()}  {row.note}".rstrip())
    return 0


def _show(year: int, *, as_file: bool) -> int:
    from django.utils import timezone

    from gongkai.holidays.models import CalendarDay, CalendarYear
    from gongkai.holidays.services import calendar_changes
    from gongkai.law.arrangement import ArrangementDay, format_arrangement
    from gongkai.law.calendar import MissingCalendarYear
    from gongkai.law.clock import WEEKDAY_NAMES

    row = CalendarYear.objects.filter(year=year).first()
    if row is None:
        raise UsageError(str(MissingCalendarYear(year)))
    days = list(row.days.all())
    if as_file:
        header = f"{year}年节假日安排（{row.get_source_display()} {row.note}）".replace(" ）", "）")
        print(
            format_arrangement(
                [ArrangementDay(d.date, d.kind, d.name) for d in days], header=header
            ),
            end="",
        )
        return 0
    print(f"{year}年节假日安排 / holiday arrangement for {year}")
    print(f"来源 / source: {row.get_source_display()}  {row.note}".rstrip())
    print(f"更新于 / updated: {row.updated_at:%Y-%m-%d %H:%M}")
    for kind, title in (
        (CalendarDay.Kind.DAY_OFF, "放假 / days off"),
        (CalendarDay.Kind.WORKDAY, "调休上班 / make-up working days"),
    ):
        chosen = [d for d in days if d.kind == kind]
        print(f"\n{title}（{len(chosen)}）:")
        for d in chosen:
            print(f"  {d.date.isoformat()} 星期{WEEKDAY_NAMES[d.date.weekday()]}  {d.name}")
    last = calendar_changes(year).first()
    if last is not None:
        when = timezone.localtime(last.at)
        print(
            f"\n最近变更 / last change: {when:%Y-%m-%d %H:%M} {last.label}"
            f" {last.actor_name}".rstrip()
        )
    return 0


def _import(year: int, text: str, source: str) -> int:
    from gongkai.holidays import services

    try:
        change = services.import_year(year=year, text=text, source=source)
    except services.ArrangementError as error:
        raise UsageError(str(error)) from None
    print(change.note)
    for line in getattr(change, "consequences", []):
        print(line)
    return 0
