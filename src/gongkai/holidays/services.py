"""Every change to the working-day calendar goes through here, so it is logged and other apps
hear about it (a changed holiday moves statutory due dates, 《政府信息公开条例》第三十三条).

- :func:`load_calendar` builds a :class:`~gongkai.law.calendar.WorkingCalendar` from the
  tables; it is cached and rebuilt whenever the tables change (one small query per call).
- :func:`import_year` replaces one year's arrangement from the text of an arrangement file.
- :func:`register_calendar_change_hook` lets an app run code (recompute due dates) inside the
  transaction that changed the calendar; if a hook raises, the change is rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from gongkai.auditlog.models import AuditEntry
from gongkai.auditlog.services import record as audit
from gongkai.holidays.models import CalendarDay, CalendarYear
from gongkai.law.arrangement import (
    KIND_LABELS,
    OFF,
    ArrangementDay,
    ArrangementError,
    parse_arrangement,
)
from gongkai.law.calendar import WorkingCalendar
from gongkai.law.notice import Reading, read_any

__all__ = [
    "ArrangementError",
    "calendar_changes",
    "delete_year",
    "import_year",
    "load_calendar",
    "parse_arrangement",
    "read_text",
    "record_admin_edit",
    "register_calendar_change_hook",
    "seed_calendar",
    "unregister_calendar_change_hook",
]

CalendarChangeHook = Callable[[set[int], Any], None]
_hooks: list[CalendarChangeHook] = []
_cache_lock = threading.Lock()
_cache: tuple[tuple, WorkingCalendar] | None = None


# --- reading --------------------------------------------------------------------------------


def _stamp() -> tuple:
    row = CalendarYear.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (row["n"], row["latest"])


def load_calendar() -> WorkingCalendar:
    """Return the working calendar stored in the database (cached until the tables change)."""
    global _cache
    stamp = _stamp()
    cached = _cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    days_off: list[date] = []
    workdays: list[date] = []
    names: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (days_off if kind == CalendarDay.Kind.DAY_OFF else workdays).append(day)
        if name:
            names[day] = name
    years = CalendarYear.objects.values_list("year", flat=True)
    calendar = WorkingCalendar(days_off, workdays, years, names=names)
    with _cache_lock:
        _cache = (stamp, calendar)
    return calendar


def _forget_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None


# --- hooks ----------------------------------------------------------------------------------


def register_calendar_change_hook(fn: CalendarChangeHook) -> CalendarChangeHook:
    """Call ``fn(years, actor)`` inside every transaction that changes the calendar.

    ``years`` are the calendar years whose days changed. Register from ``AppConfig.ready``;
    registering the same function twice has no effect. Usable as a decorator.
    """
    if fn not in _hooks:
        _hooks.append(fn)
    return fn


def unregister_calendar_change_hook(fn: CalendarChangeHook) -> None:
    """Stop calling ``fn`` (for tests)."""
    if fn in _hooks:
        _hooks.remove(fn)


def _changed(years: set[int], actor: Any) -> list[str]:
    """Run the hooks; return the lines of what they did (a hook may return a list of them)."""
    _forget_cache()
    transaction.on_commit(_forget_cache)
    consequences: list[str] = []
    for hook in list(_hooks):
        said = hook(set(years), actor)
        if said:
            consequences += list(said)
    return consequences


# --- changing -------------------------------------------------------------------------------

#: What a change to a year's arrangement is called in the audit log.
CHANGE_LABELS = {
    "seeded": "预置节假日安排",
    "imported": "导入节假日安排",
    "edited": "后台修改节假日安排",
    "deleted": "删除节假日安排",
}


def _log(row: CalendarYear, *, action: str, actor: Any, summary: str) -> AuditEntry:
    """Write the audit row of a change to ``row``'s year (inside the change's transaction)."""
    return audit(
        actor=actor,
        action=action,
        obj=row,
        label=CHANGE_LABELS[action],
        data={"year": row.year},
        note=summary,
    )


def calendar_changes(year: int | None = None):
    """Return the audit rows of the calendar (of ``year``), newest first."""
    from django.contrib.contenttypes.models import ContentType

    rows = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(CalendarYear))
    if year is not None:
        rows = rows.filter(data__year=int(year))
    return rows.order_by("-at", "-pk")


def _describe(day: date, kind: str, name: str) -> str:
    return f"{day.isoformat()} {KIND_LABELS[kind]}{(' ' + name) if name else ''}"


def _diff(old: dict[date, tuple[str, str]], new: dict[date, tuple[str, str]]) -> list[str]:
    parts = []
    added = [_describe(d, *new[d]) for d in sorted(new.keys() - old.keys())]
    removed = [_describe(d, *old[d]) for d in sorted(old.keys() - new.keys())]
    changed = [
        f"{_describe(d, *old[d])} → {_describe(d, *new[d])}"
        for d in sorted(old.keys() & new.keys())
        if old[d] != new[d]
    ]
    if added:
        parts.append("新增：" + "；".join(added))
    if removed:
        parts.append("删除：" + "；".join(removed))
    if changed:
        parts.append("修改：" + "；".join(changed))
    return parts


def read_text(text: str, year: int | None) -> Reading:
    """What ``text`` says — the State Council's notice as published, or the file format of
    docs/calendar-format.md — day by day, with every problem (for a preview; nothing saved)."""
    return read_any(text, None if year is None else int(year))


def import_year(*, year: int, text: str, actor: Any = None, source: str = "") -> AuditEntry:
    """Replace the arrangement of ``year`` with the one in ``text``: the State Council's notice
    as published (「一、元旦：1月1日（周五）放假…」) or the file format (docs/calendar-format.md).

    All or nothing: any problem raises :class:`ArrangementError` naming every problem before
    anything is written, and a failing change hook rolls the import back. ``source`` is kept
    as the year's note (the notice's number, e.g. 国办发明电〔2024〕12号; read from a pasted
    notice when blank); a blank one keeps the year's note. The returned audit row carries
    ``consequences``: what the change hooks did (applications recomputed, letters issued).
    """
    year = int(year)
    reading = read_text(text, year)
    if reading.problems:
        raise _all_of(reading.problems)
    days = reading.days
    source = source or reading.source
    new = {d.date: (d.kind, d.name) for d in days}
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        old = {}
        if row is not None:
            old = {d.date: (d.kind, d.name) for d in row.days.all()}
        moved = list(
            CalendarDay.objects.filter(date__in=list(new))
            .exclude(calendar_year__year=year)
            .select_related("calendar_year")
        )
        if row is None:
            row = CalendarYear(year=year, source=CalendarYear.Source.IMPORTED)
        if source or row.source == CalendarYear.Source.SEEDED:
            row.note = source[:200]  # a blank source keeps the notice number we had
        row.source = CalendarYear.Source.IMPORTED
        row.save()
        row.days.all().delete()
        CalendarDay.objects.filter(pk__in=[d.pk for d in moved]).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=row, date=d.date, kind=d.kind, name=d.name) for d in days
        )
        counts = f"放假{sum(1 for d in days if d.kind == OFF)}天，调休上班{sum(1 for d in days if d.kind != OFF)}天"
        parts = [f"导入{year}年节假日安排（{source or '未注明来源'}）：{counts}"]
        parts += _diff(old, new) if old else []
        if moved:
            parts.append(
                "从其他年度移入："
                + "；".join(f"{d.date}（原属{d.calendar_year.year}年安排）" for d in moved)
            )
        if old and not _diff(old, new):
            parts.append("与原有数据相同")
        change = _log(row, action="imported", actor=actor, summary="\n".join(parts))
        touched = {d.year for d in old.keys() ^ new.keys()}
        touched |= {d.year for d in old.keys() & new.keys() if old[d] != new[d]}
        change.consequences = _changed({year} | touched, actor)
    return change


def _all_of(problems: list[ArrangementError]) -> ArrangementError:
    if len(problems) == 1:
        return problems[0]
    error = ArrangementError(
        0,
        f"共{len(problems)}处问题：" + "；".join(p.zh for p in problems),
        f"{len(problems)} problems: " + "; ".join(p.en for p in problems),
    )
    error.problems = problems
    return error


def record_admin_edit(
    *, year: int, actor: Any, summary: str, dates: Iterable[date] = ()
) -> AuditEntry:
    """Log an edit made in the back office to ``year``'s days, and tell the hooks.

    Call inside the transaction that made the edit (the admin's save is one).
    """
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().get(year=year)
        row.source = CalendarYear.Source.EDITED
        row.save()
        change = _log(row, action="edited", actor=actor, summary=summary)
        _changed({year} | {d.year for d in dates}, actor)
    return change


def delete_year(*, year: int, actor: Any = None) -> AuditEntry:
    """Remove ``year``'s arrangement: computations in that year fail until it is imported."""
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().get(year=year)
        dates = list(row.days.values_list("date", flat=True))
        change = _log(
            row,
            action="deleted",
            actor=actor,
            summary=f"删除{year}年节假日安排（共{len(dates)}天）",
        )
        row.delete()
        _changed({year} | {d.year for d in dates}, actor)
    return change


def seed_calendar(
    arrangements: dict[int, list[ArrangementDay]] | None = None,
    *,
    models: tuple = (CalendarYear, CalendarDay),
    version: str = "",
    log: Callable[[Any, str], Any] | None = None,
) -> list[int]:
    """Add the years shipped with ``chinese_calendar`` that the tables do not have yet.

    Existing years are left alone (an imported or edited year wins). Used by the data
    migration (with historical models) and after tests that flush the database.
    """
    from gongkai.holidays import seed

    year_model, day_model = models
    log = log or (lambda row, summary: _log(row, action="seeded", actor=None, summary=summary))
    arrangements = (
        arrangements if arrangements is not None else seed.chinese_calendar_arrangements()
    )
    version = version or seed.package_version()
    have = set(year_model.objects.values_list("year", flat=True))
    taken = set(day_model.objects.values_list("date", flat=True))
    added = []
    for year, days in sorted(arrangements.items()):
        if year in have:
            continue
        with transaction.atomic():
            row = year_model.objects.create(
                year=year, source="seeded", note=f"chinese_calendar {version}"
            )
            day_model.objects.bulk_create(
                day_model(calendar_year=row, date=d.date, kind=d.kind, name=d.name)
                for d in days
                if d.date not in taken
            )
            log(row, f"从 chinese_calendar {version} 预置{year}年节假日安排（{len(days)}天）")
        added.append(year)
    if added and models[0] is CalendarYear:
        _forget_cache()
    return added
